"""A stored evaluation's answer reads back exactly as the engine gave it, on SQLite and PostgreSQL.

The consumer writes the answers as JSON text it encodes itself (orjson, issue 16), bound into
the INSERT of a new enterprise and the UPDATE of a changed one; whatever the encoding, the
column must give back the engine's answer (``TierResult.to_dict()`` through JSON).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers.evaluations import evaluate_profile
from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import Evaluation
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration


def test_stored_answers_read_back_as_the_engine_gave_them(
    fresh_sessions: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    factory = fresh_sessions
    profile = make_profile(name="读回测试企业 \"quoted\" \\ 企业")
    changed = copy.deepcopy(profile)
    changed["financials"][-1]["rd_expense"] //= 4  # a verdict or two move: an UPDATE each
    uscc = profile["enterprise"]["uscc"]
    for version, snapshot in ((0, profile), (1, changed)):  # an INSERT, then an UPDATE
        with factory.begin() as session:
            apply_enterprise_changes(session, events=[enterprise_changed(snapshot, version)])
        results = evaluate_profile(Profile.model_validate(snapshot), overrides={})
        expected = json.loads(json.dumps({t: r.to_dict() for t, r in results.items()}))
        with factory() as session:
            stored: dict[str, Any] = dict(session.execute(
                select(Evaluation.tier, Evaluation.result).where(Evaluation.uscc == uscc)
            ).all())
        assert stored == expected, version
