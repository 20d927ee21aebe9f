"""Property tests over generated profiles, every tier (issue 8 item 12):

1. no profile with a true disqualifying flag is eligible for any tier whose rulebook lists
   that flag as a gate (the tier is ``ineligible``: a flag cannot be closed within a year);
2. a verdict never turns ``eligible`` when a figure becomes unknown (a fiscal-year figure, an
   enterprise field, a flag, the platform score, a list left out of the profile, or an IP
   item's grant date or earlier use in an HNTE recognition).

Profiles start from the rule tests' strong baseline firm, optionally moved to 2026 (the 2026
MIIT rulebooks) and shaped towards the 小巨人 / 专精特新 2026 or agricultural-leader presets
so that eligible verdicts occur, then vary industry, scale, titles, flags and lists.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck
from hypothesis import assume
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from scoring.domain import evaluate
from scoring.domain.facts import _AGRI_FLAGS
from scoring.domain.facts import _CREDIT_FLAGS
from scoring.domain.facts import _HNTE_FLAGS
from scoring.domain.facts import _TECH_SME_FLAGS
from scoring.domain.rulebook import all_rulebooks
from tests.scoring.unit.conftest import _DELETE
from tests.scoring.unit.conftest import build
from tests.scoring.unit.test_review_items import AGRI
from tests.scoring.unit.test_review_items import GIANT_2026
from tests.scoring.unit.test_review_items import SRDI_2026
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.contracts.profile import Flags
from yumiao_common.contracts.profile import Profile

FLAG_NAMES = tuple(Flags.model_fields)
#: The flags behind each ``*_clear`` fact an ``is_true`` gate reads (scoring.domain.facts).
CLEAR_FACTS = {"tech_sme_clear": _TECH_SME_FLAGS, "hnte_clear": _HNTE_FLAGS,
               "credit_clear": _CREDIT_FLAGS, "agri_clear": _AGRI_FLAGS}  # fmt: skip
PRESETS: tuple[dict[tuple[Any, ...], Any], ...] = ({}, GIANT_2026, SRDI_2026, AGRI)
INDUSTRIES = ("C3451", "C3451", "I6513", "A0111", "F5111", "M7320", None)
FIN_FIELDS = ("employees", "science_staff", "rd_staff", "operating_revenue", "sales_revenue",
              "main_business_revenue", "total_income", "hightech_revenue", "rd_expense",
              "rd_expense_domestic", "total_cost", "total_assets", "total_liabilities",
              "fixed_assets", "net_profit", "total_profit", "interest_expense",
              "new_equity_financing", "tech_conversions", "agri_sales", "farmer_households")
ENTERPRISE_FIELDS = ("established_on", "industry_code", "hightech_field", "tax_method",
                     "niche_market_years", "market_share_pct", "market_rank_national")
IP_STATUS = ("granted_on", "used_in_hnte")
LISTS = (("enterprise", "main_product_fields"), ("assessments", "quality_items"), ("ip",),
         ("awards",), ("rd_institutions",), ("standards_led",), ("certifications",),
         ("competitions",))  # fmt: skip
IP_KINDS = ("invention_patent", "utility_model", "utility_model", "software_copyright",
            "design_patent")
TITLES = ({"tier": "srdi_sme", "issued_on": "2025-01-01", "expires_on": "2027-12-31"},
          {"tier": "innovative_sme", "issued_on": "2025-01-01", "expires_on": "2027-12-31"},
          {"tier": "hnte", "issued_on": "2024-01-01", "expires_on": "2026-12-31"},
          {"tier": "little_giant", "issued_on": "2023-07-01", "expires_on": "2026-12-31"},
          {"tier": "single_champion", "issued_on": "2024-01-01", "expires_on": "2027-12-31"},
          {"tier": "agri_leader_provincial", "issued_on": "2025-01-01"})  # fmt: skip


EXPERT = {"tech_advancement": "A", "core_support": "A", "ip_quantity_points": "8",
          "acquisition_points": "6", "standards_bonus": "2", "conversion_points": "30",
          "rd_management_points": "18", "growth_points": "20"}  # fmt: skip
#: Recorded "pass" outcomes for every criterion an expert or the bureau must review.
REVIEWED = {f"{tier}.{c['id']}": {"outcome": "pass", "reviewed_on": "2025-06-01"}
            for tier, books in all_rulebooks().items() for _day, book in books
            for c in book["criteria"]
            if c["check"] in ("review", "new_applicant_review", "rereview_standard")}


def gate_flags() -> dict[str, set[str]]:
    """Every tier's disqualifying flags: those its gates list, in any rulebook version."""
    out: dict[str, set[str]] = {tier: set() for tier in TIER_KEYS}
    for tier, books in all_rulebooks().items():
        for _day, book in books:
            for c in book["criteria"]:
                args = c.get("args") or {}
                if c["role"] != "gate":
                    continue
                if c["check"] == "flags_clear":
                    out[tier].update(args["flags"])
                elif c["check"] == "is_true" and args.get("fact") in CLEAR_FACTS:
                    out[tier].update(CLEAR_FACTS[args["fact"]])
    return out


GATE_FLAGS = gate_flags()


