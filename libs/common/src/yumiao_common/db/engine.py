"""Database plumbing shared by every service: naming convention, engines, request sessions.

Every constraint gets a deterministic name so Alembic migrations are identical on SQLite and
PostgreSQL. SQLite gets foreign keys, WAL and a busy timeout so the embedded default behaves
like a real database under the dev server's threads. Sessions are per request (opened lazily,
closed at teardown) with ``expire_on_commit=False``, as style.md prescribes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any

from flask import Flask
from flask import current_app
from flask import g
from sqlalchemy import Engine
from sqlalchemy import MetaData
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

if TYPE_CHECKING:
    from yumiao_common.settings import ServiceSettings

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """A fresh MetaData with Yumiao's constraint naming convention."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite(url_or_engine: str | Engine) -> bool:
    name = url_or_engine if isinstance(url_or_engine, str) else str(url_or_engine.url)
    return name.startswith("sqlite")


def normalize_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy defaults to psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, *, echo: bool = False, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets pragmas that make it safe for a multi-threaded dev server."""
    url = normalize_url(url)
    if is_sqlite(url):
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # The ServiceSettings defaults (db_pool_size, db_max_overflow): k8s/README.md's connection
    # budget counts 5 + 5 per process, also for a caller that passes no settings.
    kwargs.setdefault("pool_size", 5)
    kwargs.setdefault("max_overflow", 5)
    return create_engine(url, echo=echo, **kwargs)


def engine_from_settings(settings: ServiceSettings, **kwargs: Any) -> Engine:
    """The engine a process of a service opens: its URL, echo and pool bounds from settings.

    The pool bounds (``<SVC>_DB_POOL_SIZE``, ``<SVC>_DB_MAX_OVERFLOW``,
    ``<SVC>_DB_POOL_TIMEOUT_SECONDS``) are what k8s/README.md's connection budget multiplies by
    the number of processes, so every long-running process opens its engine here.
    SQLite ignores them (no server to budget connections against).
    """
    if not is_sqlite(normalize_url(settings.database_url)):
        kwargs.setdefault("pool_size", settings.db_pool_size)
        kwargs.setdefault("max_overflow", settings.db_max_overflow)
        kwargs.setdefault("pool_timeout", settings.db_pool_timeout_seconds)
    return make_engine(settings.database_url, echo=settings.sql_echo, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def init_request_sessions(app: Flask, session_factory: sessionmaker[Session]) -> None:
    """Register the per-request session: lazily opened by ``get_session()``, closed at teardown."""
    app.extensions["yumiao.session_factory"] = session_factory

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session: Session | None = g.pop("yumiao_session", None)
        if session is not None:
            session.close()


def session_factory() -> sessionmaker[Session]:
    """The app's session factory, for a streamed response body.

    Flask tears a request down (closing ``get_session()``'s session) before it iterates a
    streamed body; a session used there again would begin a transaction nobody ends, its
    connection held until the garbage collector found it. A body that reads the database
    opens a session of its own (``with factory() as session``), closed when the body ends
    or the client goes away."""
    factory: sessionmaker[Session] = current_app.extensions["yumiao.session_factory"]
    return factory


def get_session() -> Session:
    """The current request's session (rolled back and closed at teardown unless committed)."""
    if "yumiao_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions["yumiao.session_factory"]
        g.yumiao_session = factory()
    session: Session = g.yumiao_session
    return session
