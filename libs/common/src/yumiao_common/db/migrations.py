"""How every service runs its Alembic migrations: the one ``env.py`` body and the upgrade call.

Each service owns its schema and its revision scripts (``services/<svc>/migrations``); what is
identical everywhere is how they run: batch mode so the same revisions alter tables on SQLite,
type comparison so ``alembic check`` catches drift, and the database chosen by whoever runs
them — a connection handed in (tests), a URL handed in (``flask migrate``), else the service's
settings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from logging.config import fileConfig
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData

from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import normalize_url


def run_env(metadata: MetaData, default_url: Callable[[], str]) -> None:
    """The body of a service's ``migrations/env.py`` (online and offline modes)."""
    from alembic import context

    config = context.config
    if config.config_file_name is not None and config.attributes.get("configure_logging", True):
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    url = str(
        config.attributes.get("database_url")
        or config.get_main_option("sqlalchemy.url")
        or default_url()
    )
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, render_as_batch=True,
                          literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_online(context, connection, metadata)
        return
    engine = make_engine(url)
    with engine.connect() as conn:
        _run_online(context, conn, metadata)
    engine.dispose()


def _run_online(context: Any, connection: Any, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True,
                      include_object=_declared_for(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


def _declared_for(dialect: str) -> Callable[..., bool]:
    """``alembic check`` compares an index the models declare for one database only
    (``Index(...).ddl_if(dialect="postgresql")``, e.g. a trigram index SQLite has no use for)
    only on that database: elsewhere the migration rightly leaves it out, which is no drift."""

    def include(obj: Any, _name: str | None, type_: str, reflected: bool, _other: Any) -> bool:
        if type_ != "index" or reflected:
            return True
        only = getattr(obj, "_ddl_if", None)
        if only is None or only.dialect is None:
            return True
        return dialect in ((only.dialect,) if isinstance(only.dialect, str) else only.dialect)

    return include


class Migrations:
    """A service's migrations, run from code (``flask --app <svc>.app migrate``, tests).

    The scripts live in ``<service_dir>/migrations``; ``<PREFIX>_MIGRATIONS_DIR`` overrides
    that for images that copy them elsewhere.
    """

    def __init__(self, service_dir: Path, env_prefix: str) -> None:
        self.service_dir = service_dir
        self.env_prefix = env_prefix

    def config(self, database_url: str) -> Config:
        config = Config(str(self.service_dir / "alembic.ini"))
        scripts = os.environ.get(
            f"{self.env_prefix}_MIGRATIONS_DIR", str(self.service_dir / "migrations")
        )
        config.set_main_option("script_location", scripts)
        config.set_main_option("sqlalchemy.url", normalize_url(database_url).replace("%", "%%"))
        config.attributes["configure_logging"] = False
        return config

    def upgrade_head(self, database_url: str) -> None:
        """Bring the database to the newest schema (idempotent)."""
        command.upgrade(self.config(database_url), "head")

    def check(self, database_url: str) -> None:
        """Raise if the models and the migrated schema differ (``alembic check``)."""
        command.check(self.config(database_url))
