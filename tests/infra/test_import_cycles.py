"""No import cycle in any package (DEVELOPING.md, "The skeleton").

A cycle hidden by a function-level import still couples two modules both ways, so every
``import`` statement counts, wherever it sits. The graph is read from the source with ``ast``
(nothing is imported); a cycle is a strongly connected component of more than one module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    "yumiao_common": ROOT / "libs/common/src/yumiao_common",
    "registry": ROOT / "services/registry/src/registry",
    "scoring": ROOT / "services/scoring/src/scoring",
    "notify": ROOT / "services/notify/src/notify",
    "gateway": ROOT / "gateway/src/gateway",
}


def _modules(name: str, folder: Path) -> dict[str, Path]:
    found = {}
    for path in folder.rglob("*.py"):
        parts = [name, *path.relative_to(folder).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(module: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The modules of the same package that ``module`` imports (``from a import b`` names the
    module ``a.b`` when it is one, else ``a``)."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in known:
                    yield target
                elif base in known:
                    yield base


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of size > 1, or with a self-loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _graph(package: str, folder: Path) -> dict[str, set[str]]:
    known = _modules(package, folder)
    graph = {
        module: {t for t in _imports(module, path, known) if t != module}
        for module, path in known.items()
    }
    # Importing a.b.c runs a/__init__ and a/b/__init__ first, unless the importer is inside
    # them already (then they are being imported anyway): such a parent import closes real
    # cycles (a page importing api.x runs api/__init__, which imports the pages).
    for module in graph:
        targets = set()
        for target in graph[module]:
            parts = target.split(".")
            for depth in range(2, len(parts) + 1):
                parent = ".".join(parts[:depth])
                if parent in known and not (module + ".").startswith(parent + "."):
                    targets.add(parent)
        graph[module] = targets - {module}
    return graph


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_no_import_cycle(package: str) -> None:
    cycles = _cycles(_graph(package, PACKAGES[package]))
    assert cycles == [], "\n".join(" ↔ ".join(c) for c in cycles)


def test_a_cycle_through_a_package_init_is_seen(tmp_path: Path) -> None:
    """Positive control: web/__init__ imports its pages, a page imports api.credentials, and
    api/__init__ imports web — the cycle that broke ``import gateway.web.catalogue``."""
    files = {
        "web/__init__.py": "from pkg.web import page\n",
        "web/page.py": "from pkg.api.credentials import who\n",
        "api/__init__.py": "from pkg import web\n",
        "api/credentials.py": "who = 1\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "__init__.py").write_text("")
    assert _cycles(_graph("pkg", tmp_path)) == [["pkg.api", "pkg.web", "pkg.web.page"]]


def test_the_cycle_finder_sees_a_cycle() -> None:
    """Positive control: a two-module cycle and a three-module one are reported."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": set()}
    assert sorted(_cycles(graph)) == [["a", "b"], ["c", "d", "e"]]
