"""NetworkPolicies let only the gateway reach registry, scoring and notify.

The policies are evaluated, not pattern-matched: for each internal service's pods, every ingress
rule of every policy that selects them must admit only peers that are gateway pods (a pod
selector in the same namespace matching the gateway's labels and no other workload's), and a
default-deny policy must cover every pod. The checker is itself tested against loosened
policies, and runs on the rendered overlays too.
"""

from __future__ import annotations

import copy
import ipaddress
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


#: The one exception, dev overlay only: the demo-accounts Job (gateway image, component seed)
#: lists registry's first enterprises. (policy name, service, Job name).
DEV_EXCEPTIONS = (("registry-from-demo-accounts", "registry", "create-demo-accounts"),)


def ingress_violations(
    docs: list[dict[str, Any]], exceptions: tuple[tuple[str, str, str], ...] = ()
) -> list[str]:
    """Every way a non-gateway pod or outside client could reach an internal service.

    ``exceptions`` admit one named policy to let one named Job's pods (and no other workload's)
    reach one service.
    """
    gateway = web_labels(docs, "gateway")
    others = [pod_labels(d) for d in docs if pod_specs(d) and pod_labels(d) != gateway]
    problems: list[str] = []
    for policy_name, svc, job in exceptions:
        job_labels = next(pod_labels(d) for d in docs
                          if d["kind"] == "Job" and d["metadata"]["name"] == job)
        rest = [labels for labels in others + [gateway] if labels != job_labels]
        policy = next(p for p in policies(docs) if p["metadata"]["name"] == policy_name)
        assert matches(policy["spec"]["podSelector"], web_labels(docs, svc))
        for rule in policy["spec"]["ingress"]:
            for peer in rule.get("from") or [{}]:
                selector = peer.get("podSelector")
                if set(peer) != {"podSelector"} or not matches(selector, job_labels) or any(
                    matches(selector, labels) for labels in rest
                ):
                    problems.append(f"{policy_name}: admits more than the {job} Job")
            if [pt.get("port") for pt in rule.get("ports", [])] != [SERVICES[svc][1]]:
                problems.append(f"{policy_name}: not only {svc}'s port")
    docs = [d for d in docs if d["kind"] != "NetworkPolicy"
            or d["metadata"]["name"] not in {name for name, _, _ in exceptions}]
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


