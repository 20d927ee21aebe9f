"""The ``assessments.reviews`` contract: criterion id → recorded review outcome.

Optional (None when absent, so profiles without it dump as before plus ``"reviews": null``),
frozen, ``extra="forbid"``; keys must look like criterion ids (``<tier>.<item>``); the JSON
round-trips unchanged (what registry snapshots and EnterpriseChanged events carry).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from tests.contracts.golden import example_profile
from yumiao_common.contracts.profile import Assessments
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.profile import Review

ENTERPRISE = {key: example_profile()["enterprise"][key] for key in ("uscc", "name")}
REVIEWS = {
    "little_giant.c5_reputation": {"outcome": "pass", "reviewed_on": "2026-05-20",
                                   "by": "省工信厅专家组", "note": "声誉良好"},
    "agri_leader_national.n4_wholesale_turnover": {"outcome": "fail",
                                                   "reviewed_on": "2026-04-01"},
}  # fmt: skip


def profile(reviews: Any) -> Profile:
    return Profile.model_validate({"as_of": "2026-06-30", "enterprise": ENTERPRISE,
                                   "assessments": {"reviews": reviews}})  # fmt: skip


def test_reviews_are_optional_and_absent_means_none() -> None:
    assert Assessments().reviews is None
    p = Profile.model_validate({"as_of": "2026-06-30", "enterprise": ENTERPRISE})
    assert p.assessments.reviews is None
    assert p.model_dump(mode="json")["assessments"]["reviews"] is None


def test_reviews_parse_and_round_trip_through_json() -> None:
    p = profile(REVIEWS)
    r = p.assessments.reviews
    assert r is not None
    assert r["little_giant.c5_reputation"] == Review(
        outcome="pass", reviewed_on=date(2026, 5, 20), by="省工信厅专家组", note="声誉良好"
    )
    assert r["agri_leader_national.n4_wholesale_turnover"].by is None
    dumped = p.model_dump(mode="json")
    assert dumped["assessments"]["reviews"] == {
        k: {"by": None, "note": None, "evidence": None, **v} for k, v in REVIEWS.items()
    }
    assert Profile.model_validate(dumped) == p
    assert Profile.model_validate_json(p.model_dump_json()) == p


def test_a_review_may_cite_an_evidence_file_and_round_trips_with_it() -> None:
    """Issue 15 item 4: the reviewer's cited file (id, its report, name, kind) rides along."""
    cited = {**REVIEWS["little_giant.c5_reputation"], "evidence": {
        "id": 12, "submission_id": 3, "filename": "2025年审计报告.pdf", "kind": "audit_report"}}
    p = profile({"little_giant.c5_reputation": cited})
    evidence = p.assessments.reviews["little_giant.c5_reputation"].evidence  # type: ignore[index]
    assert evidence is not None and (evidence.id, evidence.filename) == (12, "2025年审计报告.pdf")
    assert p.model_dump(mode="json")["assessments"]["reviews"]["little_giant.c5_reputation"][
        "evidence"] == cited["evidence"]
    assert Profile.model_validate_json(p.model_dump_json()) == p


def test_a_review_is_frozen() -> None:
    review = Review(outcome="fail", reviewed_on=date(2026, 1, 2))
    with pytest.raises(ValidationError):
        review.outcome = "pass"  # type: ignore[misc]


@pytest.mark.parametrize(("reviews", "loc"), [
    ({"LittleGiant.c5": REVIEWS["little_giant.c5_reputation"]},
     ("assessments", "reviews", "LittleGiant.c5", "[key]")),
    ({"little_giant": REVIEWS["little_giant.c5_reputation"]},
     ("assessments", "reviews", "little_giant", "[key]")),
    ({"little_giant.c5_reputation": {"outcome": "passed", "reviewed_on": "2026-05-20"}},
     ("assessments", "reviews", "little_giant.c5_reputation", "outcome")),
    ({"little_giant.c5_reputation": {"outcome": "pass"}},
     ("assessments", "reviews", "little_giant.c5_reputation", "reviewed_on")),
    ({"little_giant.c5_reputation": {"outcome": "pass", "reviewed_on": "2026-05-20", "x": 1}},
     ("assessments", "reviews", "little_giant.c5_reputation", "x")),
    ("pass", ("assessments", "reviews")),
    ({"little_giant.c5_reputation": {"outcome": "pass", "reviewed_on": "2026-05-20",
                                     "evidence": {"id": 0, "submission_id": 1,
                                                  "filename": "a.pdf", "kind": "other"}}},
     ("assessments", "reviews", "little_giant.c5_reputation", "evidence", "id")),
    ({"little_giant.c5_reputation": {"outcome": "pass", "reviewed_on": "2026-05-20",
                                     "evidence": {"id": 1, "submission_id": 1,
                                                  "filename": "", "kind": "other"}}},
     ("assessments", "reviews", "little_giant.c5_reputation", "evidence", "filename")),
])  # fmt: skip
def test_bad_reviews_name_the_field(reviews: Any, loc: tuple[str, ...]) -> None:
    with pytest.raises(ValidationError) as caught:
        profile(reviews)
    assert loc in [tuple(e["loc"]) for e in caught.value.errors()]
