"""2026 MIIT specifics (issue 8 item 9; criteria.md §3.3.3, §3.4.2), never a silent pass:

* re-review (复核) = the firm holds the tier's own title on ``as_of``: exempt from the 小巨人
  revenue CAGR (附件2 条件2 "复核企业不考查"); the platform score may come from either of the
  last two years (专精特新 条件6 ≥ 50, 小巨人 条件7 ≥ 60);
* 工信厅企业函〔2026〕117号: 2026 re-reviews are judged on the 2022 standard (a ``review`` item
  citing the notice); firms already 制造业单项冠军 are not newly recommended; control and
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


def test_2026_re_reviews_are_judged_on_the_2022_standard_never_a_silent_pass() -> None:
    r = giant({("certifications",): [SRDI, HELD_GIANT]})
    assert status(r, "r117_standard") == ("review", "")
    assert status(r, "r117_group") == ("pass", "rereview")  # exclusions concern new nominees
    assert r.verdict == "unknown" and "little_giant.r117_standard" in (r.pending_review or [])


def test_a_re_review_is_exempt_from_the_revenue_cagr() -> None:
    new = giant(LOW_CAGR)
    assert status(new, "c2_cagr")[0] == "fail" and new.verdict != "eligible"
    held = giant({**LOW_CAGR, ("certifications",): [SRDI, HELD_GIANT]})
    assert status(held, "c2_cagr") == ("pass", "rereview_exempt")


def test_after_2026_a_re_review_follows_the_2026_standard_with_its_exemptions() -> None:
    held = {"tier": "little_giant", "issued_on": "2024-07-01", "expires_on": "2027-12-31"}
    r = giant({**LOW_CAGR, ("certifications",): [SRDI, held]}, year=2027)
    assert status(r, "r117_standard") == ("pass", "not_applicable")
    assert status(r, "c2_cagr") == ("pass", "rereview_exempt")


def test_a_re_review_passes_the_score_with_the_previous_year() -> None:
    low_now = {("assessments", "srdi_dev_score"): 55, ("assessments", "srdi_dev_score_prev"): 60}
    assert status(giant(low_now), "c7_dev_score")[0] == "fail"  # a new nominee: this year only
    held = giant({**low_now, ("certifications",): [SRDI, HELD_GIANT]})
    assert status(held, "c7_dev_score") == ("pass", "rereview_prev_year")
    both_low = {**low_now, ("assessments", "srdi_dev_score_prev"): "59.99"}
    assert status(giant({**both_low, ("certifications",): [SRDI, HELD_GIANT]}), "c7_dev_score")[0] == "fail"
    unknown_prev = {("assessments", "srdi_dev_score"): 55, ("certifications",): [SRDI, HELD_GIANT]}
    assert status(giant(unknown_prev), "c7_dev_score")[0] == "unknown"


def test_srdi_2026_re_review_score_of_either_year_reaches_50() -> None:
    held = {"tier": "srdi_sme", "issued_on": "2023-07-01", "expires_on": "2026-12-31"}
    scores = {("assessments", "srdi_dev_score"): 49, ("assessments", "srdi_dev_score_prev"): 50}
    base = {**SRDI_2026, **scores}
    new = evaluate(in_2026(build(base)), tiers=["srdi_sme"])["srdi_sme"]
    assert status(new, "c6_dev_score")[0] == "fail"
    certs = [*base[("certifications",)], held]
    again = evaluate(in_2026(build({**base, ("certifications",): certs})), tiers=["srdi_sme"])["srdi_sme"]
    assert status(again, "c6_dev_score") == ("pass", "rereview_prev_year")
