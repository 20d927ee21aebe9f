"""Releases repeat: Jobs clean up after themselves, the procedure deletes them, pods wait for
their schema (k8s/README.md, "Rolling out a release")."""

from __future__ import annotations

import re
from typing import Any

from tests.infra.conftest import K8S
from tests.infra.conftest import pod_labels
from tests.infra.conftest import pod_specs

GATE = ["python", "-m", "yumiao_common.db.schema_gate"]


def image_service(image: str) -> str:
    match = re.search(r"yumiao/(\w+)", image)
    assert match, image
    return match.group(1)


def test_every_job_deletes_itself_and_is_deleted_by_the_procedure(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    overlay, docs = rendered_overlay
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    assert "kubectl -n yumiao delete job -l 'app.kubernetes.io/component in (migrate,seed)'" in (
        readme)
    for doc in docs:
        if doc["kind"] != "Job":
            continue
        assert 0 < doc["spec"]["ttlSecondsAfterFinished"] <= 3600, doc["metadata"]["name"]
        assert doc["metadata"]["labels"]["app.kubernetes.io/component"] in ("migrate", "seed")
        assert pod_labels(doc)["app.kubernetes.io/component"] in ("migrate", "seed")


def test_every_pod_but_the_migrations_waits_for_its_schema(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    overlay, docs = rendered_overlay
    for doc in docs:
        for spec in pod_specs(doc):
            name = doc["metadata"]["name"]
            service = image_service(spec["containers"][0]["image"])
            gates = [c for c in spec.get("initContainers", []) if c["command"][:3] == GATE]
            if pod_labels(doc)["app.kubernetes.io/component"] == "migrate":
                assert gates == [], f"{name}: the migration is what the gate waits for"
                continue
            assert len(gates) == 1, f"{overlay} {name} does not wait for its schema"
            (gate,) = gates
            assert gate["command"] == [*GATE, service]
            assert image_service(gate["image"]) == service
            # The gate runs first: anything else the pod waits for comes after the schema.
            assert spec["initContainers"][0] is gate


def test_the_demo_accounts_wait_for_the_demo_firms(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    overlay, docs = rendered_overlay
    jobs = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Job"}
    if overlay != "dev":
        assert "create-demo-accounts" not in jobs and "seed-demo" not in jobs
        return
    spec = jobs["create-demo-accounts"]["spec"]["template"]["spec"]
    waits = [c for c in spec["initContainers"] if c["name"] == "wait-for-demo-enterprises"]
    assert waits and "/api/v1/enterprises?limit=5" in waits[0]["command"][2]
    assert "X-Internal-Token" in waits[0]["command"][2]
