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


# --- Requests and limits from measurements (README, "Requests and limits, measured") ---------

SIZING = "### Requests and limits, measured"
MEMORY_REQUEST_HEADROOM = 1.25  # x steady RSS of the pod's processes
MEMORY_LIMIT_HEADROOM = 1.5  # x peak RSS of the pod's processes


def mib(value: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}
    return float(value[:-2]) * units[value[-2:]]


def sizing_rows() -> list[dict[str, Any]]:
    """The README's sizing table: one row per workload group and container."""
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    section = readme.split(SIZING, 1)[1].split("\n#", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 11 or not cells[1].startswith("`"):
            continue
        processes = [int(x) for x in re.findall(r"\d+", cells[2])]
        steady = [float(x) for x in re.findall(r"[\d.]+", cells[3])]
        peak = [float(x) for x in re.findall(r"[\d.]+", cells[4])]
        cpu_ms = re.match(r"([\d.]+) ms", cells[5])
        load = re.match(r"([\d.]+)", cells[6])
        rows.append({
            "workloads": re.findall(r"`([^`]+)`", cells[0]),  # none: every pod
            "containers": re.findall(r"`([^`]+)`", cells[1]),
            "steady": sum(p * s for p, s in zip(processes, steady, strict=True)),
            "peak": sum(p * s for p, s in zip(processes, peak, strict=True)),
            "cpu_ms": float(cpu_ms.group(1)) if cpu_ms else None,
            "load": float(load.group(1)) if load else None,
            "resources": {"requests": {"cpu": cells[7].strip("`"), "memory": cells[8].strip("`")},
                          "limits": {"cpu": cells[9].strip("`"), "memory": cells[10].strip("`")}},
            "line": line,
        })
    return rows


def containers(docs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(workload name, container) for every container and init container of every pod."""
    found = []
    for doc in docs:
        spec = doc.get("spec", {})
        if doc["kind"] == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if doc["kind"] not in ("Deployment", "Job", "CronJob"):
            continue
        pod = spec["template"]["spec"]
        for container in pod.get("initContainers", []) + pod["containers"]:
            found.append((doc["metadata"]["name"], container))
    return found


def test_every_container_in_every_overlay_requests_and_limits_cpu_and_memory() -> None:
    for overlay in ("prod", "dev"):
        for workload, container in containers(kubectl_kustomize(K8S / "overlays" / overlay)):
            resources = container.get("resources", {})
            where = f"{overlay}: {workload}/{container['name']}"
            for side in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(resources.get(side, {})), where
            assert cpu_millis(resources["requests"]["cpu"]) <= cpu_millis(
                resources["limits"]["cpu"]), where
            assert mib(resources["requests"]["memory"]) <= mib(
                resources["limits"]["memory"]), where


def test_prod_requests_and_limits_are_the_readme_table() -> None:
    """Each prod container's resources are the row the README's measured table states."""
    rows = sizing_rows()
    assert rows, "the README lost its sizing table"
    used = set()
    for workload, container in containers(prod()):
        matches = [i for i, row in enumerate(rows) if container["name"] in row["containers"]
                   and (workload in row["workloads"] or not row["workloads"])]
        assert len(matches) == 1, f"{workload}/{container['name']}: {len(matches)} table rows"
        used.add(matches[0])
        assert container["resources"] == rows[matches[0]]["resources"], (
            f"{workload}/{container['name']}: {container['resources']} vs "
            f"{rows[matches[0]]['line']}")
    assert used == set(range(len(rows))), "a table row names no prod container"


def test_the_table_sizes_from_its_measurements_with_the_stated_headroom() -> None:
    """memory request >= 1.25 x steady RSS of the pod's processes, limit >= 1.5 x their peak;
    cpu request >= CPU per unit of work x the load assumed (ms x units/s = millicores)."""
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    assert "bench/resources.py" in readme
    for row in sizing_rows():
        requests, limits = row["resources"]["requests"], row["resources"]["limits"]
        assert mib(requests["memory"]) >= MEMORY_REQUEST_HEADROOM * row["steady"], row["line"]
        assert mib(limits["memory"]) >= MEMORY_LIMIT_HEADROOM * row["peak"], row["line"]
        if row["cpu_ms"] is not None and row["load"] is not None:
            assert cpu_millis(requests["cpu"]) >= row["cpu_ms"] * row["load"], row["line"]
