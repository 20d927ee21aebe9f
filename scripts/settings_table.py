#!/usr/bin/env python3
"""Write docs/settings.md: every environment variable a Yumiao process reads, from the code.

Run with the project's virtualenv (the four services must be importable):

    .venv/bin/python scripts/settings_table.py            # rewrite docs/settings.md
    .venv/bin/python scripts/settings_table.py --check    # exit 1 if it is stale
    .venv/bin/python scripts/settings_table.py --unread   # Settings fields no code reads

Sources, read-only:
* each service's ``Settings`` class (``<svc>.settings``, pydantic-settings ``model_fields``):
  name with the class's prefix, type, default, and the description: the field's
  ``description``, else the ``#:`` comment above it in the class (or the class it inherits
  it from), else a fallback below for fields the code leaves undescribed;
* the variables read outside the Settings classes: ``os.environ.get("NAME", "default")`` in
  each ``gunicorn.conf.py`` and in the packages (found by parsing them), described below.

A Settings field is documented only if some code of that service reads it (``.<field>`` in
the service's package or in the parts of ``yumiao_common`` the service uses): a setting no
code reads is not a setting. ``--unread`` lists those, for whoever owns the code.
tests/infra/test_settings_documented.py fails when docs/settings.md is stale, when a manifest
sets a variable no code reads, and when a process lacks a setting it must be given.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import re
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "settings.md"
COMMON_SRC = ROOT / "libs/common/src/yumiao_common"

#: service -> (package directory, distribution directory).
SERVICES: dict[str, tuple[Path, Path]] = {
    "registry": (ROOT / "services/registry/src/registry", ROOT / "services/registry"),
    "scoring": (ROOT / "services/scoring/src/scoring", ROOT / "services/scoring"),
    "notify": (ROOT / "services/notify/src/notify", ROOT / "services/notify"),
    "gateway": (ROOT / "gateway/src/gateway", ROOT / "gateway"),
}

#: Parts of yumiao_common a service uses only if its code imports them (the gateway speaks no
#: AMQP, so the broker settings the messaging package reads are not the gateway's).
OPTIONAL_COMMON = {"messaging": "yumiao_common.messaging"}

#: Descriptions for fields whose class says nothing (the class's own ``#:`` comment wins).
FALLBACK_DESCRIPTIONS: dict[str, str] = {
    "service_name": "Name in every log line and metric label (the service's own by default).",
    "database_url": "SQLAlchemy URL of the service's own database "
                    "(`postgresql+psycopg://user:password@host:5432/db`; SQLite for one laptop).",
    "amqp_url": "RabbitMQ URL (`amqps://user:password@host:5671/vhost`).",
    "exchange": "Topic exchange every event is published to and every queue is bound to.",
    "log_level": "DEBUG, INFO, WARNING or ERROR.",
    "log_json": "One JSON object a line (false: plain lines, as `make up` runs).",
    "smtp_host": "SMTP relay the e-mail channel sends through.",
    "smtp_port": "Port of the SMTP relay.",
    "smtp_sender": "From address of every e-mail.",
    "smtp_timeout_seconds": "Seconds to wait on the SMTP relay before the attempt fails.",
    "webhook_timeout_seconds": "Seconds to wait on an enterprise's webhook before the attempt "
                               "fails.",
    "delivery_prefetch": "Delivery requests the broker may hand one sender at once.",
    "delivery_workers": "Threads one sender pushes deliveries with.",
    "demo_mode": "A demonstration on one machine (demo accounts, insecure demo key); never in "
                 "production.",
    "registry_url": "Base URL of registry as the gateway reaches it.",
    "scoring_url": "Base URL of scoring as the gateway reaches it.",
    "notify_url": "Base URL of notify as the gateway reaches it.",
    "connect_timeout_seconds": "Seconds to open a connection to a service.",
    "read_timeout_seconds": "Seconds to wait for a service's answer (ordinary requests).",
    "openapi_cache_seconds": "Seconds the merged OpenAPI document is reused.",
    "access_token_seconds": "Lifetime of a bearer access token.",
    "refresh_token_seconds": "Lifetime of a refresh token.",
    "browser_session_seconds": "Lifetime of a browser session (cookie).",
    "session_cookie_name": "Name of the browser session cookie.",
    "ratelimit_enabled": "Rate limits on (false only for benchmarks).",
    "ratelimit_per_principal": "Requests per signed-in account (`limits` syntax).",
    "ratelimit_per_address": "Requests per client address (`limits` syntax).",
    "ratelimit_eligibility": "Anonymous eligibility self-checks per client address.",
    "import_max_shared_strings": "... and at most this many shared strings ...",
    "argon2_memory_kib": "argon2id memory per hash, KiB.",
    "argon2_parallelism": "argon2id lanes per hash.",
    "argon2_wait_seconds": "Seconds a sign-in waits for an argon2 slot before a 503.",
    "ratelimit_login_account": "Failed sign-ins per account (`limits` syntax).",
    "ratelimit_password_account": "Failed current-password checks per account.",
}

#: Settings a deployment must provide (compose and k8s, for every process that reads them):
#: those without a default, plus those whose embedded default serves only one laptop (SQLite
#: in the working directory, the local broker, 127.0.0.1 upstreams). key: (service, field).
DEPLOY_REQUIRED: dict[tuple[str, str], str] = {
    **{(svc, "database_url"): "the default is a SQLite file (read-only in the images)"
       for svc in SERVICES},
    **{(svc, "amqp_url"): "the default is guest@127.0.0.1" for svc in ("registry", "scoring",
                                                                      "notify")},
    **{(svc, "internal_token"): "required outside demo mode" for svc in SERVICES},
    ("gateway", "secret_key"): "required outside demo mode",
    ("gateway", "registry_url"): "the default is 127.0.0.1",
    ("gateway", "scoring_url"): "the default is 127.0.0.1",
    ("gateway", "notify_url"): "the default is 127.0.0.1",
    ("gateway", "redis_url"): "unset = rate limits per process, wrong with several workers",
    ("notify", "smtp_host"): "the default is 127.0.0.1",
    ("notify", "public_url"): "unset = e-mails and webhooks carry no link to the portal",
}

#: Variables read outside the Settings classes: name -> description. ``<SVC>`` stands for each
#: service prefix that reads it (found in the code; a variable found and not described here
#: fails the script).
OTHER_DESCRIPTIONS: dict[str, str] = {
    "WEB_CONCURRENCY": "gunicorn worker processes per HTTP pod (gunicorn.conf.py).",
    "<SVC>_BIND": "Address gunicorn listens on (the images set 0.0.0.0:<port>).",
    "<SVC>_THREADS": "Threads per gunicorn worker (gthread); each may hold one database "
                     "connection.",
    "<SVC>_WORKER_TIMEOUT": "Seconds a request may run before the watchdog ends its worker.",
    "<SVC>_GRACEFUL_TIMEOUT": "Seconds in-flight requests get after SIGTERM.",
    "<SVC>_MAX_REQUESTS": "Requests after which a worker is recycled (0 = never).",
    "<SVC>_MAX_REQUESTS_JITTER": "Random extra requests so workers do not recycle together.",
    "<SVC>_KEEPALIVE": "Seconds an idle keep-alive connection is held open.",
    "<SVC>_ACCESS_LOG": "Access log target (`-` = stdout, empty = off).",
    "<SVC>_WORKER_CLASS": "gunicorn worker class.",
    "<SVC>_MIGRATIONS_DIR": "Where the Alembic scripts are, when not `<dist>/migrations` "
                            "(migrate command and schema gate).",
    "YUMIAO_DEMO_PASSWORD": "Password of every demo account (`create-demo-accounts`, demo "
                            "mode only; default `yumiao-demo`).",
}

#: Variables read through an f-string (not a literal the parser can find): (template, file).
DYNAMIC_VARIABLES = {
    "<SVC>_MIGRATIONS_DIR": ("libs/common/src/yumiao_common/db/migrations.py",
                             "libs/common/src/yumiao_common/db/schema_gate.py"),
}


@dataclass(frozen=True)
class Setting:
    """One documented variable."""

    env: str            # full name, e.g. NOTIFY_SMTP_HOST (or <SVC>_BIND for "other")
    field: str          # Settings field name ("" for other variables)
    type: str
    default: str
    description: str
    required: str       # why a deployment must set it, or ""


# ---- Settings classes ----------------------------------------------------------------------

def settings_class(service: str) -> type[Any]:
    cls: type[Any] = importlib.import_module(f"{service}.settings").Settings
    return cls


def env_prefix(service: str) -> str:
    return str(settings_class(service).model_config.get("env_prefix", ""))


def _comments_above(cls: type[Any]) -> dict[str, str]:
    """``#:`` comments written directly above each annotated field of ``cls``'s own body."""
    try:
        lines, _start = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return {}
    source = textwrap.dedent("".join(lines))
    body = source.splitlines()
    found: dict[str, str] = {}
    tree = ast.parse(source)
    klass = tree.body[0]
    assert isinstance(klass, ast.ClassDef)
    for node in klass.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            comment: list[str] = []
            i = node.lineno - 2
            while i >= 0 and body[i].strip().startswith("#:"):
                comment.insert(0, body[i].strip()[2:].strip())
                i -= 1
            if comment:
                found[node.target.id] = " ".join(comment)
    return found


