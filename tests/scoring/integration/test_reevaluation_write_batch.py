"""A re-evaluation writes its evaluations SCORING_REEVALUATION_WRITE_BATCH rows a statement:
every row is stored, and no statement carries more rows than the setting allows."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.adapters.sql.evaluations import load_previous
from scoring.handlers.evaluations import Subject
from scoring.handlers.evaluations import evaluate_profile
from scoring.handlers.evaluations import evaluation_record
from scoring.handlers.evaluations import save_evaluations
from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import Evaluation
from yumiao_common.clock import utcnow
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration


@pytest.mark.usefixtures("clean_db")
def test_evaluations_are_written_in_statements_of_the_configured_batch(
    factory: sessionmaker[Session], engine: Engine,
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    profiles = [make_profile() for _ in range(3)]
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(p) for p in profiles])
    records, subjects = [], {}
    for raw in profiles:
        profile = Profile.model_validate(raw)
        uscc = profile.enterprise.uscc
        subjects[uscc] = Subject(profile.enterprise.name, profile.as_of)
        records += [evaluation_record(uscc, tier, result, "rehash", utcnow())
                    for tier, result in evaluate_profile(profile, overrides={}).items()]
    updates: list[int] = []

    def count(_conn: Any, clause: Any, multiparams: Any, _params: Any, _opts: Any) -> None:
        if str(clause).startswith("UPDATE evaluation"):
            updates.append(len(multiparams) or 1)

    event.listen(engine, "before_execute", count)
    try:
        with factory.begin() as session:
            previous = load_previous(session, subjects)
            save_evaluations(session, records, previous, subjects=subjects, write_batch=4)
    finally:
        event.remove(engine, "before_execute", count)
    assert len(updates) == math.ceil(len(records) / 4) and max(updates) == 4
    assert sum(updates) == len(records)
    with factory() as session:
        rehashed = session.scalar(select(func.count()).select_from(Evaluation)
                                  .where(Evaluation.profile_hash == "rehash"))
    assert rehashed == len(records)
