"""Missing is not empty in the read model too (profile.md; issue 8 item 6): the snapshot
scoring stores from ``registry.enterprise.changed`` keeps a list the registry left out left
out — a full dump would write it as ``[]`` ("none") — so a re-evaluation of the stored
snapshot answers what the event's evaluation answered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.domain import evaluate
from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import EnterpriseProfile
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration

LEFT_OUT = ("awards", "rd_institutions", "standards_led", "certifications", "competitions")


def test_a_list_left_out_stays_left_out_in_the_stored_snapshot(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    profile = make_profile()
    for name in LEFT_OUT:
        profile.pop(name, None)
    profile["awards"] = []  # given as none: stays none
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile)])
    with factory() as session:
        stored = session.scalar(select(EnterpriseProfile.profile).where(
            EnterpriseProfile.uscc == profile["enterprise"]["uscc"]))
    assert stored is not None
    assert [n for n in LEFT_OUT if n in stored] == ["awards"] and stored["awards"] == []
    assert stored["as_of"] == profile["as_of"]
    first = {t: r.verdict for t, r in evaluate(Profile.model_validate(profile)).items()}
    again = {t: r.verdict for t, r in evaluate(Profile.model_validate(stored)).items()}
    assert again == first
