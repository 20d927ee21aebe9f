"""The Kubernetes manifests are valid, complete and safe to run.

Every manifest validates (strictly: unknown fields fail) against Kubernetes 1.32's schemas as
shipped by kubernetes-validate; the kustomize overlays reference files that exist and render;
every workload runs a documented process with resources and a locked-down security context;
the HTTP Deployments probe /healthz and /readyz; Secrets hold placeholders only.
"""

from __future__ import annotations

import base64
import copy
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.infra.conftest import K8S
from tests.infra.conftest import K8S_VERSION
from tests.infra.conftest import OVERLAYS
from tests.infra.conftest import SERVICES
from tests.infra.conftest import is_web
from tests.infra.conftest import kustomization_files
from tests.infra.conftest import load_docs
from tests.infra.conftest import manifest_files
from tests.infra.conftest import pod_labels
from tests.infra.conftest import pod_specs

KUSTOMIZE_FILE_FIELDS = ("resources", "components", "crds", "configurations")


def validate(doc: dict[str, Any]) -> None:
    kubernetes_validate.validate(doc, K8S_VERSION, strict=True)


def named(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def workloads(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in docs if pod_specs(d)]


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: str(p.relative_to(K8S)))
def test_manifest_validates(path: Path) -> None:
    for doc in load_docs(path):
        validate(doc)


