"""The MIIT general condition "products not prohibited, restricted or obsolete" (63号 第五条;
criteria.md §8 item 9) as the gate ``g_products`` of all three MIIT tiers, both standards.

The flag ``restricted_products`` is a fact a curator can look up (《产业结构调整指导目录》
限制类/淘汰类, the market-access negative list), so it is modelled as a flag, not a review item:
true → ineligible, unknown → unknown (never a silent pass).
"""

# ruff: noqa: E501 (test names say the behaviour in full)
from __future__ import annotations

import pytest

from scoring.domain import evaluate
from scoring.domain.readable import value_texts

MIIT = ("innovative_sme", "srdi_sme", "little_giant")
FLAG = ("enterprise", "flags", "restricted_products")


def run(make, tier, as_of, changes):  # type: ignore[no-untyped-def]
    """Evaluate ``tier`` on ``as_of``; for 2026 the baseline's fiscal years move on by one."""
    if as_of.startswith("2025"):
        return evaluate(make(changes, as_of=as_of), tiers=[tier])[tier]
    fin = [{**row.model_dump(mode="json"), "year": row.year + 1} for row in make().financials]
    return evaluate(make(changes, as_of=as_of, financials=fin), tiers=[tier])[tier]


@pytest.mark.parametrize("as_of", ["2025-06-30", "2026-06-30"])
@pytest.mark.parametrize("tier", MIIT)
def test_restricted_products_make_every_miit_tier_ineligible(make, crit, tier, as_of) -> None:  # type: ignore[no-untyped-def]
    clear = run(make, tier, as_of, {FLAG: False})
    assert crit(clear, f"{tier}.g_products").status == "pass"
    r = run(make, tier, as_of, {FLAG: True})
    assert r.verdict == "ineligible"
    c = crit(r, f"{tier}.g_products")
    assert (c.status, c.actual) == ("fail", ["restricted_products"])
    assert value_texts(c.actual, c.spec.unit) == (
        "产品属于国家禁止、限制或淘汰类", "products in a prohibited, restricted or obsolete category")


@pytest.mark.parametrize("as_of", ["2025-06-30", "2026-06-30"])
@pytest.mark.parametrize("tier", MIIT)
def test_restricted_products_unknown_leaves_the_gate_unknown(make, crit, delete, tier, as_of) -> None:  # type: ignore[no-untyped-def]
    r = run(make, tier, as_of, {FLAG: delete})
    c = crit(r, f"{tier}.g_products")
    assert (c.status, c.actual, c.note) == ("unknown", ["restricted_products"], "flags_unknown")
    assert r.verdict != "eligible"


def test_innovative_sme_eligible_firm_turns_unknown_without_the_products_answer(make, delete) -> None:  # type: ignore[no-untyped-def]
    assert evaluate(make(), tiers=["innovative_sme"])["innovative_sme"].verdict == "eligible"
    unknown = make({FLAG: delete})
    assert evaluate(unknown, tiers=["innovative_sme"])["innovative_sme"].verdict == "unknown"


def test_the_products_gate_cites_article_five_in_2022(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(make(), tiers=list(MIIT))
    for tier in MIIT:
        c = crit(r, f"{tier}.g_products")
        assert "63号 第五条" in c.spec.citation
        assert c.spec.title_en == "Products not in a prohibited, restricted or obsolete category"