def describe(cls: type[Any], name: str, info: FieldInfo) -> str:
    if info.description:
        return info.description
    for klass in cls.__mro__:
        if name in getattr(klass, "__annotations__", {}):
            text = _comments_above(klass).get(name)
            if text:
                return text
    return FALLBACK_DESCRIPTIONS.get(name, "")


def type_name(annotation: Any) -> str:
    if isinstance(annotation, type):
        return annotation.__name__
    return re.sub(r"\b(typing|pydantic\.types|pydantic)\.", "", str(annotation))


def default_text(info: FieldInfo) -> str:
    if info.default_factory is not None:
        value: Any = info.default_factory()  # type: ignore[call-arg]
    elif info.default is PydanticUndefined:
        return "**required**"
    else:
        value = info.default
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "`[]`" if not value else f"`{value}`"
    return f"`{value}`"


def _python_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.py") if "__pycache__" not in p.parts)


def _code_reading(service: str) -> str:
    """The text of every module whose attribute reads count as ``service`` reading a field."""
    package, _dist = SERVICES[service]
    own = "\n".join(p.read_text(encoding="utf-8") for p in _python_files(package))
    common = []
    for path in _python_files(COMMON_SRC):
        part = path.relative_to(COMMON_SRC).parts[0]
        if part in OPTIONAL_COMMON and OPTIONAL_COMMON[part] not in own:
            continue
        common.append(path.read_text(encoding="utf-8"))
    return own + "\n" + "\n".join(common)


