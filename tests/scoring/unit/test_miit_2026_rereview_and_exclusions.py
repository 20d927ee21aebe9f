"""2026 MIIT specifics (issue 8 item 9; criteria.md §3.3.3, §3.4.2), never a silent pass:

* re-review (复核) = the firm holds the tier's own title on ``as_of``: exempt from the 小巨人
  revenue CAGR (附件2 条件2 "复核企业不考查"); the platform score may come from either of the
  last two years (专精特新 条件6 ≥ 50, 小巨人 条件7 ≥ 60);
* 工信厅企业函〔2026〕117号 (criteria.md §8.1, [REPO]): a 2026 re-review is judged on the 2022
  rulebook and the answer says so (``rulebook_basis``); when the re-review status cannot be told
  the 2026 rulebook's ``review``-type item citing the notice stays unknown; firms already 制造业单项冠军 are not newly recommended; control and
  group relations with an existing 小巨人 need review (the profile cannot show them).
"""

# ruff: noqa: E501 (test names say the behaviour in full)
from __future__ import annotations

from datetime import date
from typing import Any

from scoring.domain import TierResult
from scoring.domain import evaluate
from tests.scoring.unit.conftest import build
from tests.scoring.unit.test_review_items import GIANT_2026
from tests.scoring.unit.test_review_items import SRDI_2026
from tests.scoring.unit.test_review_items import in_2026
from yumiao_common.contracts.profile import Profile

N117 = "工信厅企业函〔2026〕117号"
SRDI = {"tier": "srdi_sme", "issued_on": "2025-01-01"}
HELD_GIANT = {"tier": "little_giant", "issued_on": "2023-07-01", "expires_on": "2026-12-31"}
CHAMPION = {"tier": "single_champion", "issued_on": "2024-01-01", "expires_on": "2027-12-31"}
LOW_CAGR = {("fin", 2022, "operating_revenue"): 59_000_000}  # 2023→2025 growth ≈ 0.8 % a year


def giant(changes: dict[Any, Any], *, year: int = 2026) -> TierResult:
    profile = in_2026(build({**GIANT_2026, **changes}))
    if year != 2026:
        data = profile.model_dump()
        for row in data["financials"]:
            row["year"] += year - 2026
        data["as_of"] = date(year, 6, 30)
        profile = Profile.model_validate(data)
    return evaluate(profile, tiers=["little_giant"])["little_giant"]


def status(r: TierResult, cid: str) -> tuple[str, str]:
    c = next(c for c in r.criteria if c.id == f"{r.tier}.{cid}")
    return c.status, c.note


def test_a_new_nominee_meets_the_117_conditions_only_by_review() -> None:
    r = giant({})
    assert status(r, "r117_single_champion") == ("pass", "")
    assert status(r, "r117_group") == ("review", "")
    assert status(r, "r117_standard") == ("pass", "not_rereview")
    assert r.verdict == "unknown" and "little_giant.r117_group" in (r.pending_review or [])
    cite = next(c for c in r.criteria if c.id == "little_giant.r117_group").spec.citation
    assert cite == N117


def test_a_single_champion_is_not_newly_recommended() -> None:
    r = giant({("certifications",): [SRDI, CHAMPION]})
    assert status(r, "r117_single_champion") == ("fail", "")
    assert r.verdict == "ineligible"


def test_a_single_champion_title_of_unknown_validity_leaves_the_exclusion_unknown() -> None:
    open_champion = {"tier": "single_champion", "issued_on": "2020-01-01"}  # no expiry, no rule
    r = giant({("certifications",): [SRDI, open_champion]})
    assert status(r, "r117_single_champion")[0] == "unknown"
    assert r.verdict == "unknown"


HELD_2027 = {"tier": "little_giant", "issued_on": "2024-07-01", "expires_on": "2027-12-31"}
REVENUE_45M = {("fin", 2024, "operating_revenue"): 45_000_000,
               ("fin", 2024, "main_business_revenue"): 43_000_000}


