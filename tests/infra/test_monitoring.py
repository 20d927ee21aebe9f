"""Workers are probed and scraped, and the example alerts are well-formed (issue 11, item 3).

* every relay, consumer, sender and jobs Deployment opens the worker port (``metrics``, 9100),
  binds it on the pod's address, is annotated for scraping and restarted by a liveness probe
  on the port's ``/healthz`` (503 once its loop stops beating);
* ``k8s/monitoring/alerts.yaml`` holds a Prometheus rule file where every rule has an
  expression, a ``for``, a severity and a bilingual summary and description; the alerts the
  issue asks for are there; every series they name is one the code exports;
* the scrape NetworkPolicy opens the worker port and every web port to the monitoring namespace.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.infra.conftest import K8S
from tests.infra.conftest import ROOT
from tests.infra.conftest import SERVICES
from tests.infra.conftest import load_docs

WORKER_PORT = 9100
#: Workers whose loop beats (relays, consumers, notify's sender, the jobs workers).
PROBED = ("relay", "consumer", "sender", "jobs")
MONITORING = K8S / "monitoring"


def _worker_deployments() -> list[dict[str, Any]]:
    docs = [d for svc in ("registry", "scoring", "notify")
            for d in load_docs(K8S / "base" / f"{svc}.yaml")]
    return [d for d in docs if d["kind"] == "Deployment"
            and d["spec"]["template"]["metadata"]["labels"].get(
                "app.kubernetes.io/component") in PROBED]


def _rules() -> list[dict[str, Any]]:
    (config,) = load_docs(MONITORING / "alerts.yaml")
    rule_file = yaml.safe_load(config["data"]["yumiao-alerts.yml"])
    return [rule for group in rule_file["groups"] for rule in group["rules"]]


def test_every_probed_worker_kind_has_a_deployment() -> None:
    names = {d["metadata"]["name"] for d in _worker_deployments()}
    assert names >= {"registry-relay", "scoring-relay", "scoring-consumer", "notify-relay",
                     "notify-consumer", "notify-sender", "registry-jobs", "scoring-jobs"}


@pytest.mark.parametrize("doc", _worker_deployments(), ids=lambda d: d["metadata"]["name"])
def test_a_worker_serves_its_port_is_scraped_and_restarted_when_stuck(doc: dict[str, Any]
                                                                       ) -> None:
    template = doc["spec"]["template"]
    container = template["spec"]["containers"][0]
    service = template["metadata"]["labels"]["app.kubernetes.io/name"]
    assert container["ports"] == [{"name": "metrics", "containerPort": WORKER_PORT}]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env[f"{service.upper()}_WORKER_METRICS_HOST"] == "0.0.0.0"
    probe = container["livenessProbe"]
    assert probe["httpGet"] == {"path": "/healthz", "port": "metrics"}
    # The kubelet gives up after failureThreshold × periodSeconds past the heartbeat's window.
    assert probe["failureThreshold"] * probe["periodSeconds"] <= 60
    annotations = template["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(WORKER_PORT)
    assert annotations["prometheus.io/path"] == "/metrics"


def test_every_alert_rule_is_complete() -> None:
    rules = _rules()
    assert rules
    for rule in rules:
        assert set(rule) == {"alert", "expr", "for", "labels", "annotations"}, rule
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", rule["alert"])
        assert isinstance(rule["expr"], str) and rule["expr"].strip()
        assert re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        assert rule["labels"]["severity"] in {"info", "warning", "critical"}
        for key in ("summary", "description"):
            text = rule["annotations"][key]
            assert re.search(r"[\u4e00-\u9fff]", text) and " / " in text, (rule["alert"], key)


@pytest.mark.parametrize(("series", "threshold", "duration"), [
    ("yumiao_outbox_lag_seconds", "> 300", None),           # outbox lag over 5 minutes
    ("yumiao_parking_depth", "> 0", "15m"),                 # parked for 15 minutes
    ('up{job="yumiao-workers"}', "== 0", None),             # a worker down
    ('http_requests_total{status=~"5.."}', "> 0.05", None), # 5xx rate
    ("histogram_quantile(0.99", "> 2", None),               # p99 latency
])
def test_the_alerts_the_issue_asks_for_are_there(series: str, threshold: str,
                                                 duration: str | None) -> None:
    matching = [r for r in _rules() if series in r["expr"] and threshold in r["expr"]]
    assert matching, series
    if duration is not None:
        assert any(r["for"] == duration for r in matching)


def test_every_series_an_alert_names_is_exported() -> None:
    code = "\n".join(path.read_text(encoding="utf-8") for path in [
        *(ROOT / "libs/common/src/yumiao_common/observability").glob("*.py"),
        ROOT / "libs/common/src/yumiao_common/web/wiring.py"])
    named = set()
    for rule in _rules():
        named |= set(re.findall(r"\b((?:yumiao|http)_[a-z_]+)", rule["expr"]))
    for series in named:
        base = re.sub(r"_(bucket|count|sum|total)$", "", series)
        assert f'"{series}"' in code or f'"{base}"' in code or f'"{base}_total"' in code, series


def test_scrapers_may_reach_every_metrics_port() -> None:
    (policy,) = load_docs(MONITORING / "scrape-networkpolicy.yaml")
    (rule,) = policy["spec"]["ingress"]
    ports = {p["port"] for p in rule["ports"]}
    assert ports == {WORKER_PORT} | {port for _src, port in SERVICES.values()}
    assert policy["spec"]["podSelector"] == {
        "matchLabels": {"app.kubernetes.io/part-of": "yumiao"}}