def _own_settings_source(service: str) -> str:
    return (SERVICES[service][0] / "settings.py").read_text(encoding="utf-8")


def is_read(code: str, field: str) -> bool:
    """Some code reads ``field``: an attribute access or a name in quotes (getattr, update)."""
    return bool(re.search(rf"\.{field}\b", code) or re.search(rf"[\"']{field}[\"']", code))


def service_settings(service: str) -> tuple[list[Setting], list[str]]:
    """(documented settings, fields no code reads) of ``service``'s Settings class."""
    cls = settings_class(service)
    prefix = env_prefix(service)
    code = _code_reading(service)
    documented, unread = [], []
    for name, info in cls.model_fields.items():
        if not is_read(code, name):
            unread.append(f"{prefix}{name.upper()}")
            continue
        documented.append(Setting(
            env=f"{prefix}{name.upper()}", field=name, type=type_name(info.annotation),
            default=default_text(info), description=describe(cls, name, info),
            required=DEPLOY_REQUIRED.get((service, name), ""),
        ))
    return documented, unread


# ---- variables read outside the Settings classes -------------------------------------------

def _environ_reads(path: Path) -> list[tuple[str, str | None]]:
    """(name, default) of every ``os.environ.get("NAME"[, "default"])`` / ``os.getenv`` /
    ``os.environ["NAME"]`` with a literal name in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = ast.unparse(node.func)
            if func in ("os.environ.get", "os.getenv", "environ.get", "getenv"):
                name = node.args[0]
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    default = node.args[1] if len(node.args) > 1 else None
                    value = (str(default.value) if isinstance(default, ast.Constant)
                             else None if default is None else ast.unparse(default))
                    found.append((name.value, value))
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                found.append((node.slice.value, None))
    return found


def other_variables() -> tuple[list[Setting], dict[str, set[str]]]:
    """Variables read outside Settings: the documented rows, and service -> names it reads."""
    reads: dict[str, dict[str, str | None]] = {}   # template -> service -> default
    by_service: dict[str, set[str]] = {svc: set() for svc in SERVICES}
    prefixes = {svc: env_prefix(svc) for svc in SERVICES}
    for service, (package, dist) in SERVICES.items():
        files = _python_files(package) + [dist / "gunicorn.conf.py"]
        files += list((dist / "migrations").glob("env.py"))
        for path in files:
            if not path.is_file():
                continue
            for name, default in _environ_reads(path):
                prefix = prefixes[service]
                template = "<SVC>_" + name[len(prefix):] if name.startswith(prefix) else name
                settings_field = name[len(prefix):].lower() if name.startswith(prefix) else ""
                if settings_field and settings_field in settings_class(service).model_fields:
                    continue  # a Settings field read directly (migrations/env.py): documented
                reads.setdefault(template, {})[service] = default
                by_service[service].add(name)
    for template in DYNAMIC_VARIABLES:
        for service, prefix in prefixes.items():
            reads.setdefault(template, {})[service] = None
            by_service[service].add(template.replace("<SVC>_", prefix))
    rows = []
    for template in sorted(reads):
        if template not in OTHER_DESCRIPTIONS:
            raise SystemExit(f"{template} is read by {sorted(reads[template])} but not "
                             f"described in scripts/settings_table.py OTHER_DESCRIPTIONS")
        defaults = reads[template]
        distinct = {d for d in defaults.values()}
        if len(distinct) == 1:
            default = _plain_default(next(iter(distinct)))
        else:
            default = ", ".join(f"{svc} {_plain_default(d)}" for svc, d in sorted(defaults.items()))
        readers = ", ".join(svc for svc in SERVICES if svc in defaults)
        description = OTHER_DESCRIPTIONS[template]
        if template.startswith("<SVC>_"):
            description += f" Read by: {readers}."
        rows.append(Setting(env=template, field="", type="str", default=default,
                            description=description, required=""))
    stale = set(OTHER_DESCRIPTIONS) - set(reads)
    if stale:
        raise SystemExit(f"described but read by no code: {sorted(stale)}")
    return rows, by_service


def _plain_default(value: str | None) -> str:
    return "unset" if value is None else f"`{value}`" if value else "empty"


# ---- credentials per process -----------------------------------------------------------------

#: What each kind of process is given from the Secrets (and only that): the settings it uses.
#: kind: "web" (gunicorn), "relay", "consumer", "sender", "gate" (the schema-gate init
#: container), or a flask command name. Checked against compose and k8s by tests/infra.
CREDENTIALS: dict[tuple[str, str], tuple[str, ...]] = {
    # /readyz checks the database only: the web processes write events to the outbox.
    # The evidence store's account (optional keys: unset = the pod's role or no S3 at all).
    ("registry", "web"): ("database_url", "internal_token", "evidence_s3_access_key_id",
                          "evidence_s3_secret_access_key"),
    ("registry", "relay"): ("database_url", "amqp_url"),
    # The jobs workers read and write their own database only (events go through the outbox).
    ("registry", "jobs"): ("database_url",),
    # Every flask command builds the app, which refuses to start without the internal token.
    ("registry", "migrate"): ("database_url", "internal_token"),
    ("registry", "seed-demo"): ("database_url", "internal_token"),
    ("registry", "emit-expiry-reminders"): ("database_url", "internal_token"),
    ("registry", "run-pipeline-lifecycle"): ("database_url", "internal_token"),
    ("registry", "freeze-year-end"): ("database_url", "internal_token"),
    # The readiness read model: scoring's eligibility events into registry's own table.
    ("registry", "consumer"): ("database_url", "amqp_url"),
    ("scoring", "web"): ("database_url", "internal_token"),
    ("scoring", "relay"): ("database_url", "amqp_url"),
    ("scoring", "consumer"): ("database_url", "amqp_url"),
    ("scoring", "jobs"): ("database_url",),
    ("scoring", "migrate"): ("database_url", "internal_token"),
    # The SMS receipt callback's token (optional key: unset = receipts refused).
    ("notify", "web"): ("database_url", "internal_token", "sms_receipt_token"),
    ("notify", "relay"): ("database_url", "amqp_url"),
    ("notify", "consumer"): ("database_url", "amqp_url"),
    # The relay account (optional keys in k8s: a relay without login has none).
    # The relay account and the SMS provider's keys (optional keys in k8s: a relay without
    # login has none; without SMS, NOTIFY_SMS_PROVIDER=none, no keys).
    ("notify", "sender"): ("database_url", "amqp_url", "smtp_username", "smtp_password",
                           "sms_access_key_id", "sms_access_key_secret"),
    ("notify", "migrate"): ("database_url", "internal_token"),
    ("notify", "seed-policies"): ("database_url", "internal_token"),
    ("notify", "emit-window-reminders"): ("database_url", "internal_token"),
    # The gateway speaks no AMQP. Its settings refuse to load without the key outside demo mode.
    ("gateway", "web"): ("database_url", "internal_token", "secret_key", "redis_url"),
    ("gateway", "migrate"): ("database_url", "secret_key"),
    # Demo mode (no key needed); lists registry's enterprises with the internal token.
    ("gateway", "create-demo-accounts"): ("database_url", "internal_token"),
    **{(svc, "gate"): ("database_url",) for svc in SERVICES},
}

#: Settings that are credentials (a Secret's, never a ConfigMap's or a compose literal's).
SECRET_FIELDS = ("database_url", "amqp_url", "internal_token", "secret_key", "redis_url",
                 "smtp_username", "smtp_password", "sms_access_key_id", "sms_access_key_secret",
                 "sms_receipt_token", "evidence_s3_access_key_id", "evidence_s3_secret_access_key")


# ---- the document ------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    out = [
        "# Settings",
        "",
        "<!-- Generated by scripts/settings_table.py from the code; do not edit. Rewrite it "
        "with `.venv/bin/python scripts/settings_table.py`; "
        "tests/infra/test_settings_documented.py fails when it is stale. -->",
        "",
        "Every environment variable a Yumiao process reads, once. Each service reads its own "
        "prefix through pydantic-settings (`<svc>/settings.py`, class `Settings`); lists are "
        "JSON (`NOTIFY_WEBHOOK_ALLOWED_PORTS=[8443]`), booleans `true`/`false`. "
        "**deploy** names the settings docker-compose.yml and k8s must provide for every "
        "process that reads them (the embedded default runs on one laptop only); the others "
        "are deliberately defaulted. Where each process gets its values: "
        "[operations.md](operations.md); the credentials each process is given: the last "
        "table.",
        "",
    ]
    for service in SERVICES:
        rows, _unread = service_settings(service)
        out += [f"## {service} (`{env_prefix(service)}`)", "",
                "| variable | type | default | deploy | description |",
                "|---|---|---|---|---|"]
        for row in rows:
            deploy = f"yes: {row.required}" if row.required else ""
            out.append(f"| `{row.env}` | `{_cell(row.type)}` | {_cell(row.default)} | "
                       f"{_cell(deploy)} | {_cell(row.description)} |")
        out.append("")
    rows, _by_service = other_variables()
    out += ["## Read outside the Settings classes", "",
            "gunicorn's configuration (`gunicorn.conf.py` of each service), the migration "
            "helpers and the demo accounts read these directly. `<SVC>` is the service's "
            "prefix (`REGISTRY`, `SCORING`, `NOTIFY`, `GATEWAY`).", "",
            "| variable | default | description |", "|---|---|---|"]
    for row in rows:
        out.append(f"| `{row.env}` | {_cell(row.default)} | {_cell(row.description)} |")
    out += ["", "## Credentials each process is given", "",
            "From the Secrets (k8s) or `.env` (compose), and nothing else: a process that does "
            "not use a credential does not hold it.", "",
            "| service | process | credentials |", "|---|---|---|"]
    for (service, kind), fields in CREDENTIALS.items():
        prefix = env_prefix(service)
        names = ", ".join(f"`{prefix}{f.upper()}`" for f in fields)
        out.append(f"| {service} | {kind} | {names} |")
    out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/settings.md is stale")
    parser.add_argument("--unread", action="store_true", help="list Settings fields no code reads")
    args = parser.parse_args(argv)
    if args.unread:
        for service in SERVICES:
            for name in service_settings(service)[1]:
                print(name)
        return 0
    text = render()
    if args.check:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC.relative_to(ROOT)} is stale: run scripts/settings_table.py",
                  file=sys.stderr)
            return 1
        return 0
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