def test_2026_re_reviews_are_judged_on_the_2022_rulebook_and_the_answer_says_why() -> None:
    r = giant({("certifications",): [SRDI, HELD_GIANT]})
    assert r.rulebook_version == "little_giant@2022-06-01"
    assert r.rulebook_basis is not None and r.rulebook_basis["citation"] == N117
    assert r.rulebook_basis["zh"].startswith("复核：按2022年标准")
    assert r.rulebook_basis["en"].startswith("re-review: judged on the 2022 standard")
    assert r.to_dict()["rulebook_basis"] == r.rulebook_basis
    assert r.to_summary()["rulebook_basis"] == r.rulebook_basis
    ids = {c.id for c in r.criteria}
    assert "little_giant.r117_standard" not in ids and "little_giant.x_ip" in ids
    new = giant({})
    assert new.rulebook_version == "little_giant@2026-04-01" and new.rulebook_basis is None
    assert "rulebook_basis" not in new.to_dict()


def test_a_2026_re_review_with_45m_revenue_is_not_judged_against_the_2026_50m_bound() -> None:
    new = giant(REVENUE_45M)
    assert status(new, "c2_revenue")[0] == "fail" and new.verdict != "eligible"
    held = giant({**REVENUE_45M, ("certifications",): [SRDI, HELD_GIANT]})
    assert held.rulebook_version == "little_giant@2022-06-01"
    assert "little_giant.c2_revenue" not in {c.id for c in held.criteria}


def test_a_re_review_is_exempt_from_the_revenue_cagr() -> None:
    new = giant(LOW_CAGR)
    assert status(new, "c2_cagr")[0] == "fail" and new.verdict != "eligible"
    held = giant({**LOW_CAGR, ("certifications",): [SRDI, HELD_2027]}, year=2027)
    assert status(held, "c2_cagr") == ("pass", "rereview_exempt")


def test_after_2026_a_re_review_follows_the_2026_standard_with_its_exemptions() -> None:
    held = {"tier": "little_giant", "issued_on": "2024-07-01", "expires_on": "2027-12-31"}
    r = giant({**LOW_CAGR, ("certifications",): [SRDI, held]}, year=2027)
    assert status(r, "r117_standard") == ("pass", "not_applicable")
    assert status(r, "c2_cagr") == ("pass", "rereview_exempt")


def test_a_re_review_passes_the_score_with_the_previous_year() -> None:
    # after 2026 (re-reviews follow the 2026 rulebook again)
    low_now = {("assessments", "srdi_dev_score"): 55, ("assessments", "srdi_dev_score_prev"): 60}
    assert status(giant(low_now, year=2027), "c7_dev_score")[0] == "fail"  # a new nominee: this year only
    held = giant({**low_now, ("certifications",): [SRDI, HELD_2027]}, year=2027)
    assert status(held, "c7_dev_score") == ("pass", "rereview_prev_year")
    both_low = {**low_now, ("assessments", "srdi_dev_score_prev"): "59.99"}
    assert status(giant({**both_low, ("certifications",): [SRDI, HELD_2027]}, year=2027), "c7_dev_score")[0] == "fail"
    unknown_prev = {("assessments", "srdi_dev_score"): 55, ("certifications",): [SRDI, HELD_2027]}
    assert status(giant(unknown_prev, year=2027), "c7_dev_score")[0] == "unknown"


def test_srdi_2026_re_review_score_of_either_year_reaches_50() -> None:
    held = {"tier": "srdi_sme", "issued_on": "2023-07-01", "expires_on": "2026-12-31"}
    scores = {("assessments", "srdi_dev_score"): 49, ("assessments", "srdi_dev_score_prev"): 50}
    base = {**SRDI_2026, **scores}
    new = evaluate(in_2026(build(base)), tiers=["srdi_sme"])["srdi_sme"]
    assert status(new, "c6_dev_score")[0] == "fail"
    certs = [*base[("certifications",)], held]
    again = evaluate(in_2026(build({**base, ("certifications",): certs})), tiers=["srdi_sme"])["srdi_sme"]
    assert status(again, "c6_dev_score") == ("pass", "rereview_prev_year")
