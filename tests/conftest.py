"""Fixtures every service's tests share: throwaway PostgreSQL databases and RabbitMQ vhosts.

Tests hit the real servers on this machine (never mocks). Each run creates its own databases
and vhost with a random suffix and removes them at the end, so runs never see each other's
state and a crashed run leaves nothing that breaks the next (stale ``yt_*`` databases and
vhosts older than three hours are swept at start).
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text

# tests/: the kits every service's tests share (service_apps, pg_locks, conformance_kit …)
sys.path.insert(0, str(Path(__file__).parent))

from local_broker import ChaosBroker  # noqa: E402 - the kits path is set just above
from local_broker import RabbitMQ  # noqa: E402
from local_broker import rabbitmqctl  # noqa: E402

PG_ADMIN_URL = os.environ.get(
    "YUMIAO_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
RUN_ID = uuid.uuid4().hex[:6]
# A registry built from default settings (and every service process a test starts, which
# inherits this environment) keeps evidence files in a directory of this run, removed at its
# end, never in the work tree (the default ``registry-evidence`` is relative to the cwd).
_EVIDENCE_DIR = tempfile.mkdtemp(prefix=f"yt_evidence_{RUN_ID}_")
os.environ.setdefault("REGISTRY_EVIDENCE_DIR", _EVIDENCE_DIR)
atexit.register(shutil.rmtree, _EVIDENCE_DIR, True)
RUN_STAMP = int(time.time())
TEST_PREFIX = "yt_"  # yt_<epoch seconds>_<run id>_<what>: lets a later run sweep stale ones
STALE_AFTER_SECONDS = 3 * 3600

# Internal services refuse to start without an internal token outside demo mode; the apps the
# suite builds in-process run in demo mode unless a test passes a token (tests that check the
# token, the e2e stack and the refusal itself set theirs explicitly).
for _service in ("REGISTRY", "SCORING", "NOTIFY"):
    os.environ.setdefault(f"{_service}_DEMO_MODE", "true")


def _admin_engine():  # type: ignore[no-untyped-def]
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _drop_database(conn, name: str) -> None:  # type: ignore[no-untyped-def]
    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def make_pg_database() -> Iterator[Callable[[str], str]]:
    """Factory: create a fresh PostgreSQL database, return its SQLAlchemy URL."""
    created: list[str] = []
    engine = _admin_engine()

    def make(prefix: str) -> str:
        name = f"{TEST_PREFIX}{RUN_STAMP}_{RUN_ID}_{prefix}_{len(created)}".lower()[:63]
        with engine.connect() as conn:
            _drop_database(conn, name)
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name

    yield make
    with engine.connect() as conn:
        for name in created:
            _drop_database(conn, name)
    engine.dispose()


@pytest.fixture(scope="session")
def make_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], str]:
    base = tmp_path_factory.mktemp("sqlite")

    def make(prefix: str) -> str:
        path: Path = base / f"{prefix}-{uuid.uuid4().hex[:6]}.db"
        return f"sqlite:///{path}"

    return make


@pytest.fixture(scope="session")
def rabbitmq() -> RabbitMQ:
    return RabbitMQ()


@pytest.fixture(scope="session")
def chaos_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChaosBroker]:
    """A RabbitMQ node of this run alone, for the tests that restart the broker (started on
    first use, stopped at the end of the run; local_broker.py says why)."""
    # yt_<stamp>_<run>_chaos: short (a node's paths are limited), swept when stale like vhosts
    base = Path("/tmp") / f"{TEST_PREFIX}{RUN_STAMP}_{RUN_ID}_chaos"
    broker = ChaosBroker(base, RUN_ID)
    broker.start()
    yield broker
    broker.stop()
    subprocess.run(["rm", "-rf", str(base)], check=False)


@pytest.fixture(scope="session")
def make_amqp_vhost(rabbitmq: RabbitMQ) -> Iterator[Callable[[], str]]:
    """Factory: a fresh vhost (deleted at the end of the run); returns its AMQP URL."""
    created: list[str] = []

    def make() -> str:
        name = f"{TEST_PREFIX}{RUN_STAMP}_{RUN_ID}_{len(created)}"
        created.append(name)
        return rabbitmq.add_vhost(name)

    yield make
    for name in created:
        rabbitmq.delete_vhost(name)


@pytest.fixture(scope="session")
def amqp_url(make_amqp_vhost: Callable[[], str]) -> str:
    """The run's own RabbitMQ vhost."""
    return make_amqp_vhost()


def _is_stale(name: str) -> bool:
    parts = name.split("_")
    try:
        return int(parts[1]) < time.time() - STALE_AFTER_SECONDS
    except (IndexError, ValueError):
        return False


def pytest_sessionstart(session: pytest.Session) -> None:
    """Sweep databases and vhosts that a killed earlier run left behind (older than 3 h)."""
    try:
        engine = _admin_engine()
        with engine.connect() as conn:
            names = conn.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE 'yt\\_%'")
            ).scalars().all()
            for name in filter(_is_stale, names):
                _drop_database(conn, name)
        engine.dispose()
        vhosts = rabbitmqctl("list_vhosts", "name").split()
        for vhost in filter(lambda v: v.startswith(TEST_PREFIX) and _is_stale(v), vhosts):
            RabbitMQ().delete_vhost(vhost)
        chaos_dirs = Path("/tmp").glob(f"{TEST_PREFIX}*_chaos")
        for stale in filter(lambda p: _is_stale(p.name), chaos_dirs):
            ChaosBroker(stale, stale.name.split("_")[2]).stop()  # a killed run's node
            subprocess.run(["rm", "-rf", str(stale)], check=False)
    except Exception:  # noqa: BLE001 - the sweep is best effort; tests report real failures
        pass
