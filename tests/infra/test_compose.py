"""docker-compose.yml is a valid Compose file that runs exactly the documented processes.

Validated against the Compose Specification's JSON schema (vendored next to this file: see
README.md here for its source), then checked for what the schema cannot know: the commands are
DEVELOPING.md's, every process waits for its migration, only the gateway and RabbitMQ's
management UI are published, secrets come from .env and each of them is documented.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import jsonschema
import pytest

from tests.infra.conftest import INTERNAL_SERVICES
from tests.infra.conftest import ROOT
from tests.infra.conftest import SERVICES

SCHEMA_PATH = ROOT / "tests" / "infra" / "compose-spec.json"
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?::?[-?][^}]*)?\}")
SECRETISH = re.compile(r"PASSWORD|PASS$|SECRET|TOKEN|_KEY$")
#: The documented demo default (issue 5), allowed in the demo profile only.
DEMO_DEFAULT = "YUMIAO_DEMO_PASSWORD"
#: Credentials of optional features, off while empty (SMS without a provider, an SMTP relay
#: without a login such as the demo's Mailpit): these may default to empty, never to a value.
OPTIONAL_SECRETS = {
    "REGISTRY_EVIDENCE_S3_ACCESS_KEY_ID",
    "REGISTRY_EVIDENCE_S3_SECRET_ACCESS_KEY",
    "NOTIFY_SMTP_PASSWORD",
    "NOTIFY_SMS_ACCESS_KEY_ID",
    "NOTIFY_SMS_ACCESS_KEY_SECRET",
    "NOTIFY_SMS_RECEIPT_TOKEN",
}


def compose_errors(document: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema)
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def app_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Services built from this repository (every Yumiao process)."""
    return {name: svc for name, svc in compose["services"].items() if "build" in svc}


#: A scheduled command: Compose has no cron, so a shell loop runs a documented command.
SCHEDULED = re.compile(r"^while :; do (flask --app [\w.]+ [\w-]+) \|\| .*; sleep (\d+); done$")


def command_of(service: dict[str, Any]) -> str:
    """The documented process a service runs (the loop's command for a scheduled one)."""
    command = service["command"]
    if isinstance(command, list) and command[:2] == ["sh", "-c"]:
        scheduled = SCHEDULED.match(command[2])
        assert scheduled, f"a shell command that is not a scheduled process: {command}"
        return scheduled.group(1)
    return command if isinstance(command, str) else " ".join(command)


def owner_of(name: str) -> str:
    """registry-relay -> registry, migrate-notify -> notify, seed-gateway -> gateway."""
    return next(svc for svc in SERVICES if svc in name.split("-"))


def test_schema_is_the_compose_specification() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["title"] == "Compose Specification"
    assert "service" in schema["definitions"]


def test_compose_file_validates_against_the_compose_spec(compose: dict[str, Any]) -> None:
    assert compose_errors(compose) == []


@pytest.mark.parametrize(
    "break_it",
    [
        lambda c: c["services"]["registry"].update(restart_policy="always"),
        lambda c: c["services"]["gateway"]["depends_on"]["registry"].update(condition="up"),
        lambda c: c["services"]["postgres"].update(healthcheck={"test": 1}),
        lambda c: c.update(servics={}),
    ],
    ids=["unknown-key", "bad-condition", "bad-healthcheck", "unknown-top-level"],
)
def test_schema_rejects_broken_files(compose: dict[str, Any], break_it: Any) -> None:
    broken = copy.deepcopy(compose)
    break_it(broken)
    assert compose_errors(broken)


def test_every_process_and_piece_of_infrastructure_is_there(compose: dict[str, Any]) -> None:
    expected = {
        "postgres", "rabbitmq",
        "migrate-registry", "migrate-scoring", "migrate-notify", "migrate-gateway",
        "registry", "registry-relay",
        "scoring", "scoring-consumer", "scoring-relay",
        "notify", "notify-consumer", "notify-relay", "notify-sender",
        "gateway",
    }  # fmt: skip
    assert expected <= set(compose["services"])
    assert compose["services"]["rabbitmq"]["image"].startswith("rabbitmq:3-management")


def test_every_command_is_a_documented_process(
    compose: dict[str, Any], processes: set[str]
) -> None:
    commands = {name: command_of(svc) for name, svc in app_services(compose).items()}
    assert {n: c for n, c in commands.items() if c not in processes} == {}


