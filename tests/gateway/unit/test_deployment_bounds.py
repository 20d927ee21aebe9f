"""The deployments configure what the gateway's trust bounds need (issue 9, item 5).

docker-compose and k8s give the gateway a shared Redis for its rate limits and (k8s) the
number of proxies in front of it; the k8s memory limit covers the sum written beside it:
workers x (base + argon2 slots x argon2 memory + threads x largest body) + the arbiter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from gateway.settings import Settings
from yumiao_common.settings import CommonSettings

ROOT = Path(__file__).resolve().parents[3]
WORKER_BASE_MIB = 100  # measured: a gateway worker after start-up
ARBITER_MIB = 40


def _docs(path: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((ROOT / path).read_text(encoding="utf-8")) if d]


def _mib(quantity: str) -> int:
    units = {"Mi": 1, "Gi": 1024}
    return int(float(quantity[:-2]) * units[quantity[-2:]])


def test_compose_gives_the_gateway_a_shared_redis() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    gateway = compose["services"]["gateway"]
    assert gateway["environment"]["GATEWAY_REDIS_URL"].startswith("redis://")
    assert "@redis:6379/" in gateway["environment"]["GATEWAY_REDIS_URL"]
    assert gateway["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "ports" not in compose["services"]["redis"]


def test_k8s_gives_the_gateway_redis_and_its_proxy_count() -> None:
    secrets = {d["metadata"]["name"]: d for d in _docs("k8s/base/secret-template/secrets.yaml")}
    assert secrets["gateway-secrets"]["stringData"]["GATEWAY_REDIS_URL"].startswith("redis://")
    config = _docs("k8s/base/configmap.yaml")[0]["data"]
    assert int(config["GATEWAY_TRUSTED_PROXY_COUNT"]) >= 1


def test_k8s_gateway_memory_limit_covers_workers_threads_and_argon2() -> None:
    config = _docs("k8s/base/configmap.yaml")[0]["data"]
    defaults = Settings(demo_mode=True)
    workers = int(config["WEB_CONCURRENCY"])
    threads = int(config["GATEWAY_THREADS"])
    slots = int(config["GATEWAY_ARGON2_MAX_CONCURRENT"])
    argon2_mib = defaults.argon2_memory_kib // 1024
    body_mib = CommonSettings().max_content_length // (1024 * 1024)
    needed = ARBITER_MIB + workers * (WORKER_BASE_MIB + slots * argon2_mib + threads * body_mib)
    deployment = next(d for d in _docs("k8s/base/gateway.yaml") if d["kind"] == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    limit = _mib(container["resources"]["limits"]["memory"])
    assert needed <= limit, f"{needed} Mi needed, limit {limit} Mi"
    assert limit < needed + 64  # sized from the sum, not a guess
    # without the argon2 bound, threads x 64 Mi per worker would not fit
    assert ARBITER_MIB + workers * (WORKER_BASE_MIB + threads * argon2_mib) > limit
