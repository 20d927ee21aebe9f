"""``flask --app registry.app seed-demo``: load the synthetic demo firms (idempotent)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.demo.generator import DEFAULT_N
from registry.demo.seed import seed_demo


@click.command("seed-demo")
@with_appcontext
@click.option("--n", "n", default=DEFAULT_N, show_default=True, help="number of demo firms")
def seed_demo_command(n: int) -> None:
    """Load ~3,000 synthetic Dongchangfu enterprises; a second run changes nothing."""
    factory: sessionmaker[Session] = current_app.extensions["yumiao.session_factory"]
    with factory.begin() as session:
        result = seed_demo(session, n=n)
    click.echo(f"registry: 演示数据（合成）新增 {result.inserted} 家，已存在 {result.skipped} 家 / "
               f"demo data (synthetic): {result.inserted} added, {result.skipped} already there")