def test_every_documented_process_runs_in_compose(
    compose: dict[str, Any], processes: set[str]
) -> None:
    commands = {command_of(svc) for svc in app_services(compose).values()}
    assert processes - commands == set()


def test_each_process_uses_its_own_services_image(compose: dict[str, Any]) -> None:
    for name, svc in app_services(compose).items():
        owner = owner_of(name)
        assert svc["build"]["context"] == "." and svc["build"]["dockerfile"] == "Dockerfile"
        assert svc["build"]["args"]["SERVICE"] == owner
        assert svc["image"].split("/")[-1].split(":")[0] == owner
        assert (ROOT / svc["build"]["dockerfile"]).is_file()
        assert f"{owner}." in command_of(svc) or f"{owner}/" in command_of(svc)


def test_processes_wait_for_their_migration(compose: dict[str, Any]) -> None:
    for name, svc in app_services(compose).items():
        if name.startswith("migrate-"):
            assert svc["depends_on"]["postgres"]["condition"] == "service_healthy"
            assert svc["restart"] == "no"
            continue
        deps = svc["depends_on"]
        migrated = {d for d, spec in deps.items() if d.startswith("migrate-")}
        via = {d for d in deps if d.startswith("seed-")}
        assert migrated or via, f"{name} does not wait for a migration"
        for dep in migrated:
            assert deps[dep]["condition"] == "service_completed_successfully"
            assert dep == f"migrate-{owner_of(name)}"


def test_dependencies_exist(compose: dict[str, Any]) -> None:
    names = set(compose["services"])
    for svc in compose["services"].values():
        assert set(svc.get("depends_on", {})) <= names


def test_only_gateway_and_broker_management_are_published(compose: dict[str, Any]) -> None:
    published = {name: svc["ports"] for name, svc in compose["services"].items() if "ports" in svc}
    assert set(published) == {"gateway", "rabbitmq", "mailpit"}
    assert all(p.endswith(":8000") for p in published["gateway"])
    assert all(p.startswith("127.0.0.1:") and p.endswith(":15672") for p in published["rabbitmq"])
    assert all(p.startswith("127.0.0.1:") and p.endswith(":8025") for p in published["mailpit"])


def test_http_services_and_infrastructure_have_healthchecks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("postgres", "rabbitmq"):
        assert services[name]["healthcheck"]["test"]
    for name, (_, port) in SERVICES.items():
        test = " ".join(services[name]["healthcheck"]["test"])
        assert f"127.0.0.1:{port}/healthz" in test
    for name in INTERNAL_SERVICES:
        assert services["gateway"]["depends_on"][name]["condition"] == "service_healthy"


def test_workers_do_not_inherit_the_http_healthcheck(compose: dict[str, Any]) -> None:
    for name, svc in app_services(compose).items():
        if command_of(svc).startswith(("python -m", "flask")):
            assert svc["healthcheck"] == {"disable": True}, name


def test_one_database_and_role_per_service_and_no_superuser(compose: dict[str, Any]) -> None:
    init = compose["configs"]["postgres-databases"]["content"]
    loop = re.search(r"for svc in ([\w ]+); do", init)
    assert loop and set(loop.group(1).split()) == set(SERVICES)
    assert 'CREATE ROLE :"role" LOGIN PASSWORD' in init
    assert 'CREATE DATABASE :"role" OWNER :"role"' in init
    postgres = compose["services"]["postgres"]["environment"]
    for name, svc in app_services(compose).items():
        owner = owner_of(name)
        url = svc["environment"][f"{owner.upper()}_DATABASE_URL"]
        # Its own role (not POSTGRES_USER, the superuser) and its own database.
        assert url.startswith(f"postgresql+psycopg://{owner}:"), name
        assert url.endswith(f"@postgres:5432/{owner}")
        assert f"${{POSTGRES_{owner.upper()}_PASSWORD:?" in url
        assert f"POSTGRES_{owner.upper()}_PASSWORD" in postgres


