"""Recorded review outcomes (``assessments.reviews``) settle review criteria, nothing else.

A review criterion whose id has a recorded outcome takes status pass / fail with the outcome
and its date as ``actual`` and leaves ``pending_review``; a 小巨人 2026 firm meeting every
computable condition is then ``eligible`` once the review passes and ``ineligible`` when it
fails. Outcomes recorded for computable criteria change nothing (figures are never overridden
by hand), and malformed review keys or outcomes are validation errors naming the field.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from pydantic import ValidationError

from scoring.api.profile_errors import as_validation_failed
from scoring.domain import list_rulebooks
from tests.scoring.unit.conftest import build
from tests.scoring.unit.test_review_items import AGRI
from tests.scoring.unit.test_review_items import GIANT_2026
from tests.scoring.unit.test_review_items import SMALL
from tests.scoring.unit.test_review_items import SRDI_2026
from tests.scoring.unit.test_review_items import WHOLESALE
from tests.scoring.unit.test_review_items import by_id
from tests.scoring.unit.test_review_items import one
from yumiao_common.contracts.profile import CRITERION_ID_PATTERN
from yumiao_common.contracts.profile import Profile

REPUTATION = "little_giant.c5_reputation"
GROUP_117 = "little_giant.r117_group"  # 117号 control / group relations of a new nominee
N4 = "agri_leader_national.n4_wholesale_turnover"


def reviewed(outcomes: dict[str, str], on: str = "2026-05-20") -> dict[tuple[Any, ...], Any]:
    return {("assessments", "reviews"): {cid: {"outcome": o, "reviewed_on": on, "by": "市工信局"}
                                         for cid, o in outcomes.items()}}  # fmt: skip


def test_every_criterion_id_matches_the_review_key_pattern() -> None:
    ids = [c["id"] for book in list_rulebooks() for c in book["criteria"]]
    assert ids and all(re.fullmatch(CRITERION_ID_PATTERN, cid) for cid in ids)


def test_little_giant_2026_with_every_review_passed_is_eligible() -> None:
    r = one({**GIANT_2026, **reviewed({REPUTATION: "pass", GROUP_117: "pass"})}, "little_giant",
            y2026=True)
    assert (r.verdict, r.route, r.pending_review) == ("eligible", "gates", [])
    c = by_id(r)[REPUTATION]
    assert (c["status"], c["note"], c["gap"]) == ("pass", "reviewed", None)
    assert c["actual"] == {"outcome": "pass", "reviewed_on": "2026-05-20"}
    assert r.next_steps == [] and r.to_summary()["counts"]["review"] == 0


def test_little_giant_2026_with_a_failed_review_is_ineligible() -> None:
    r = one({**GIANT_2026, **reviewed({REPUTATION: "fail", GROUP_117: "pass"})}, "little_giant",
            y2026=True)
    assert (r.verdict, r.route, r.pending_review) == ("ineligible", None, [])
    c = by_id(r)[REPUTATION]
    assert (c["status"], c["actual"]) == ("fail", {"outcome": "fail", "reviewed_on": "2026-05-20"})
    assert c["closable"] is False


def test_srdi_2026_market_position_passed_by_review_is_eligible() -> None:
    r = one({**SRDI_2026, **reviewed({"srdi_sme.c5_market": "pass"})}, "srdi_sme", y2026=True)
    assert (r.verdict, r.route, r.pending_review) == ("eligible", "gates", [])


def test_little_giant_2022_reviews_settle_only_the_items_recorded() -> None:
    base = one({}, "little_giant")
    r = one(
        reviewed({"little_giant.j_governance": "pass", "little_giant.j_tech_leading": "fail"}),
        "little_giant",
    )
    crits = by_id(r)
    assert crits["little_giant.j_governance"]["status"] == "pass"
    assert crits["little_giant.j_tech_leading"]["status"] == "fail"
    assert crits["little_giant.j_info_system"]["status"] == "review"
    assert by_id(base)["little_giant.j_governance"]["status"] == "review"
    assert r.verdict == "ineligible" and "little_giant.j_governance" not in (r.pending_review or [])


def test_wholesale_market_route_passed_by_review_is_eligible() -> None:
    r = one({**AGRI, **SMALL, **WHOLESALE, **reviewed({N4: "pass"})}, "agri_leader_national")
    assert (r.verdict, r.route, r.pending_review) == ("eligible", "wholesale_market", [])


def test_a_review_never_overrides_not_applicable() -> None:
    r = one({**AGRI, **SMALL, **reviewed({N4: "pass"})}, "agri_leader_national")
    n4 = by_id(r)[N4]
    assert (n4["status"], n4["note"]) == ("fail", "not_applicable") and r.verdict == "near"


@pytest.mark.parametrize("outcome", ["pass", "fail"])
def test_an_outcome_for_a_computable_criterion_changes_nothing(outcome: str) -> None:
    plain = one(GIANT_2026, "little_giant", y2026=True)
    computable = [c.id for c in plain.criteria if c.id not in (REPUTATION, GROUP_117)]
    with_outcomes = one(
        {**GIANT_2026, **reviewed(dict.fromkeys(computable, outcome))}, "little_giant", y2026=True
    )
    assert with_outcomes.to_dict() == plain.to_dict()
    hnte = one(reviewed({"hnte.c1_conversion": outcome}), "hnte")
    assert hnte.to_dict() == one({}, "hnte").to_dict()


def test_an_outcome_for_an_unknown_criterion_id_is_ignored() -> None:
    r = one(
        {**GIANT_2026, **reviewed({"little_giant.no_such_item": "pass"})},
        "little_giant",
        y2026=True,
    )
    assert (r.verdict, r.pending_review) == ("unknown", [REPUTATION, GROUP_117])


GOOD = {"outcome": "pass", "reviewed_on": "2026-05-20"}


@pytest.mark.parametrize(("reviews", "field"), [
    ({"Little_Giant.c5": GOOD}, "assessments.reviews.Little_Giant.c5.[key]"),
    ({"c5_reputation": GOOD}, "assessments.reviews.c5_reputation.[key]"),
    ({"little_giant.c5 reputation": GOOD}, "assessments.reviews.little_giant.c5 reputation.[key]"),
    ({REPUTATION: {"outcome": "maybe", "reviewed_on": "2026-05-20"}},
     f"assessments.reviews.{REPUTATION}.outcome"),
    ({REPUTATION: {"outcome": "pass"}}, f"assessments.reviews.{REPUTATION}.reviewed_on"),
    ({REPUTATION: {**GOOD, "reviewed_on": "last week"}},
     f"assessments.reviews.{REPUTATION}.reviewed_on"),
    ({REPUTATION: {**GOOD, "score": 90}}, f"assessments.reviews.{REPUTATION}.score"),
    ({REPUTATION: {**GOOD, "by": ""}}, f"assessments.reviews.{REPUTATION}.by"),
    ({REPUTATION: "pass"}, f"assessments.reviews.{REPUTATION}"),
    (["little_giant.c5_reputation"], "assessments.reviews"),
])  # fmt: skip
def test_invalid_reviews_name_the_field(reviews: Any, field: str) -> None:
    data = build().model_dump(mode="json")
    data["assessments"]["reviews"] = copy.deepcopy(reviews)
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate(data)
    fields = as_validation_failed(caught.value).fields
    assert field in fields, fields
