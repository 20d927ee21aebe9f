"""``flask --app registry.app seed-demo``: load the synthetic demo firms (idempotent).

The command is not part of the registry: this distribution plugs it into Flask's command line
through the ``flask.commands`` entry point (pyproject.toml), so it exists exactly where
yumiao-demo is installed (the development venv, a demo image) and nowhere else. Flask offers
plugin commands to every app; this one refuses any app but the registry's.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_demo.firms.generator import DEFAULT_N
from yumiao_demo.seed import seed_demo


@click.command("seed-demo")
@with_appcontext
@click.option("--n", "n", default=DEFAULT_N, show_default=True, help="number of demo firms")
def seed_demo_command(n: int) -> None:
    """Load ~3,000 synthetic Dongchangfu enterprises into the registry; a second run changes
    nothing."""
    if current_app.name != "registry":
        raise click.UsageError(
            "演示数据只能载入登记服务 / seed-demo loads the registry only: "
            "flask --app registry.app seed-demo")
    factory: sessionmaker[Session] = current_app.extensions["yumiao.session_factory"]
    with factory.begin() as session:
        result = seed_demo(session, n=n)
    click.echo(f"registry: 演示数据（合成）新增 {result.inserted} 家，已存在 {result.skipped} 家 / "
               f"demo data (synthetic): {result.inserted} added, {result.skipped} already there")