def test_strict_validation_rejects_unknown_fields(base_docs: list[dict[str, Any]]) -> None:
    deployment = copy.deepcopy(named(base_docs, "Deployment")["registry"])
    deployment["spec"]["template"]["spec"]["containers"][0]["livenesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)


@pytest.mark.parametrize("path", kustomization_files(), ids=lambda p: str(p.relative_to(K8S)))
def test_kustomization_references_exist(path: Path) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    refs = [r for field in KUSTOMIZE_FILE_FIELDS for r in spec.get(field, [])]
    refs += [p["path"] for p in spec.get("patches", []) if "path" in p]
    refs += spec.get("patchesStrategicMerge", [])
    assert refs, f"{path} references nothing"
    for ref in refs:
        target = (path.parent / ref).resolve()
        assert target.exists(), f"{path}: {ref} does not exist"
        if target.is_dir():
            assert (target / "kustomization.yaml").is_file(), f"{ref} is not a kustomization"


def test_every_base_file_is_in_a_kustomization() -> None:
    referenced = {
        (path.parent / ref).resolve()
        for path in kustomization_files()
        for ref in yaml.safe_load(path.read_text(encoding="utf-8")).get("resources", [])
    }
    orphans = [p for p in manifest_files() if p.resolve() not in referenced]
    assert orphans == []


def test_overlay_renders_and_validates(rendered_overlay: tuple[str, list[dict[str, Any]]]) -> None:
    name, docs = rendered_overlay
    for doc in docs:
        validate(doc)
    namespaces = {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"}
    assert namespaces == {"yumiao-dev" if name == "dev" else "yumiao"}


def test_overlay_sets_every_image_tag(rendered_overlay: tuple[str, list[dict[str, Any]]]) -> None:
    _, docs = rendered_overlay
    images = {c["image"] for d in workloads(docs) for s in pod_specs(d) for c in s["containers"]}
    assert all(":" in image.rsplit("/", 1)[-1] for image in images), images
    assert not any(image.endswith(":latest") for image in images)


def test_prod_applies_no_secret_from_the_repository() -> None:
    spec = yaml.safe_load((K8S / "overlays/prod/kustomization.yaml").read_text(encoding="utf-8"))
    assert not any("secret" in ref for ref in spec["resources"])


def test_every_service_has_deployment_service_account_and_migration(
    base_docs: list[dict[str, Any]],
) -> None:
    for svc, (_, port) in SERVICES.items():
        assert svc in named(base_docs, "Deployment")
        assert svc in named(base_docs, "ServiceAccount")
        service = named(base_docs, "Service")[svc]
        assert service["spec"]["ports"][0]["port"] == port
        assert f"migrate-{svc}" in named(base_docs, "Job")


def test_services_select_their_web_pods(base_docs: list[dict[str, Any]]) -> None:
    deployments = named(base_docs, "Deployment")
    for name, service in named(base_docs, "Service").items():
        selector = service["spec"]["selector"].items()
        assert selector <= pod_labels(deployments[name]).items()


def test_every_workload_runs_a_documented_process(
    all_docs: list[dict[str, Any]], processes: set[str]
) -> None:
    commands = {
        d["metadata"]["name"]: " ".join(c["command"] + c.get("args", []))
        for d in workloads(all_docs)
        for s in pod_specs(d)
        for c in s["containers"]
    }
    assert {n: c for n, c in commands.items() if c not in processes} == {}
    assert processes - set(commands.values()) == set(), "a documented process is not deployed"


def test_every_workload_has_resources_and_a_locked_down_context(
    all_docs: list[dict[str, Any]],
) -> None:
    for doc in workloads(all_docs):
        for spec in pod_specs(doc):
            assert spec["securityContext"]["runAsNonRoot"] is True
            assert spec["automountServiceAccountToken"] is False
            for container in spec["containers"] + spec.get("initContainers", []):
                resources = container["resources"]
                for bound in ("requests", "limits"):
                    assert {"cpu", "memory"} <= set(resources[bound]), doc["metadata"]["name"]
                context = container["securityContext"]
                assert context["allowPrivilegeEscalation"] is False
                assert context["readOnlyRootFilesystem"] is True
                assert context["capabilities"]["drop"] == ["ALL"]


def test_http_deployments_probe_healthz_and_readyz(base_docs: list[dict[str, Any]]) -> None:
    web = [d for d in named(base_docs, "Deployment").values() if is_web(d)]
    assert {d["metadata"]["name"] for d in web} == set(SERVICES)
    for doc in web:
        container = doc["spec"]["template"]["spec"]["containers"][0]
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        port = SERVICES[doc["metadata"]["name"]][1]
        assert container["ports"][0]["containerPort"] == port


def test_workers_are_deployments_without_fake_probes(base_docs: list[dict[str, Any]]) -> None:
    """No readiness (a worker takes no traffic); liveness only where the loop's heartbeat
    answers it (the worker port's /healthz, tests/infra/test_monitoring.py)."""
    workers = [d for d in named(base_docs, "Deployment").values() if not is_web(d)]
    assert len(workers) == 9  # registry relay, jobs, consumer; scoring consumer, relay, jobs;
    # notify x3
    for doc in workers:
        container = doc["spec"]["template"]["spec"]["containers"][0]
        assert container["command"][:2] == ["python", "-m"]
        assert "readinessProbe" not in container
        if "livenessProbe" in container:
            assert container["livenessProbe"]["httpGet"] == {"path": "/healthz",
                                                            "port": "metrics"}


def test_hpa_for_gateway_and_scoring(base_docs: list[dict[str, Any]]) -> None:
    hpas = named(base_docs, "HorizontalPodAutoscaler")
    assert set(hpas) == {"gateway", "scoring"}
    deployments = named(base_docs, "Deployment")
    for name, hpa in hpas.items():
        assert hpa["apiVersion"] == "autoscaling/v2"
        assert hpa["spec"]["scaleTargetRef"]["name"] == name
        assert "replicas" not in deployments[name]["spec"], "the HPA owns the replica count"


def test_pod_disruption_budgets_cover_every_http_service(base_docs: list[dict[str, Any]]) -> None:
    budgets = named(base_docs, "PodDisruptionBudget")
    deployments = named(base_docs, "Deployment")
    assert set(budgets) == set(SERVICES)
    for name, pdb in budgets.items():
        selector = pdb["spec"]["selector"]["matchLabels"].items()
        assert selector <= pod_labels(deployments[name]).items()


def secret_values(doc: dict[str, Any]) -> dict[str, str]:
    values = dict(doc.get("stringData") or {})
    for key, encoded in (doc.get("data") or {}).items():
        values[key] = base64.b64decode(encoded).decode()
    return values


def is_placeholder(value: str) -> bool:
    return "CHANGE-ME" in value and ("://" not in value or ".invalid" in value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CHANGE-ME-token", True),
        ("postgresql+psycopg://u:CHANGE-ME@db.example.invalid:5432/x", True),
        ("postgresql+psycopg://u:CHANGE-ME@db.prod.internal:5432/x", False),
        ("s3cr3t-value", False),
        ("", False),
    ],
)
def test_placeholder_rule(value: str, expected: bool) -> None:
    assert is_placeholder(value) is expected


def test_secrets_hold_placeholders_only(all_docs: list[dict[str, Any]]) -> None:
    secrets = [d for d in all_docs if d["kind"] == "Secret"]
    assert secrets, "the Secret template is missing"
    for doc in secrets:
        values = secret_values(doc)
        assert values and all(is_placeholder(v) for v in values.values()), doc["metadata"]


def test_secret_template_has_every_key_the_pods_read(base_docs: list[dict[str, Any]]) -> None:
    secrets = {name: secret_values(d) for name, d in named(base_docs, "Secret").items()}
    for doc in workloads(base_docs):
        for spec in pod_specs(doc):
            for container in spec["containers"] + spec.get("initContainers", []):
                for source in container.get("envFrom", []):
                    if "secretRef" in source:
                        assert source["secretRef"]["name"] in secrets
                for env in container.get("env", []):
                    ref = env.get("valueFrom", {}).get("secretKeyRef")
                    if ref:
                        assert ref["key"] in secrets[ref["name"]]
    for svc in SERVICES:
        prefix = svc.upper()
        assert f"{prefix}_DATABASE_URL" in secrets[f"{svc}-secrets"]
        # The gateway speaks no AMQP, so it holds no broker credentials.
        assert (f"{prefix}_AMQP_URL" in secrets[f"{svc}-secrets"]) is (svc != "gateway")


def test_overlays_exist() -> None:
    for overlay in OVERLAYS:
        assert (K8S / "overlays" / overlay / "kustomization.yaml").is_file()
