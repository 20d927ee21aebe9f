"""Wait until a service's database carries the schema its code was built for.

A release's pods may start before its migration Job has finished (Kubernetes applies both at
once), and code that meets an older schema fails on its first query, or worse, half-way through
a write. Each Deployment therefore runs this first, as an init container:

    python -m yumiao_common.db.schema_gate registry      # or scoring, notify, gateway

It waits until the database's Alembic revision is the head of the service's own migrations
directory, then exits 0 (the main container starts); after ``--timeout`` seconds it exits 1 and
the kubelet retries the pod. A database *ahead* of this code (a revision this code does not
know: the next release has migrated while this pod restarts or a rollback runs) is accepted at
once: the expand → deploy → contract rule (DEVELOPING.md) keeps the previous release's code
working on the next schema, and ``tests/infra/test_previous_release_runs_on_new_schema.py``
checks it.

The migrations directory is found the way the service's own ``migrate`` command finds it: the
service's distribution directory (``<dist>/src/<service>/`` → ``<dist>/migrations``; the images
install every service editable at ``/app/<dist>``), or ``<PREFIX>_MIGRATIONS_DIR``. The database
URL is ``<PREFIX>_DATABASE_URL`` (prefix from the service's Settings class), read without
building the settings, so the gate needs no secret but the database URL.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from yumiao_common.db.engine import make_engine

log = logging.getLogger("yumiao.schema_gate")

#: The services that have a database and migrations of their own.
SERVICES = ("registry", "scoring", "notify", "gateway")


@dataclass(frozen=True)
class ServiceSchema:
    """Where a service's migrations live and which database they describe."""

    service: str
    migrations_dir: Path
    database_url: str


@dataclass(frozen=True)
class SchemaState:
    """The database's revisions against the code's head, and whether the code may start."""

    current: frozenset[str]
    head: frozenset[str]
    ahead: bool

    @property
    def ready(self) -> bool:
        return self.current == self.head or self.ahead

    def describe(self) -> str:
        current = ", ".join(sorted(self.current)) or "none (not migrated)"
        head = ", ".join(sorted(self.head))
        if self.ahead:
            return f"database at {current}, newer than this code's head {head}: accepted"
        return f"database at {current}, code expects {head}"


def env_prefix(service: str) -> str:
    """The settings prefix of ``service`` (``REGISTRY_``), from its Settings class."""
    settings_cls = importlib.import_module(f"{service}.settings").Settings
    return str(settings_cls.model_config.get("env_prefix", f"{service.upper()}_"))


class MigrationsNotFound(RuntimeError):
    """The service's migrations directory is not where the code looks for it."""


def migrations_dir(service: str) -> Path:
    """Where ``service``'s Alembic migrations are (``<PREFIX>_MIGRATIONS_DIR`` overrides)."""
    prefix = env_prefix(service)
    spec = importlib.util.find_spec(service)
    if spec is None or spec.origin is None:
        raise MigrationsNotFound(f"package {service!r} is not installed")
    dist_dir = Path(spec.origin).resolve().parents[2]  # <dist>/src/<service>/__init__.py
    migrations = Path(os.environ.get(f"{prefix}MIGRATIONS_DIR") or dist_dir / "migrations")
    if not (migrations / "env.py").is_file():
        raise MigrationsNotFound(f"no migrations at {migrations} (set {prefix}MIGRATIONS_DIR)")
    return migrations


def locate(service: str) -> ServiceSchema:
    """The migrations directory and database URL of ``service`` in this environment."""
    if service not in SERVICES:
        raise SystemExit(f"unknown service {service!r}; one of {', '.join(SERVICES)}")
    prefix = env_prefix(service)
    try:
        migrations = migrations_dir(service)
    except MigrationsNotFound as exc:
        raise SystemExit(str(exc)) from None
    settings_cls = importlib.import_module(f"{service}.settings").Settings
    default_url = str(settings_cls.model_fields["database_url"].default)
    url = os.environ.get(f"{prefix}DATABASE_URL") or default_url
    return ServiceSchema(service=service, migrations_dir=migrations, database_url=url)


@dataclass(frozen=True)
class CodeRevisions:
    """What the code's migrations directory says: its head(s) and every revision it knows.

    Read once per process (the files do not change under a running process); a readiness
    probe then costs one query.
    """

    head: frozenset[str]
    known: frozenset[str]

    @classmethod
    def read(cls, migrations: Path) -> CodeRevisions:
        script = ScriptDirectory(str(migrations))
        return cls(head=frozenset(script.get_heads()),
                   known=frozenset(rev.revision for rev in script.walk_revisions()))

    def state_of(self, conn: Connection) -> SchemaState:
        """The state of the database ``conn`` is connected to."""
        current = frozenset(MigrationContext.configure(conn).get_current_heads())
        ahead = bool(current) and not current <= self.known
        return SchemaState(current=current, head=self.head, ahead=ahead)


def schema_state(schema: ServiceSchema) -> SchemaState:
    """Read the database's current revisions (one short connection) and compare."""
    revisions = CodeRevisions.read(schema.migrations_dir)
    engine = make_engine(schema.database_url)
    try:
        with engine.connect() as conn:
            return revisions.state_of(conn)
    finally:
        engine.dispose()


def wait_for_schema(
    schema: ServiceSchema,
    *,
    timeout: float = 600.0,
    interval: float = 2.0,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> SchemaState | None:
    """Poll until the schema is ready; the last state seen, or None if never reached."""
    deadline = clock() + timeout
    last_message = ""
    while True:
        try:
            state = schema_state(schema)
            message = state.describe()
            if state.ready:
                log.info("%s: %s", schema.service, message)
                return state
        except SQLAlchemyError as exc:
            state, message = None, f"database not reachable: {type(exc).__name__}"
        if message != last_message:
            log.info("%s: waiting for its migration: %s", schema.service, message)
            last_message = message
        if clock() >= deadline:
            log.error("%s: gave up after %.0f s: %s", schema.service, timeout, message)
            return None
        sleep(interval)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m yumiao_common.db.schema_gate",
        description="Wait until the service's database is migrated to its code's head.",
    )
    parser.add_argument("service", choices=SERVICES)
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds to wait before exiting 1 (default 600)")
    parser.add_argument("--interval", type=float, default=2.0,
                        help="seconds between checks (default 2)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    state = wait_for_schema(locate(args.service), timeout=args.timeout, interval=args.interval)
    return 0 if state is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
