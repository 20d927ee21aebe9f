"""Run the registry's Alembic migrations from code (``flask --app registry.app migrate``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

from yumiao_common.db.migrations import Migrations

MIGRATIONS = Migrations(Path(__file__).resolve().parents[4], "REGISTRY")  # services/registry


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at the registry's scripts and ``database_url``."""
    return MIGRATIONS.config(database_url)


def upgrade_head(database_url: str) -> None:
    MIGRATIONS.upgrade_head(database_url)


def check(database_url: str) -> None:
    MIGRATIONS.check(database_url)