def test_smtp_server_in_every_profile(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "profiles" not in services["mailpit"]
    sender = services["notify-sender"]
    assert sender["environment"]["NOTIFY_SMTP_HOST"] == "mailpit"
    assert sender["depends_on"]["mailpit"]["condition"] == "service_healthy"


def test_policies_and_reminders_in_every_profile(compose: dict[str, Any]) -> None:
    by_command = {command_of(svc): (name, svc) for name, svc in app_services(compose).items()}
    for command in ("flask --app notify.app seed-policies",
                    "flask --app registry.app emit-expiry-reminders"):
        name, svc = by_command[command]
        assert "profiles" not in svc, f"{name} must run in every profile"
    _, reminders = by_command["flask --app registry.app emit-expiry-reminders"]
    scheduled = SCHEDULED.match(reminders["command"][2])
    assert scheduled and int(scheduled.group(2)) <= 24 * 3600
    assert reminders["restart"] == "unless-stopped"
    # In the demo profile the first run waits for the demo data; elsewhere it need not.
    assert reminders["depends_on"]["seed-registry"] == {
        "condition": "service_completed_successfully", "required": False}


def test_compose_version_is_stated() -> None:
    header = (ROOT / "docker-compose.yml").read_text(encoding="utf-8").split("\nname:", 1)[0]
    assert re.search(r"Docker Compose v2\.23\.1 or later", header)


def test_http_only_gateway_still_signs_in(compose: dict[str, Any]) -> None:
    """Published over plain HTTP: the session cookie must not be Secure, or browsers drop it."""
    gateway = compose["services"]["gateway"]["environment"]
    assert gateway["GATEWAY_COOKIE_SECURE"] == "${GATEWAY_COOKIE_SECURE:-false}"


def test_demo_data_is_behind_the_demo_profile(compose: dict[str, Any]) -> None:
    seeds = {
        name: svc
        for name, svc in app_services(compose).items()
        if any(w in command_of(svc) for w in ("seed-demo", "create-demo-accounts"))
    }
    assert len(seeds) == 2
    assert all(svc["profiles"] == ["demo"] for svc in seeds.values())


def environment_values(compose: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (name, key, str(value))
        for name, svc in compose["services"].items()
        for key, value in (svc.get("environment") or {}).items()
    ]


def test_secrets_come_from_the_environment_only(compose: dict[str, Any]) -> None:
    for service, key, value in environment_values(compose):
        if not SECRETISH.search(key) or key == DEMO_DEFAULT:
            continue
        names = INTERPOLATION.findall(value)
        assert names, f"{service}.{key} is a literal"
        if key in OPTIONAL_SECRETS:
            assert value == f"${{{key}:-}}", f"{service}.{key}: empty (off) or from .env only"
            continue
        assert ":-" not in value and "?" in value, f"{service}.{key} must be required, no default"
    for _service, key, value in environment_values(compose):
        if key.endswith("_DATABASE_URL"):
            assert f"${{POSTGRES_{key.split('_')[0]}_PASSWORD:?" in value
        if key.endswith("_AMQP_URL"):
            assert "${RABBITMQ_PASSWORD:?" in value


def strings_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in strings_in(key) + strings_in(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings_in(item)]
    return [node] if isinstance(node, str) else []


def test_every_variable_is_documented_in_env_example(compose: dict[str, Any]) -> None:
    used = {name for text in strings_in(compose) for name in INTERPOLATION.findall(text)}
    assert {"POSTGRES_PASSWORD", "YUMIAO_INTERNAL_TOKEN", "GATEWAY_SECRET_KEY"} <= used
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert used - documented == set()


def test_env_example_holds_no_real_secret() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    settings = dict(re.findall(r"^([A-Z0-9_]+)=(.*)$", example, flags=re.MULTILINE))
    secrets = {k: v for k, v in settings.items() if SECRETISH.search(k)}
    assert {"POSTGRES_PASSWORD", "RABBITMQ_PASSWORD", "YUMIAO_INTERNAL_TOKEN"} <= set(secrets)
    for key, value in secrets.items():
        if key == DEMO_DEFAULT:
            assert value == "yumiao-demo", "only the documented demo default"
        elif key in OPTIONAL_SECRETS:
            assert value == "", f"{key}: an optional credential stays empty in the example"
        else:
            assert value.startswith("change-me"), f"{key} must be a placeholder"


def test_every_setting_in_env_example_is_documented() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^[A-Z0-9_]+=", line):
            assert lines[i - 1].startswith("#"), f"{line} has no comment above it"
