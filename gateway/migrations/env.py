"""Alembic environment for the gateway: URL from the caller or GATEWAY_DATABASE_URL; batch mode.

``render_as_batch`` lets the same revisions alter tables on SQLite. The URL is taken from the
``sqlalchemy.url`` option when a caller (``flask migrate``, tests) sets it, else from settings.
"""

from __future__ import annotations

import os

from alembic import context

from gateway.models import Base
from yumiao_common.db import make_engine

config = context.config


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    return url or os.environ.get("GATEWAY_DATABASE_URL", "sqlite:///gateway.db")


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=Base.metadata, render_as_batch=True,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    engine = make_engine(_url())
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata,
                          render_as_batch=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
