"""Year-keyed LPR, unconfirmed placeholders and citations without research markers (issue 8
item 8).

农经发〔2018〕1号 N5 as read by 鲁农产业字〔2021〕7号: the return on assets must be above the
*year's* average 1-year LPR (criteria.md §4.1) — one rate per fiscal year. Thresholds whose
source was not found (criteria.md §4.2, §4.3) are local parameters: unconfirmed in the
rulebook and in the answer. Citations name the document and article only.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from scoring.domain import evaluate
from scoring.domain import list_rulebooks
from scoring.domain import local_parameters
from scoring.domain.rulebook import all_rulebooks
from tests.scoring.unit.conftest import build

AGRI = ("agri_leader_national", "agri_leader_provincial", "agri_leader_municipal")
MARKER = re.compile(r"\[(?:MEM|3P|REPO|OFF|NOT FOUND)|NOT FOUND|list content|\bS\d{1,3}\b|"
                    r"\[[^\]]*\]|\(formula")


def _roa_row(as_of: str, tier: str = "agri_leader_national", **kw: Any) -> Any:
    p = build(as_of=as_of)
    r = evaluate(p, tiers=[tier], **kw)[tier]  # type: ignore[list-item]
    return next(c for c in r.criteria if c.id == f"{tier}.n5_roa"), r


@pytest.mark.parametrize("tier", AGRI)
@pytest.mark.parametrize(("as_of", "rate"), [("2024-06-30", "0.0355"), ("2025-06-30", "0.033375")])
def test_the_roa_bound_is_the_lpr_of_the_fiscal_year(tier: str, as_of: str, rate: str) -> None:
    # as_of 2024 judges the 2023 figures against 2023's mean LPR, as_of 2025 the 2024 ones
    row, _ = _roa_row(as_of, tier)
    assert row.required == Decimal(rate)


def test_the_same_roa_passes_or_fails_with_the_year(make) -> None:  # type: ignore[no-untyped-def]
    # 2023 figures: average assets (44 + 40) / 2 = ¥42 m; profit + interest = ¥1.449 m
    # → ROA 3.45 %: below 2023's 3.55 %; the same ROA on 2024 figures is above 3.3375 %
    p23 = build({("fin", 2023, "total_profit"): 1_249_000}, as_of="2024-06-30")
    row = next(c for c in evaluate(p23, tiers=["agri_leader_national"])[
        "agri_leader_national"].criteria if c.id == "agri_leader_national.n5_roa")
    assert (row.actual, row.status) == (Decimal("0.0345"), "fail")
    p24 = make({("fin", 2024, "total_profit"): 1_421_500})  # 1.6215 m / 47 m = 3.45 %
    row = next(c for c in evaluate(p24, tiers=["agri_leader_national"])[
        "agri_leader_national"].criteria if c.id == "agri_leader_national.n5_roa")
    assert (row.actual, row.status) == (Decimal("0.0345"), "pass")


def test_a_year_without_a_rate_is_unknown_never_another_years_rate() -> None:
    row, _ = _roa_row("2028-06-30")  # fiscal year 2027: no rate in the rulebook
    assert (row.status, row.required, row.note) == ("unknown", None, "rate_missing")


def test_each_years_rate_is_a_local_parameter_the_bureau_overrides() -> None:
    ids = {p.id for p in local_parameters()}
    assert {f"agri_leader_national.n5_roa.rate_{y}" for y in range(2020, 2027)} <= ids
    row, r = _roa_row("2025-06-30",
                      overrides={"agri_leader_national.n5_roa.rate_2024": "0.05"})
    assert row.required == Decimal("0.05")
    assert "agri_leader_national.n5_roa.rate_2024" in r.to_dict()["local_parameters"]


def test_a_stored_override_of_the_retired_single_rate_is_ignored() -> None:
    row, _ = _roa_row("2025-06-30", overrides={"agri_leader_national.n5_roa.value": "0.09"})
    assert row.required == Decimal("0.033375")


def test_placeholders_are_unconfirmed_in_the_rulebook_and_in_the_answer(make) -> None:  # type: ignore[no-untyped-def]
    for book in list_rulebooks():
        for c in book["criteria"]:
            if c["local_parameters"]:
                assert c["confirmed"] is False, c["id"]
    provincial = next(b for b in list_rulebooks() if b["tier"] == "agri_leader_provincial")
    assert all(c["confirmed"] is False for c in provincial["criteria"])  # nothing was found
    answer = evaluate(make(), tiers=["agri_leader_provincial"])["agri_leader_provincial"]
    for c in answer.to_dict()["criteria"]:
        if c["local_parameters"] or c["id"].endswith(("n3_sales", "n3_assets")):
            assert c["confirmed"] is False, c["id"]
    for p in local_parameters():
        assert p.to_dict()["confirmed"] is False


def _texts(book: dict[str, Any]) -> list[str]:
    """Every citation, document and parameter note a rulebook shows to people."""
    out = list(book.get("documents", []))
    for c in book["criteria"]:
        out.append(c["citation"])
        for value in (c.get("args") or {}).values():
            if isinstance(value, dict) and "note" in value:
                out.append(value["note"])
    if book.get("score"):
        out.append(book["score"]["citation"])
    return out


OWN = ("hnte", "tech_sme", *AGRI)


@pytest.mark.parametrize(
    "book", [b for books in all_rulebooks().values() for _d, b in books],
    ids=lambda b: f"{b['tier']}@{b['effective_from']}",
)
def test_no_citation_carries_a_research_marker(book: dict[str, Any]) -> None:
    # every rulebook, MIIT ones included: "[MEM]", "[3P S14]", "(list content [MEM])" …
    # belong in the confirmed flag, not in the text a firm reads
    bad = [t for t in _texts(book) if MARKER.search(t)]
    assert not bad, bad
