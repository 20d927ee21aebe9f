"""Flask CLI commands of the gateway: migrate, demo accounts, bootstrap admin, API keys.

``flask --app gateway.app migrate`` runs the Alembic migrations. ``create-demo-accounts``
exists only for demo mode (``GATEWAY_DEMO_MODE=true``): outside it no default password exists
anywhere, and the first admin is made with ``create-account`` (password prompted). Demo
accounts are flagged ``is_demo`` and only created, never updated: an account that already
has the name keeps its password and state.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from alembic.config import Config
from flask import Flask
from flask import current_app
from sqlalchemy.orm import Session

from gateway.handlers import accounts
from gateway.settings import Settings
from yumiao_common.db.migrations import Migrations
from yumiao_common.web.errors import DomainError

GATEWAY_ROOT = Path(__file__).resolve().parents[2]


MIGRATIONS = Migrations(GATEWAY_ROOT, "GATEWAY")


def alembic_config(database_url: str) -> Config:
    return MIGRATIONS.config(database_url)


def _settings() -> Settings:
    value: Settings = current_app.extensions["gateway.settings"]
    return value


def _session() -> Session:
    session: Session = current_app.extensions["yumiao.session_factory"]()
    return session


def register_cli(app: Flask) -> None:
    @app.cli.command("migrate")
    def migrate() -> None:
        """Upgrade the gateway database to the latest migration."""
        MIGRATIONS.upgrade_head(_settings().database_url)
        click.echo("gateway: 数据库已迁移 / database migrated")

    @app.cli.command("create-demo-accounts")
    def create_demo_accounts() -> None:
        """Demo accounts (admin, curator, viewer, five enterprises); demo mode only."""
        if not _settings().demo_mode:
            click.echo("仅限演示模式 / Only in demo mode (GATEWAY_DEMO_MODE=true)", err=True)
            sys.exit(2)
        password = os.environ.get("YUMIAO_DEMO_PASSWORD") or "yumiao-demo"
        session = _session()
        try:
            made = accounts.demo_accounts(
                session, clients=current_app.extensions["gateway.clients"], password=password)
        except DomainError as exc:
            session.rollback()
            click.echo(f"无法从 registry 读取企业 / Cannot list enterprises: {exc}", err=True)
            sys.exit(1)
        session.commit()
        click.echo(f"演示账户 / Demo accounts (password 密码: {password}):")
        for username, role, created in made:
            note = "" if created else "  (已存在，未改动 / exists, left unchanged)"
            click.echo(f"  {username:<20} {role}{note}")

    @app.cli.command("create-account")
    @click.option("--username", required=True)
    @click.option("--role", type=click.Choice(["admin", "curator", "viewer", "enterprise"]),
                  required=True)
    @click.option("--uscc", default=None)
    @click.password_option()
    def create_account(username: str, role: str, uscc: str | None, password: str) -> None:
        """Create one account (e.g. the first admin outside demo mode)."""
        session = _session()
        try:
            accounts.create_account(session, username=username, password=password,
                                            role=role, uscc=uscc)
        except DomainError as exc:
            click.echo(f"{exc.message} {exc.fields}", err=True)
            sys.exit(1)
        session.commit()
        click.echo(f"已创建 / Created {username} ({role})")

    @app.cli.command("create-api-key")
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(["admin", "curator", "viewer"]), default="viewer")
    def create_api_key(name: str, role: str) -> None:
        """Create an API key for a machine client; prints the key once."""
        session = _session()
        created = accounts.create_api_key(session, name=name, role=role,
                                                  created_by="system:cli")
        session.commit()
        click.echo(created.key)
