"""Fixtures for the deployment checks: the repo's Dockerfiles, compose file and k8s manifests.

Everything here is static and offline (no Docker engine, no cluster): files are parsed and
validated against vendored or packaged schemas. Rendering the kustomize overlays needs
``kubectl`` (kustomize is built in), which this machine's image ships.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "k8s"
#: The Kubernetes version the manifests are validated for (kubernetes-validate ships its schemas).
K8S_VERSION = "1.32.0"
#: HTTP services: name -> (source directory, port). The gateway is the only public one.
SERVICES = {
    "registry": ("services/registry", 8001),
    "scoring": ("services/scoring", 8002),
    "notify": ("services/notify", 8003),
    "gateway": ("gateway", 8000),
}
INTERNAL_SERVICES = ("registry", "scoring", "notify")
OVERLAYS = ("dev", "prod")


def load_docs(path: Path) -> list[dict[str, Any]]:
    """Every non-empty YAML document of ``path``."""
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def is_kustomization(path: Path) -> bool:
    return path.name == "kustomization.yaml"


def manifest_files() -> list[Path]:
    """Complete manifests under k8s/ (kustomizations and partial patches excluded)."""
    return sorted(
        p for p in K8S.rglob("*.yaml") if not is_kustomization(p) and "patches" not in p.parts
    )


def kustomization_files() -> list[Path]:
    return sorted(K8S.rglob("kustomization.yaml"))


def pod_specs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The pod spec of a workload (Deployment, Job, CronJob), else nothing."""
    kind = doc.get("kind")
    if kind in ("Deployment", "Job", "StatefulSet", "DaemonSet"):
        return [doc["spec"]["template"]["spec"]]
    if kind == "CronJob":
        return [doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]]
    return []


def pod_labels(doc: dict[str, Any]) -> dict[str, str]:
    if doc.get("kind") == "CronJob":
        return dict(doc["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"])
    return dict(doc["spec"]["template"]["metadata"]["labels"])


def is_web(doc: dict[str, Any]) -> bool:
    """A Deployment that serves HTTP (its pods declare a port named ``http``; a worker's only
    port is ``metrics``)."""
    return doc.get("kind") == "Deployment" and any(
        port.get("name") == "http"
        for c in doc["spec"]["template"]["spec"]["containers"] for port in c.get("ports", [])
    )


def developing_processes() -> set[str]:
    """The commands DEVELOPING.md's "Processes" table lists (the orchestration contract)."""
    text = (ROOT / "DEVELOPING.md").read_text(encoding="utf-8")
    section = text.split("## Processes", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "`" in line]
    return {cmd.strip() for row in rows for cmd in re.findall(r"`([^`]+)`", row)}


def kubectl_kustomize(directory: Path) -> list[dict[str, Any]]:
    """Render a kustomization with kubectl's built-in kustomize (part of this machine's image).

    A missing kubectl fails the test rather than skipping it: an unrendered overlay is unchecked.
    """
    kubectl = shutil.which("kubectl")
    assert kubectl is not None, "kubectl (with built-in kustomize) is needed to render overlays"
    out = subprocess.run(
        [kubectl, "kustomize", str(directory)], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, f"kustomize build {directory} failed:\n{out.stderr}"
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


@pytest.fixture(scope="session")
def processes() -> set[str]:
    found = developing_processes()
    assert len(found) >= 15, f"could not read DEVELOPING.md's Processes table: {found}"
    return found


@pytest.fixture(scope="session")
def base_docs() -> list[dict[str, Any]]:
    """Every manifest of k8s/base (the Secret template included)."""
    return [doc for path in manifest_files() if "base" in path.parts for doc in load_docs(path)]


@pytest.fixture(scope="session")
def all_docs() -> list[dict[str, Any]]:
    """Every complete manifest under k8s/ (base, template and overlay resources)."""
    return [doc for path in manifest_files() for doc in load_docs(path)]


@pytest.fixture(scope="session")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="session", params=OVERLAYS)
def rendered_overlay(request: pytest.FixtureRequest) -> tuple[str, list[dict[str, Any]]]:
    """(overlay name, rendered documents) for each overlay."""
    return request.param, kubectl_kustomize(K8S / "overlays" / request.param)
