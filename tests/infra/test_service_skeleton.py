"""Every service keeps the one skeleton DEVELOPING.md draws ("The skeleton").

A layout that is only written down drifts: the next feature puts a module at the package root or
lets the pure domain read the database. These checks read the tree and the source (nothing is
imported), so they hold for code that no test happens to run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {
    "registry": ROOT / "services/registry/src/registry",
    "scoring": ROOT / "services/scoring/src/scoring",
    "notify": ROOT / "services/notify/src/notify",
    "gateway": ROOT / "gateway/src/gateway",
}
PACKAGES = {**SERVICES, "yumiao_common": ROOT / "libs/common/src/yumiao_common"}
MAX_ROOT_MODULES = 8
#: What a pure domain may not import: the web framework, the database, the broker, HTTP clients.
IMPURE = ("flask", "flask_smorest", "sqlalchemy", "pika", "requests", "httpx", "marshmallow")
#: api/ sub-packages that are shared kits of their siblings, not resources of their own.
API_KITS = {("registry", "records")}


def _root_modules(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*.py") if p.name != "__init__.py")


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_a_package_root_holds_at_most_eight_modules(name: str) -> None:
    modules = _root_modules(PACKAGES[name])
    assert len(modules) <= MAX_ROOT_MODULES, f"{name}: {modules}"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_a_service_has_the_layers_of_the_skeleton(name: str) -> None:
    folder = SERVICES[name]
    assert (folder / "app.py").is_file() and (folder / "settings.py").is_file()
    for layer in ("api", "handlers", "domain", "models", "adapters"):
        assert (folder / layer / "__init__.py").is_file(), f"{name} has no {layer}/"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_api_resource_has_its_routes_module(name: str) -> None:
    api = SERVICES[name] / "api"
    resources = [d for d in api.iterdir() if d.is_dir() and (d / "__init__.py").is_file()]
    missing = [d.name for d in resources
               if (name, d.name) not in API_KITS and not (d / "routes.py").is_file()]
    assert not missing, f"{name}/api resources without routes.py: {missing}"


def _imported(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports (relative imports are resolved away:
    the services use none)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_the_domain_is_pure(name: str) -> None:
    """domain/ holds rules and wording: no Flask, no Session, no broker, no HTTP, and nothing
    of its own service but the domain (dependencies point one way)."""
    offenders = {}
    for path in (SERVICES[name] / "domain").rglob("*.py"):
        bad = sorted(
            module for module in _imported(path)
            if module.split(".")[0] in IMPURE
            or (module.split(".")[0] == name and not module.startswith(f"{name}.domain"))
        )
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert not offenders
