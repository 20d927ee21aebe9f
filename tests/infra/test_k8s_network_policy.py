"""NetworkPolicies let only the gateway reach registry, scoring and notify.

The policies are evaluated, not pattern-matched: for each internal service's pods, every ingress
rule of every policy that selects them must admit only peers that are gateway pods (a pod
selector in the same namespace matching the gateway's labels and no other workload's), and a
default-deny policy must cover every pod. The checker is itself tested against loosened
policies, and runs on the rendered overlays too.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.infra.conftest import INTERNAL_SERVICES
from tests.infra.conftest import SERVICES
from tests.infra.conftest import pod_labels
from tests.infra.conftest import pod_specs


def matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Kubernetes label-selector semantics (matchLabels and matchExpressions)."""
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values", [])
        ok = {
            "In": key in labels and labels[key] in values,
            "NotIn": key not in labels or labels[key] not in values,
            "Exists": key in labels,
            "DoesNotExist": key not in labels,
        }[op]
        if not ok:
            return False
    return True


def policies(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in docs if d["kind"] == "NetworkPolicy"]


def governs_ingress(policy: dict[str, Any]) -> bool:
    return "Ingress" in policy["spec"].get("policyTypes", ["Ingress"])


def web_labels(docs: list[dict[str, Any]], name: str) -> dict[str, str]:
    deployment = next(
        d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == name
    )
    return pod_labels(deployment)


def ingress_violations(docs: list[dict[str, Any]]) -> list[str]:
    """Every way a non-gateway pod or outside client could reach an internal service."""
    gateway = web_labels(docs, "gateway")
    others = [pod_labels(d) for d in docs if pod_specs(d) and pod_labels(d) != gateway]
    problems: list[str] = []
    for svc in INTERNAL_SERVICES:
        target = web_labels(docs, svc)
        for policy in policies(docs):
            if not (governs_ingress(policy) and matches(policy["spec"]["podSelector"], target)):
                continue
            for rule in policy["spec"].get("ingress") or []:
                peers = rule.get("from") or []
                if not peers:
                    problems.append(f"{policy['metadata']['name']}: {svc} open to every source")
                for peer in peers:
                    if set(peer) != {"podSelector"}:
                        problems.append(f"{policy['metadata']['name']}: {svc} peer {peer}")
                    elif not matches(peer["podSelector"], gateway) or any(
                        matches(peer["podSelector"], other) for other in others
                    ):
                        problems.append(f"{policy['metadata']['name']}: {svc} non-gateway peer")
    return problems


def default_deny(docs: list[dict[str, Any]]) -> bool:
    return any(
        p["spec"]["podSelector"] == {} and governs_ingress(p) and not p["spec"].get("ingress")
        for p in policies(docs)
    )


def gateway_admitted(docs: list[dict[str, Any]], svc: str) -> bool:
    gateway, target = web_labels(docs, "gateway"), web_labels(docs, svc)
    port = SERVICES[svc][1]
    return any(
        matches(p["spec"]["podSelector"], target)
        and any(
            any(matches(peer.get("podSelector", {}), gateway) for peer in rule.get("from", []))
            and any(pt.get("port") == port for pt in rule.get("ports", []))
            for rule in p["spec"].get("ingress") or []
        )
        for p in policies(docs)
    )


def test_default_deny_covers_every_pod(base_docs: list[dict[str, Any]]) -> None:
    assert default_deny(base_docs)


def test_only_the_gateway_reaches_internal_services(base_docs: list[dict[str, Any]]) -> None:
    assert ingress_violations(base_docs) == []


@pytest.mark.parametrize("svc", INTERNAL_SERVICES)
def test_gateway_is_admitted_on_the_service_port(base_docs: list[dict[str, Any]], svc: str) -> None:
    assert gateway_admitted(base_docs, svc)


def test_workers_accept_no_connections(base_docs: list[dict[str, Any]]) -> None:
    for doc in base_docs:
        if doc["kind"] != "Deployment" or doc["metadata"]["name"] in SERVICES:
            continue
        labels = pod_labels(doc)
        for policy in policies(base_docs):
            if matches(policy["spec"]["podSelector"], labels):
                assert not policy["spec"].get("ingress"), doc["metadata"]["name"]


def loosen(docs: list[dict[str, Any]], how: str) -> list[dict[str, Any]]:
    docs = copy.deepcopy(docs)
    policy = next(p for p in policies(docs) if p["metadata"]["name"] == "registry-from-gateway")
    rule = policy["spec"]["ingress"][0]
    if how == "open-rule":
        del rule["from"]
    elif how == "namespace-peer":
        rule["from"].append({"namespaceSelector": {}})
    elif how == "ip-block":
        rule["from"].append({"ipBlock": {"cidr": "0.0.0.0/0"}})
    elif how == "worker-peer":
        rule["from"][0]["podSelector"] = {"matchLabels": {"app.kubernetes.io/part-of": "yumiao"}}
    elif how == "gateway-policy-selects-all":
        gw = next(p for p in policies(docs) if p["metadata"]["name"] == "gateway-ingress")
        gw["spec"]["podSelector"] = {}
    return docs


@pytest.mark.parametrize(
    "how", ["open-rule", "namespace-peer", "ip-block", "worker-peer", "gateway-policy-selects-all"]
)
def test_checker_catches_loosened_policies(base_docs: list[dict[str, Any]], how: str) -> None:
    assert ingress_violations(loosen(base_docs, how))


@pytest.mark.parametrize(
    ("selector", "labels", "expected"),
    [
        ({}, {"a": "1"}, True),
        ({"matchLabels": {"a": "1"}}, {"a": "2"}, False),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["1"]}]}, {"a": "1"}, True),
        ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}, {}, True),
        ({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {}, False),
        ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {"a": "1"}, False),
    ],
)
def test_selector_semantics(
    selector: dict[str, Any], labels: dict[str, str], expected: bool
) -> None:
    assert matches(selector, labels) is expected


def test_rendered_overlays_keep_the_isolation(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    _, docs = rendered_overlay
    assert default_deny(docs)
    assert ingress_violations(docs) == []
    assert all(gateway_admitted(docs, svc) for svc in INTERNAL_SERVICES)
