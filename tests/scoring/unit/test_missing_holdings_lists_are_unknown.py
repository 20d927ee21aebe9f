"""Missing is not empty (profile.md; issue 8 item 6): every list of the profile — awards,
R&D institutions, standards led, certifications, contest results, IP, product fields, quality
items — left out makes every criterion that reads it ``unknown``; given as ``[]`` it is
"none" and decides.

The test walks every rulebook version of every tier and finds the criteria reading each list
by their check (``award``, ``holds``, ``standard_led``, ``maker_china``, ``not_single_champion``)
or by the fact they read (``rd_inst_best``, ``product_fields``, ``quality_items``, ``ip_*``), so
a criterion added later is covered too.
"""

# ruff: noqa: E501 (test names say the behaviour in full)
from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest

from scoring.domain import evaluate
from scoring.domain.rulebook import all_rulebooks

Path = tuple[str, ...]
_BY_CHECK: dict[str, Path] = {
    "award": ("awards",),
    "holds": ("certifications",),
    "not_single_champion": ("certifications",),
    "standard_led": ("standards_led",),
    "maker_china": ("competitions",),
}
_BY_FACT: dict[str, Path] = {
    "rd_inst_best": ("rd_institutions",),
    "product_fields": ("enterprise", "main_product_fields"),
    "quality_items": ("assessments", "quality_items"),
}
_IP_FACT = re.compile(r'"ip_[a-z0-9_]+"')


def _reads(criterion: dict[str, Any]) -> Path | None:
    """The profile list a rulebook criterion reads, None when it reads none of them."""
    if criterion["check"] in _BY_CHECK:
        return _BY_CHECK[criterion["check"]]
    text = json.dumps(criterion.get("args", {}))
    found = next((lst for fact, lst in _BY_FACT.items() if f'"{fact}"' in text), None)
    return found or (("ip",) if _IP_FACT.search(text) else None)


def _cases() -> list[tuple[str, str, str, Path]]:
    out = []
    for tier, books in all_rulebooks().items():
        for effective, data in books:
            for c in data["criteria"]:
                lst = _reads(c)
                if lst is not None:
                    out.append((tier, effective.isoformat(), f"{tier}.{c['id']}", lst))
    return out


CASES = _cases()


def _profile(make, effective: str, changes: dict[tuple[Any, ...], Any]):  # type: ignore[no-untyped-def]
    """The baseline firm evaluated inside the rulebook version starting on ``effective``."""
    if date.fromisoformat(effective) <= date(2025, 6, 30):
        return make(changes)
    fin = [{**row.model_dump(mode="json"), "year": row.year + 1} for row in make().financials]
    return make(changes, as_of="2026-06-30", financials=fin)


def test_every_list_is_read_by_some_rulebook_criterion() -> None:
    assert {lst for *_, lst in CASES} == {
        ("awards",), ("certifications",), ("standards_led",), ("competitions",),
        ("rd_institutions",), ("enterprise", "main_product_fields"),
        ("assessments", "quality_items"), ("ip",)}
    assert len(CASES) >= 30


@pytest.mark.parametrize(("tier", "effective", "cid", "lst"), CASES, ids=[f"{c[2]}@{c[1]}" for c in CASES])
def test_a_holdings_list_left_out_is_unknown_and_given_empty_is_none(make, crit, delete, tier, effective, cid, lst) -> None:  # type: ignore[no-untyped-def]
    left_out = crit(evaluate(_profile(make, effective, {lst: delete}), tiers=[tier]), cid)
    empty = crit(evaluate(_profile(make, effective, {lst: []}), tiers=[tier]), cid)
    assert left_out.status == "unknown", (cid, left_out)
    assert empty.status in ("pass", "fail"), (cid, empty)
    if empty.points_max is not None:  # scored: none scores its floor, decided
        assert empty.points_min == empty.points_max


def test_an_award_given_still_decides_the_direct_route(make, crit) -> None:  # type: ignore[no-untyped-def]
    award = {("awards",): [{"level": "provincial", "year": 2024, "rank": 1}]}
    r = evaluate(make(award), tiers=["innovative_sme"])["innovative_sme"]
    assert crit(r, "innovative_sme.d_award").status == "pass"


def test_certifications_left_out_make_holds_unknown_without_the_validity_note(make, crit, delete) -> None:  # type: ignore[no-untyped-def]
    c = crit(evaluate(make({("certifications",): delete}), tiers=["tech_sme"]), "tech_sme.d_hnte")
    assert (c.status, c.note) == ("unknown", "")
    hnte_2015 = {("certifications",): [{"tier": "hnte", "issued_on": "2015-01-01"}]}
    c = crit(evaluate(make(hnte_2015), tiers=["tech_sme"]), "tech_sme.d_hnte")
    assert c.status == "fail"  # HNTE 3 years from issue: lapsed by 2025


def test_a_firm_failing_its_gates_stays_ineligible_with_every_holdings_list_left_out(make, delete) -> None:  # type: ignore[no-untyped-def]
    gone = {(lst,): delete for lst in ("awards", "rd_institutions", "standards_led", "certifications", "competitions")}
    listed = {**gone, ("enterprise", "flags", "serious_dishonesty_list"): True}
    for tier in ("innovative_sme", "srdi_sme", "little_giant"):
        assert evaluate(make(listed), tiers=[tier])[tier].verdict == "ineligible"


def test_the_miit_ip_gate_is_unknown_when_awards_or_institutions_that_could_exempt_are_left_out(make, crit, delete) -> None:  # type: ignore[no-untyped-def]
    fin = [{**row.model_dump(mode="json"), "year": row.year + 1} for row in make().financials]
    def c4(extra):  # type: ignore[no-untyped-def]
        p = make({("ip",): [], **extra}, as_of="2026-06-30", financials=fin)
        return crit(evaluate(p, tiers=["little_giant"]), "little_giant.c4_ip")
    assert c4({}).status == "fail"  # no IP, no award, no institution: decided
    assert c4({("awards",): delete}).status == "unknown"
