"""Missing is not empty (profile.md; issue 8 item 6): a list the profile leaves out is
unknown, a list given as ``[]`` is "none"; a Shandong market position with the share known
but the ranks missing is unknown, not 0 points."""

# ruff: noqa: E501 (test names say the behaviour in full)
from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.domain import evaluate

D = Decimal


@pytest.mark.parametrize(("cid", "path"), [
    ("innovative_sme.s5_field", ("enterprise", "main_product_fields")),
    ("srdi_sme.s04_product_field", ("enterprise", "main_product_fields")),
    ("srdi_sme.s06_quality", ("assessments", "quality_items")),
    ("little_giant.l_chain", ("enterprise", "main_product_fields")),
    ("little_giant.p_field", ("enterprise", "main_product_fields")),
    ("little_giant.j_certified", ("assessments", "quality_items")),
    ("little_giant.t_brand", ("assessments", "quality_items")),
])
def test_a_list_left_out_is_unknown_and_an_empty_list_is_none(make, crit, delete, cid, path) -> None:  # type: ignore[no-untyped-def]
    tier = cid.split(".")[0]
    left_out = crit(evaluate(make({path: delete}), tiers=[tier]), cid)
    empty = crit(evaluate(make({path: []}), tiers=[tier]), cid)
    assert left_out.status == "unknown"
    assert empty.status in ("pass", "fail") and empty.status != "unknown"
    if empty.points_max is not None:  # scored: the empty list scores its floor, decided
        assert empty.points_min == empty.points_max
        assert (left_out.points_min, left_out.points_max) != (empty.points_min, empty.points_max)


def test_field_of_the_main_product_left_out_spans_its_possible_points(make, crit, delete) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(make({("enterprise", "main_product_fields"): delete}), tiers=["innovative_sme"])
    c = crit(r, "innovative_sme.s5_field")
    assert (c.points_min, c.points_max) == (5, 10)  # 其他 5 … 战略性新兴产业 10


def test_innovative_operations_left_out_is_unknown_given_empty_scores_zero(make, crit) -> None:  # type: ignore[no-untyped-def]
    cid = "srdi_sme.s10_sd_innovative_ops"
    left_out = make({("assessments", "shandong"): {"key_industry": "B"}})
    empty = make({("assessments", "shandong"): {"key_industry": "B", "innovative_operations": []}})
    assert crit(evaluate(left_out, tiers=["srdi_sme"]), cid).status == "unknown"
    c = crit(evaluate(empty, tiers=["srdi_sme"]), cid)
    assert (c.status, c.points_min) == ("pass", 0)


@pytest.mark.parametrize(("share", "national", "provincial", "status", "low", "high"), [
    ("5", None, None, "unknown", 0, 4),  # share known, ranks missing: not 0
    ("12", None, None, "pass", 4, 4),  # > 10 % decides whatever the ranks
    ("10", None, None, "unknown", 0, 4),  # "超过10%": exactly 10 % is not above
    ("5", 3, None, "pass", 4, 4),
    ("5", 8, None, "pass", 3, 3),  # national top 10 = 3, a provincial rank cannot add
    ("5", 20, None, "unknown", 0, 3),
    ("5", 20, 2, "pass", 3, 3),
    ("5", 20, 8, "pass", 2, 2),
    ("5", 20, 11, "pass", 0, 0),
    (None, 20, 11, "unknown", 0, 4),  # share unknown could still exceed 10 %
])
def test_shandong_market_position_is_unknown_until_the_missing_figures_cannot_matter(make, crit, delete, share, national, provincial, status, low, high) -> None:  # type: ignore[no-untyped-def]
    e = "enterprise"
    changes = {(e, "market_share_pct"): share if share is not None else delete,
               (e, "market_rank_national"): national if national is not None else delete,
               (e, "market_rank_provincial"): provincial}
    c = crit(evaluate(make(changes), tiers=["srdi_sme"]), "srdi_sme.s11_sd_market")
    assert (c.status, c.points_min, c.points_max) == (status, D(low), D(high))


def test_ip_left_out_is_unknown_and_ip_given_as_empty_is_none(make, crit, delete) -> None:  # type: ignore[no-untyped-def]
    left_out = crit(evaluate(make({("ip",): delete}), tiers=["innovative_sme"]),
                    "innovative_sme.s1_ip")
    empty = crit(evaluate(make({("ip",): []}), tiers=["innovative_sme"]), "innovative_sme.s1_ip")
    assert (left_out.status, left_out.points_min, left_out.points_max) == ("unknown", 0, 20)
    assert (empty.status, empty.points_min, empty.points_max) == ("pass", 0, 0)


def test_little_giant_2026_ip_left_out_is_unknown_unless_an_award_exempts(make, crit, delete) -> None:  # type: ignore[no-untyped-def]
    fin = [{**row.model_dump(mode="json"), "year": row.year + 1} for row in make().financials]
    def c4(extra):  # type: ignore[no-untyped-def]
        p = make({("ip",): delete, **extra}, as_of="2026-06-30", financials=fin)
        return crit(evaluate(p, tiers=["little_giant"]), "little_giant.c4_ip")
    assert c4({}).status == "unknown"
    award = {("awards",): [{"level": "national", "year": 2025, "rank": 1}]}
    assert (c4(award).status, c4(award).note) == ("pass", "exempt")
