"""The replica statements in k8s/README.md are complete and the manifests keep to them.

Every Deployment and CronJob of each overlay has a row saying whether it may run with several
replicas; a workload that runs more than one pod (``replicas`` or an autoscaler) must say
"yes"; a CronJob that says "no" must forbid overlapping runs; and every test a row cites
exists, so a statement cannot point at nothing.
"""

from __future__ import annotations

import re
from typing import Any

from tests.infra.conftest import K8S
from tests.infra.conftest import ROOT

HEADING = "## Which processes may run with several replicas"


def statements() -> dict[str, tuple[bool, str]]:
    """Workload name (or ``prefix-*``) → (may run several, the "backed by" cell)."""
    text = (K8S / "README.md").read_text(encoding="utf-8")
    assert HEADING in text, "k8s/README.md has no replica statements"
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    out: dict[str, tuple[bool, str]] = {}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        several = cells[1].startswith("yes")
        assert several or cells[1].startswith("no"), row
        for name in re.findall(r"`([a-z0-9*-]+)`", cells[0]):
            out[name] = (several, cells[3])
    return out


def statement(name: str, table: dict[str, tuple[bool, str]]) -> tuple[bool, str] | None:
    if name in table:
        return table[name]
    for key, value in table.items():
        if key.endswith("*") and name.startswith(key[:-1]):
            return value
    return None


def test_every_workload_of_every_overlay_states_whether_it_may_run_several(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    overlay, docs = rendered_overlay
    table = statements()
    scaled = {d["spec"]["scaleTargetRef"]["name"] for d in docs
              if d["kind"] == "HorizontalPodAutoscaler"}
    for doc in docs:
        name = doc["metadata"]["name"]
        if doc["kind"] == "Deployment":
            stated = statement(name, table)
            assert stated is not None, f"{overlay}: {name} has no replica statement"
            if doc["spec"].get("replicas", 1) > 1 or name in scaled:
                assert stated[0], f"{overlay}: {name} runs several pods but says no"
        elif doc["kind"] == "CronJob":
            stated = statement(name, table)
            assert stated is not None, f"{overlay}: {name} has no replica statement"
            if not stated[0]:
                assert doc["spec"].get("concurrencyPolicy") == "Forbid", name


def test_every_cited_test_exists() -> None:
    cited = [cell for _several, cell in statements().values() if cell != "—"]
    assert cited
    for cell in cited:
        for ref in re.findall(r"`(tests/[^`]+)`", cell):
            path, _, function = ref.partition("::")
            source = (ROOT / path).read_text(encoding="utf-8")
            assert "def test_" in source, ref
            if function:
                assert f"def {function}(" in source, ref
