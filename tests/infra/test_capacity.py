"""k8s/README.md's connection budget and the autoscalers' targets follow the manifests.

The budget (README, "Connection budget") is recomputed from the rendered prod overlay: pods
(replicas, or the autoscaler's bounds) x processes per pod (``WEB_CONCURRENCY`` gunicorn workers
for a web pod, one for a worker) x the default pool (pool size + overflow), so changing replicas,
autoscaler bounds, workers or pool defaults without redoing the table fails here.
"""

from __future__ import annotations

import re
from typing import Any

from tests.infra.conftest import K8S
from tests.infra.conftest import kubectl_kustomize
from yumiao_common.settings import CommonSettings

PER_PROCESS = CommonSettings().db_pool_size + CommonSettings().db_max_overflow


def cpu_millis(value: str | int) -> int:
    text = str(value)
    return int(text[:-1]) if text.endswith("m") else int(float(text) * 1000)


def prod() -> list[dict[str, Any]]:
    return kubectl_kustomize(K8S / "overlays" / "prod")


def budget(docs: list[dict[str, Any]]) -> tuple[int, int]:
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    bounds = {d["spec"]["scaleTargetRef"]["name"]: (d["spec"]["minReplicas"],
                                                     d["spec"]["maxReplicas"])
              for d in docs if d["kind"] == "HorizontalPodAutoscaler"}
    low = high = 0
    for doc in docs:
        if doc["kind"] != "Deployment":
            continue
        command = doc["spec"]["template"]["spec"]["containers"][0]["command"]
        processes = int(config["WEB_CONCURRENCY"]) if command[0] == "gunicorn" else 1
        replicas = doc["spec"].get("replicas", 1)
        pods = bounds.get(doc["metadata"]["name"], (replicas, replicas))
        low += pods[0] * processes * PER_PROCESS
        high += pods[1] * processes * PER_PROCESS
    return low, high


def test_readme_budget_matches_the_prod_overlay() -> None:
    low, high = budget(prod())
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    assert f"| **Deployments** | | | **{low}–{high}** | |" in readme, (low, high)
    assert PER_PROCESS == 10 and "5 + 5 = 10 by default" in readme


def test_the_budget_is_over_the_postgresql_default_so_pgbouncer_is_documented() -> None:
    low, _high = budget(prod())
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    assert low > 100
    assert "pool_mode = transaction" in readme and "max_prepared_statements" in readme


def test_autoscalers_target_a_load_well_above_idle() -> None:
    """70 % of a 100m request (70m) is what idle workers use: the HPA would sit at its maximum."""
    docs = prod()
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    for hpa in (d for d in docs if d["kind"] == "HorizontalPodAutoscaler"):
        (metric,) = hpa["spec"]["metrics"]
        utilization = metric["resource"]["target"]["averageUtilization"]
        container = deployments[hpa["spec"]["scaleTargetRef"]["name"]]["spec"]["template"][
            "spec"]["containers"][0]
        request = cpu_millis(container["resources"]["requests"]["cpu"])
        limit = cpu_millis(container["resources"]["limits"]["cpu"])
        assert request * utilization / 100 >= 250, hpa["metadata"]["name"]
        assert request <= limit
        assert hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]


def test_readme_states_the_measurement_behind_the_requests() -> None:
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    assert re.search(r"bench/gateway\.py", readme)
    assert "cpu: 500m" in readme
