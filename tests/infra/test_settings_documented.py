"""Every setting a process is given is read by code, documented once, and given where needed.

docs/settings.md is generated from the Settings classes (scripts/settings_table.py); these
checks hold it to the code and the manifests to it:
* the document is current;
* every variable docker-compose.yml or k8s (rendered overlays) gives a process is one its service
  reads (a Settings field some code reads, or a documented variable such as WEB_CONCURRENCY);
  the shared ConfigMap's keys each belong to some service;
* every process gets exactly the credentials docs/settings.md lists for it, and every setting
  a deployment must provide (``deploy``) that the process uses;
* a Settings field no code reads is a known one (listed below for the code's owners), never a
  new one.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest

from tests.infra.conftest import ROOT
from tests.infra.conftest import pod_specs

sys.path.insert(0, str(ROOT / "scripts"))
import settings_table as table  # noqa: E402

#: Settings fields no code reads today. They are left out of docs/settings.md and out of the
#: manifests; each is the owning service's to wire up or delete (then drop it here: the test
#: below fails once one is read, so this list only shrinks).
KNOWN_UNREAD: set[str] = set()

#: Settings a process of this kind uses beyond its credentials and must be given (``deploy``).
CONFIG_NEEDED: dict[tuple[str, str], tuple[str, ...]] = {
    ("gateway", "web"): ("registry_url", "scoring_url", "notify_url"),
    ("gateway", "create-demo-accounts"): ("registry_url",),
    ("notify", "sender"): ("smtp_host", "public_url"),
}


def readable() -> dict[str, set[str]]:
    """service -> every variable name its code reads (documented settings and others)."""
    _rows, others = table.other_variables()
    names = {}
    for service in table.SERVICES:
        rows, _unread = table.service_settings(service)
        names[service] = {row.env for row in rows} | others[service] | {"WEB_CONCURRENCY"}
    return names


READABLE = readable()


def process_of(command: list[str]) -> tuple[str, str]:
    """(service, kind) of a documented command, as docs/settings.md names processes."""
    text = " ".join(command)
    if command[0] == "gunicorn":
        return next(s for s in table.SERVICES if f"{s}/gunicorn.conf.py" in text), "web"
    module = re.search(r"python -m ([\w.]+)(?: (\w+))?", text)
    if module and module.group(1) == "yumiao_common.db.schema_gate":
        return str(module.group(2)), "gate"
    if module:
        service, kind = module.group(1).split(".")
        return service, kind
    flask = re.search(r"flask --app (\w+)\.app ([\w-]+)", text)
    assert flask, f"not a documented process: {text}"
    return flask.group(1), flask.group(2)


def credentials_given(service: str, names: set[str]) -> set[str]:
    prefix = table.env_prefix(service)
    return {n[len(prefix):].lower() for n in names
            if n.startswith(prefix) and n[len(prefix):].lower() in table.SECRET_FIELDS}


def check_process(where: str, service: str, kind: str, names: set[str]) -> list[str]:
    problems = []
    unread = names - READABLE[service]
    if unread:
        problems.append(f"{where}: {sorted(unread)} read by no {service} code")
    expected = set(table.CREDENTIALS[(service, kind)])
    given = credentials_given(service, names)
    if given != expected:
        problems.append(f"{where}: credentials {sorted(given)}, uses {sorted(expected)}")
    prefix = table.env_prefix(service)
    for field in CONFIG_NEEDED.get((service, kind), ()):
        assert (service, field) in table.DEPLOY_REQUIRED
        if f"{prefix}{field.upper()}" not in names:
            problems.append(f"{where}: needs {prefix}{field.upper()}")
    return problems


# ---- the document --------------------------------------------------------------------------


def test_settings_document_is_current() -> None:
    assert (ROOT / "docs/settings.md").read_text(encoding="utf-8") == table.render(), (
        "docs/settings.md is stale: run .venv/bin/python scripts/settings_table.py")


def test_every_documented_setting_has_a_description() -> None:
    for service in table.SERVICES:
        rows, _unread = table.service_settings(service)
        assert [r.env for r in rows if not r.description] == [], "add a #: comment in the class"


def test_no_setting_is_documented_that_no_code_reads() -> None:
    unread = {name for svc in table.SERVICES for name in table.service_settings(svc)[1]}
    assert unread - KNOWN_UNREAD == set(), "a new Settings field no code reads"
    assert KNOWN_UNREAD - unread == set(), "now read: remove it from KNOWN_UNREAD"
    text = (ROOT / "docs/settings.md").read_text(encoding="utf-8")
    assert [name for name in unread if f"`{name}`" in text] == []


def test_the_read_check_sees_reads_and_only_reads() -> None:
    assert table.is_read("x = settings.smtp_host\n", "smtp_host")
    assert table.is_read('getattr(settings, "smtp_host")', "smtp_host")
    assert not table.is_read("smtp_host: str = '127.0.0.1'\n", "smtp_host")
    assert not table.is_read("x = settings.smtp_hostname\n", "smtp_host")


def test_every_process_kind_with_credentials_is_a_real_process() -> None:
    documented = (ROOT / "DEVELOPING.md").read_text(encoding="utf-8")
    for service, kind in table.CREDENTIALS:
        if kind in ("web", "gate"):
            continue
        assert (f"{service}.app {kind}" in documented
                or f"python -m {service}.{kind}" in documented), (service, kind)


# ---- docker-compose.yml -----------------------------------------------------------------------


def test_compose_gives_each_process_what_it_reads_and_needs(compose: dict[str, Any]) -> None:
    problems = []
    for name, svc in compose["services"].items():
        if "build" not in svc:
            continue
        command = svc["command"]
        if command[:2] == ["sh", "-c"]:  # a scheduled command: the loop runs one process
            command = command[2].split("; do ", 1)[1].split(" ||", 1)[0].split()
        service, kind = process_of(command)
        problems += check_process(f"compose {name}", service, kind, set(svc["environment"]))
    assert problems == []


# ---- k8s ------------------------------------------------------------------------------------


def container_variables(container: dict[str, Any], docs: list[dict[str, Any]]) -> set[str]:
    names = {env["name"] for env in container.get("env", [])}
    for source in container.get("envFrom", []):
        kind, key = ("ConfigMap", "configMapRef") if "configMapRef" in source else (
            "Secret", "secretRef")
        ref = source[key]["name"]
        doc = next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == ref)
        names |= set(doc.get("data") or {}) | set(doc.get("stringData") or {})
    return names


def test_k8s_gives_each_process_what_it_reads_and_needs(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    overlay, docs = rendered_overlay
    shared = {d["metadata"]["name"] for d in docs if d["kind"] == "ConfigMap"}
    problems = []
    for doc in docs:
        for spec in pod_specs(doc):
            for container in spec.get("initContainers", []) + spec["containers"]:
                if container["command"][:2] == ["python", "-c"]:
                    continue  # the dev overlay's wait for demo data (reads its own two variables)
                service, kind = process_of(container["command"])
                names = container_variables(container, docs)
                # The shared ConfigMap carries every service's prefix; a process reads its own.
                own = {n for n in names if n.startswith(table.env_prefix(service))
                       or not any(n.startswith(table.env_prefix(s)) for s in table.SERVICES)}
                where = f"{overlay} {doc['metadata']['name']}/{container['name']}"
                problems += check_process(where, service, kind, own)
                for source in container.get("envFrom", []):
                    assert "secretRef" not in source, f"{where}: a whole Secret, not its keys"
                    assert source["configMapRef"]["name"] in shared
    assert problems == []


def test_every_configmap_key_is_read_by_some_service(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    _, docs = rendered_overlay
    every = set().union(*READABLE.values())
    for doc in docs:
        if doc["kind"] == "ConfigMap":
            assert set(doc["data"]) - every == set(), doc["metadata"]["name"]


def test_every_secret_key_is_a_credential_some_process_uses(
    rendered_overlay: tuple[str, list[dict[str, Any]]],
) -> None:
    overlay, docs = rendered_overlay
    used = {f"{table.env_prefix(svc)}{field.upper()}"
            for (svc, _kind), fields in table.CREDENTIALS.items() for field in fields}
    for doc in docs:
        if doc["kind"] == "Secret" and doc["metadata"]["name"] != "yumiao-internal-token":
            keys = set(doc.get("stringData") or {}) | set(doc.get("data") or {})
            assert keys - used == set(), (overlay, doc["metadata"]["name"])


@pytest.mark.parametrize("service", list(table.SERVICES))
def test_required_settings_have_a_reason(service: str) -> None:
    rows, _unread = table.service_settings(service)
    for row in rows:
        if row.default == "**required**":
            assert row.required, f"{row.env} has no default: add it to DEPLOY_REQUIRED"


def test_every_deploy_setting_is_given_to_the_processes_that_use_it() -> None:
    """Each ``deploy`` setting is a credential or a config some process kind is checked for."""
    covered = {(svc, f) for (svc, _kind), fields in table.CREDENTIALS.items() for f in fields}
    covered |= {(svc, f) for (svc, _kind), fields in CONFIG_NEEDED.items() for f in fields}
    assert set(table.DEPLOY_REQUIRED) - covered == set()
