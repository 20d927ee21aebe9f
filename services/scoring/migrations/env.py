"""Alembic environment of scoring: batch mode (SQLite ALTERs) and the service's metadata."""

from __future__ import annotations

from alembic import context

from scoring.models import Base
from scoring.settings import Settings
from yumiao_common.db import make_engine

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    return str(config.attributes.get("database_url") or Settings().database_url)


def run_offline() -> None:
    context.configure(url=database_url(), target_metadata=target_metadata,
                      render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