def test_the_dev_exception_admits_only_the_demo_accounts_job(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    overlay, docs = rendered_overlay
    if overlay != "dev":
        assert not any(p["metadata"]["name"] == DEV_EXCEPTIONS[0][0] for p in policies(docs))
        return
    loosened = copy.deepcopy(docs)
    policy = next(p for p in policies(loosened) if p["metadata"]["name"] == DEV_EXCEPTIONS[0][0])
    del policy["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"][
        "app.kubernetes.io/component"]  # now every gateway pod: more than the Job
    assert ingress_violations(loosened, DEV_EXCEPTIONS) == [
        "registry-from-demo-accounts: admits more than the create-demo-accounts Job"]
    wider = copy.deepcopy(docs)
    policy = next(p for p in policies(wider) if p["metadata"]["name"] == DEV_EXCEPTIONS[0][0])
    policy["spec"]["ingress"][0]["ports"].append({"protocol": "TCP", "port": 5432})
    assert ingress_violations(wider, DEV_EXCEPTIONS) == [
        "registry-from-demo-accounts: not only registry's port"]
    # Without the exception the policy is a violation like any other.
    assert ingress_violations(docs) != []


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
    overlay, docs = rendered_overlay
    assert default_deny(docs)
    assert ingress_violations(docs, DEV_EXCEPTIONS if overlay == "dev" else ()) == []
    assert all(gateway_admitted(docs, svc) for svc in INTERNAL_SERVICES)


# --- notify's sender: egress --------------------------------------------------------------
# The sender is the one process that connects where an outsider points it (enterprise
# webhooks), so beyond the application's own check it gets an egress policy: DNS to the
# cluster resolver, 80/443 to public addresses only, and the database, broker and SMTP ports.

INTERNAL_ADDRESSES = ("10.0.0.1", "172.16.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254",
                      "100.64.0.1", "0.0.0.0", "224.0.0.1", "fd00::1", "fe80::1", "::1",
                      "::ffff:10.0.0.1", "64:ff9b::a00:1")
PUBLIC_ADDRESSES = ("93.184.216.34", "8.8.8.8", "2606:4700::1111")
KUBE_DNS = {"k8s-app": "kube-dns"}
KUBE_SYSTEM = {"kubernetes.io/metadata.name": "kube-system"}


def sender_labels(docs: list[dict[str, Any]]) -> dict[str, str]:
    deployment = next(d for d in docs
                      if d["kind"] == "Deployment" and d["metadata"]["name"] == "notify-sender")
    return pod_labels(deployment)


def egress_policies(docs: list[dict[str, Any]], labels: dict[str, str]) -> list[dict[str, Any]]:
    return [p for p in policies(docs) if "Egress" in p["spec"].get("policyTypes", [])
            and matches(p["spec"]["podSelector"], labels)]


def _port_matches(rule: dict[str, Any], port: int, protocol: str) -> bool:
    ports = rule.get("ports")
    if not ports:
        return True
    return any(p.get("protocol", "TCP") == protocol and (
        "port" not in p or p["port"] == port or p.get("endPort", -1) >= port >= p["port"])
        for p in ports)


def _in_block(block: dict[str, Any], address: str) -> bool:
    ip = ipaddress.ip_address(address)
    cidr = ipaddress.ip_network(block["cidr"])
    if ip.version != cidr.version or ip not in cidr:
        return False
    return not any(ip in ipaddress.ip_network(e) for e in block.get("except", [])
                   if ipaddress.ip_network(e).version == ip.version)


def egress_admits_address(docs: list[dict[str, Any]], labels: dict[str, str], address: str,
                          port: int, protocol: str = "TCP") -> bool:
    """Kubernetes semantics: isolated for egress once selected; any rule of any policy admits."""
    selected = egress_policies(docs, labels)
    if not selected:
        return True
    for policy in selected:
        for rule in policy["spec"].get("egress") or []:
            if not _port_matches(rule, port, protocol):
                continue
            peers = rule.get("to")
            if not peers or any("ipBlock" in peer and _in_block(peer["ipBlock"], address)
                                for peer in peers):
                return True
    return False


def egress_admits_pod(docs: list[dict[str, Any]], labels: dict[str, str],
                      namespace: dict[str, str], pod: dict[str, str], port: int,
                      protocol: str) -> bool:
    for policy in egress_policies(docs, labels):
        for rule in policy["spec"].get("egress") or []:
            if not _port_matches(rule, port, protocol):
                continue
            peers = rule.get("to")
            if not peers or any(
                "ipBlock" not in peer
                and matches(peer.get("namespaceSelector", {}), namespace)
                and matches(peer.get("podSelector", {}), pod) for peer in peers
            ):
                return True
    return False


def sender_egress_violations(docs: list[dict[str, Any]]) -> list[str]:
    labels = sender_labels(docs)
    problems = []
    if not egress_policies(docs, labels):
        return ["notify-sender has no egress policy"]
    for address in INTERNAL_ADDRESSES:
        for port in (80, 443, 8001, 8003, 9200, 22):
            if egress_admits_address(docs, labels, address, port):
                problems.append(f"{address}:{port} reachable")
    for address in PUBLIC_ADDRESSES:
        for port in (22, 6379, 8080, 3306):
            if egress_admits_address(docs, labels, address, port):
                problems.append(f"{address}:{port} reachable")
    return problems


def sender_egress_needs(docs: list[dict[str, Any]]) -> list[str]:
    """What the sender must still reach: webhooks, DNS, database, broker, SMTP."""
    labels = sender_labels(docs)
    missing = [f"{a}:{p}" for a in PUBLIC_ADDRESSES for p in (80, 443)
               if not egress_admits_address(docs, labels, a, p)]
    missing += [f"dns/{proto}" for proto in ("UDP", "TCP")
                if not egress_admits_pod(docs, labels, KUBE_SYSTEM, KUBE_DNS, 53, proto)]
    missing += [f"10.1.2.3:{p}" for p in (5432, 5671, 5672, 25, 587)
                if not egress_admits_address(docs, labels, "10.1.2.3", p)]
    return missing


def test_notify_sender_reaches_only_public_webhooks_dns_and_its_backends(
    base_docs: list[dict[str, Any]],
) -> None:
    assert sender_egress_violations(base_docs) == []
    assert sender_egress_needs(base_docs) == []


def test_dns_is_admitted_to_the_cluster_resolver_only(base_docs: list[dict[str, Any]]) -> None:
    labels = sender_labels(base_docs)
    assert not egress_admits_pod(base_docs, labels, {"kubernetes.io/metadata.name": "yumiao"},
                                 {"app.kubernetes.io/name": "registry"}, 53, "UDP")
    assert not egress_admits_address(base_docs, labels, "8.8.8.8", 53, "UDP")


def loosen_egress(docs: list[dict[str, Any]], how: str) -> list[dict[str, Any]]:
    docs = copy.deepcopy(docs)
    policy = next(p for p in policies(docs) if p["metadata"]["name"] == "notify-sender-egress")
    web = next(r for r in policy["spec"]["egress"] if any(
        p.get("port") == 443 for p in r.get("ports", [])))
    if how == "no-except":
        for peer in web["to"]:
            peer["ipBlock"].pop("except", None)
    elif how == "metadata-allowed":
        v4 = web["to"][0]["ipBlock"]
        v4["except"] = [e for e in v4["except"] if e != "169.254.0.0/16"]
    elif how == "open-rule":
        policy["spec"]["egress"].append({})
    elif how == "any-port-web":
        del web["ports"]
    elif how == "dropped":
        docs.remove(policy)
    return docs


@pytest.mark.parametrize("how", ["no-except", "metadata-allowed", "open-rule", "any-port-web",
                                 "dropped"])
def test_egress_checker_catches_loosened_policies(
    base_docs: list[dict[str, Any]], how: str
) -> None:
    assert sender_egress_violations(loosen_egress(base_docs, how))


def test_rendered_overlays_keep_the_sender_egress(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    _, docs = rendered_overlay
    assert sender_egress_violations(docs) == []
    assert sender_egress_needs(docs) == []
