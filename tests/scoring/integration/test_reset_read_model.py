"""``flask --app scoring.app reset-read-model --yes`` (the recovery after a registry restore,
docs/operations.md): profiles, pools and evaluations go; parameters and re-evaluation history
stay; it refuses while a re-evaluation runs, and without ``--yes``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import EnterprisePool
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation
from scoring.models import ParameterOverride
from scoring.models import Reevaluation
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration


def count(factory: sessionmaker[Session], model: Any) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.usefixtures("clean_db")
def test_reset_empties_the_read_model_and_keeps_scorings_own_records(
    app: Flask, factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[
            enterprise_changed(make_profile(), pools=("tech_sme",)) for _ in range(2)])
        session.add(ParameterOverride(parameter_id="test.kept", value=1, updated_by="user:admin",
                                      reason="测试 / test"))
        job = Reevaluation(status="activating", parameters={}, reason="测试 / test",
                           created_by="user:admin")
        session.add(job)
    assert count(factory, EnterpriseProfile) == 2 and count(factory, Evaluation) > 0
    runner = app.test_cli_runner()

    unconfirmed = runner.invoke(args=["reset-read-model"])
    assert unconfirmed.exit_code != 0 and "--yes" in unconfirmed.output
    busy = runner.invoke(args=["reset-read-model", "--yes"])
    assert busy.exit_code != 0 and "re-evaluation job(s) running" in busy.output
    assert count(factory, EnterpriseProfile) == 2

    with factory.begin() as session:
        session.get_one(Reevaluation, job.id).status = "failed"
    done = runner.invoke(args=["reset-read-model", "--yes"])
    assert done.exit_code == 0, done.output
    assert "emptied 2 profiles" in done.output
    assert [count(factory, m) for m in (EnterpriseProfile, EnterprisePool, Evaluation)] == [
        0, 0, 0]
    assert count(factory, ParameterOverride) == 1 and count(factory, Reevaluation) == 1
    with factory.begin() as session:  # the override is not a real parameter: leave none behind
        session.execute(delete(ParameterOverride))