def _shift(changes: dict[tuple[Any, ...], Any], by: int) -> dict[tuple[Any, ...], Any]:
    return {(("fin", k[1] + by, *k[2:]) if k[0] == "fin" else k): v for k, v in changes.items()}


@st.composite
def firms(draw: st.DrawFn) -> dict[tuple[Any, ...], Any]:
    """A change table for ``build`` (fiscal years keyed as in the 2025 baseline)."""
    changes: dict[tuple[Any, ...], Any] = dict(draw(st.sampled_from(PRESETS)))
    changes[("enterprise", "industry_code")] = draw(st.sampled_from(INDUSTRIES))
    employees = draw(st.integers(5, 1500))
    changes[("fin", 2024, "employees")] = employees
    changes[("fin", 2024, "science_staff")] = min(employees, 30)
    changes[("fin", 2024, "rd_staff")] = min(employees, 20)
    if draw(st.booleans()):
        factor = draw(st.integers(1, 120))
        for year in (2022, 2023, 2024):
            for name in ("operating_revenue", "sales_revenue", "total_income"):
                changes[("fin", year, name)] = 5_000_000 * factor
    certs = draw(st.lists(st.sampled_from(TITLES), max_size=4, unique_by=lambda c: c["tier"]))
    if certs or draw(st.booleans()):
        changes[("certifications",)] = certs
    if draw(st.booleans()):  # half the firms have a clean record, the rest anything
        for name in FLAG_NAMES:
            changes[("enterprise", "flags", name)] = draw(
                st.sampled_from([False, False, False, True, None]))
    if draw(st.booleans()):
        changes[("assessments", "hnte_expert")] = EXPERT
    if draw(st.booleans()):
        changes[("assessments", "reviews")] = REVIEWED
    if draw(st.booleans()):  # IP whose grant and HNTE history are all on record
        changes[("ip",)] = [
            {"kind": kind, "number": f"N{i}", "granted_on": "2021-05-01",
             "acquired_by": "self_developed", "related_to_main_product": True,
             "used_in_hnte": False}
            for i, kind in enumerate(draw(st.lists(st.sampled_from(IP_KINDS), min_size=4,
                                                   max_size=6)))
        ]  # fmt: skip
    score = draw(st.sampled_from([None, 45, 50, 59, 60, 75]))
    changes[("assessments", "srdi_dev_score")] = score
    for path in LISTS:
        if draw(st.integers(0, 4)) == 0:
            changes[path] = _DELETE
    return changes


def profile_of(changes: dict[tuple[Any, ...], Any], y2026: bool) -> Profile:
    if not y2026:
        return build(changes)
    base = build({})
    fin = [{**row.model_dump(mode="json"), "year": row.year + 1} for row in base.financials]
    return build(_shift(changes, 1), as_of="2026-06-30", financials=fin)


@st.composite
def unknowable(draw: st.DrawFn) -> tuple[Any, ...]:
    """A path whose value becomes unknown: left out (lists, the score) or null (figures)."""
    kind = draw(st.sampled_from(["fin", "enterprise", "flag", "score", "list", "ip"]))
    if kind == "ip":  # an item of the first four: its grant date or HNTE use becomes null
        return ("ip", draw(st.integers(0, 3)), draw(st.sampled_from(IP_STATUS)))
    if kind == "fin":
        year = draw(st.sampled_from([2022, 2023, 2024]))
        return ("fin", year, draw(st.sampled_from(FIN_FIELDS)))
    if kind == "enterprise":
        return ("enterprise", draw(st.sampled_from(ENTERPRISE_FIELDS)))
    if kind == "flag":
        return ("enterprise", "flags", draw(st.sampled_from(FLAG_NAMES)))
    if kind == "score":
        return ("assessments", "srdi_dev_score")
    return draw(st.sampled_from(LISTS))


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(changes=firms(), y2026=st.booleans())
def test_a_true_disqualifying_flag_is_never_eligible(
    changes: dict[tuple[Any, ...], Any], y2026: bool
) -> None:
    profile = profile_of(changes, y2026)
    raised = {n for n in FLAG_NAMES if getattr(profile.enterprise.flags, n) is True}
    for tier, result in evaluate(profile).items():
        hit = raised & GATE_FLAGS[tier]
        if hit:
            assert result.verdict == "ineligible", (tier, sorted(hit), result.verdict)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(changes=firms(), y2026=st.booleans(), data=st.data())
def test_a_figure_becoming_unknown_never_makes_a_verdict_eligible(
    changes: dict[tuple[Any, ...], Any], y2026: bool, data: st.DataObject
) -> None:
    path = data.draw(unknowable())
    assume(path[0] != "ip" or len(path) == 1 or changes.get(("ip",)) is not _DELETE)
    value: Any = _DELETE if path in LISTS else None
    before = evaluate(profile_of(changes, y2026))
    after = evaluate(profile_of({**changes, path: value}, y2026))
    for tier, result in after.items():
        if result.verdict == "eligible":
            assert before[tier].verdict == "eligible", (tier, path, before[tier].verdict)


def test_every_tier_lists_its_disqualifying_flags() -> None:
    assert GATE_FLAGS["innovative_sme"] >= {"abnormal_operations_list", "serious_dishonesty_list",
                                            "major_safety_incident", "tax_evasion"}
    assert all(GATE_FLAGS[t] for t in TIER_KEYS), GATE_FLAGS
