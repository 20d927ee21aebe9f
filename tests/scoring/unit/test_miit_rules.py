"""MIIT gradient tiers: innovative SME (score, group minimums, direct routes), 专精特新 2022
gates and direct routes, 小巨人 2022 R&D by revenue band, and the 2022 → 2026 switch."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.domain import evaluate

D = Decimal


def tier(make, name, changes=None, **top):  # type: ignore[no-untyped-def]
    return evaluate(make(changes or {}, **top), tiers=[name])[name]


@pytest.mark.parametrize(
    ("rd", "points"),
    [(399_999, 0), (400_000, 5), (799_999, 5), (800_000, 10), (1_199_999, 10),
     (1_200_000, 15), (1_999_999, 15), (2_000_000, 20)],
)  # fmt: skip
def test_innovative_rd_ratio_bands_take_the_higher_band_on_edges(make, crit, rd, points) -> None:  # type: ignore[no-untyped-def]
    # operating revenue ¥40 m: 1 % = 400,000 … 5 % = 2,000,000 ("5%以上" includes 5 %)
    r = tier(make, "innovative_sme", {("fin", 2024, "rd_expense"): rd})
    assert crit(r, "innovative_sme.s2_rd_ratio").points_min == points


@pytest.mark.parametrize(
    ("liabilities", "points"),
    [(27_500_000, 10), (27_500_001, 5), (37_500_000, 5), (37_500_001, 0)],
)
def test_innovative_debt_ratio_55_and_75_are_inclusive(make, crit, liabilities, points) -> None:  # type: ignore[no-untyped-def]
    r = tier(make, "innovative_sme", {("fin", 2024, "total_liabilities"): liabilities})  # of 50 m
    assert crit(r, "innovative_sme.s4_debt").points_min == points


@pytest.mark.parametrize(
    ("main_2024", "points"),
    [(36_800_000, 20), (36_799_999, 15), (35_200_000, 15), (33_600_000, 10), (32_000_000, 5),
     (31_999_999, 0)],
)  # fmt: skip
def test_innovative_main_revenue_growth_bands(make, crit, main_2024, points) -> None:  # type: ignore[no-untyped-def]
    # main-business revenue 2023 = ¥32 m: 15 % → 36.8 m, 10 % → 35.2 m, 5 % → 33.6 m, 0 % → 32 m
    r = tier(make, "innovative_sme", {("fin", 2024, "main_business_revenue"): main_2024})
    assert crit(r, "innovative_sme.s3_main_growth").points_min == points


def _innovative_scores(make, crit, changes):  # type: ignore[no-untyped-def]
    r = tier(make, "innovative_sme", changes)
    return r, {g: crit(r, f"innovative_sme.group_{g}").status
               for g in ("innovation", "growth", "specialisation")}  # fmt: skip


def test_group_minimum_fails_even_when_the_total_passes(make, crit) -> None:  # type: ignore[no-untyped-def]
    # No IP (0) and R&D 2 % (10): innovation 10 < 20, although the total is ≥ 60
    changes = {("ip",): [], ("fin", 2024, "rd_expense"): 800_000}
    r, groups = _innovative_scores(make, crit, changes)
    assert r.score_min is not None and r.score_min >= 60
    assert groups["innovation"] == "fail"
    assert r.verdict != "eligible"


def test_group_minimums_at_their_edges_pass(make, crit) -> None:  # type: ignore[no-untyped-def]
    # innovation: Class II only (5) + R&D 3 % (15) = 20; growth: 0 % growth (5) + debt 75 % (5)
    # = 10 → fails 15; so lift growth: debt 55 % (10) + 0 % (5) = 15
    ip = [{"kind": "utility_model", "number": "U", "acquired_by": "self_developed",
           "related_to_main_product": True, "granted_on": "2022-05-01"}]  # fmt: skip
    changes = {("ip",): ip, ("fin", 2024, "rd_expense"): 1_200_000,
               ("fin", 2024, "main_business_revenue"): 32_000_000,
               ("fin", 2024, "total_liabilities"): 27_500_000}  # fmt: skip
    r, groups = _innovative_scores(make, crit, changes)
    assert groups == {"innovation": "pass", "growth": "pass", "specialisation": "pass"}
    assert r.verdict == "eligible"


@pytest.mark.parametrize(
    ("extra", "route"),
    [({"awards": [{"level": "provincial", "year": 2023, "rank": 9}]}, "direct_award"),
     ({"certifications": [{"tier": "ip_advantage", "issued_on": "2024-01-01",
                         "expires_on": "2026-12-31"}]}, "direct_honour"),
     ({"rd_institutions": [{"level": "national", "name": "国家级"}]}, "direct_institution")],
)  # fmt: skip
def test_innovative_direct_routes(make, extra, route) -> None:  # type: ignore[no-untyped-def]
    weak = {("ip",): [], ("fin", 2024, "rd_expense"): 0}  # score far below 60
    r = tier(make, "innovative_sme", {**weak, **{(k,): v for k, v in extra.items()}})
    assert (r.verdict, r.route) == ("eligible", route)


@pytest.mark.parametrize(("equity", "verdict_ok"), [(4_999_999, False), (5_000_000, True)])
def test_innovative_equity_route_five_million(make, equity, verdict_ok) -> None:  # type: ignore[no-untyped-def]
    weak = {
        ("ip",): [],
        ("fin", 2024, "rd_expense"): 0,
        ("fin", 2024, "new_equity_financing"): equity,
    }
    r = tier(make, "innovative_sme", weak)
    assert (r.verdict == "eligible") is verdict_ok


@pytest.mark.parametrize(
    ("path", "ok", "bad", "cid"),
    [(("enterprise", "niche_market_years"), 2, 1, "b1_niche"),
     (("fin", 2024, "rd_expense"), 1_200_000, 999_999, "b2_rd"),
     (("fin", 2024, "operating_revenue"), 10_000_000, 9_999_999, "b3_revenue")],
)  # fmt: skip
def test_srdi_2022_base_conditions(make, crit, path, ok, bad, cid) -> None:  # type: ignore[no-untyped-def]
    assert crit(tier(make, "srdi_sme", {path: ok}), f"srdi_sme.{cid}").status == "pass"
    assert crit(tier(make, "srdi_sme", {path: bad}), f"srdi_sme.{cid}").status == "fail"


def test_srdi_2022_rd_ratio_three_percent(make, crit) -> None:  # type: ignore[no-untyped-def]
    assert crit(tier(make, "srdi_sme", {("fin", 2024, "rd_expense"): 1_200_000}),
                "srdi_sme.b2_rd_ratio").status == "pass"  # fmt: skip
    assert crit(tier(make, "srdi_sme", {("fin", 2024, "rd_expense"): 1_199_999}),
                "srdi_sme.b2_rd_ratio").status == "fail"  # fmt: skip


@pytest.mark.parametrize(("years", "points"), [(1, 0), (2, 1), (3, 1), (9, 4), (10, 5), (15, 5)])
def test_srdi_niche_years_one_point_per_two_years(make, crit, years, points) -> None:  # type: ignore[no-untyped-def]
    r = tier(make, "srdi_sme", {("enterprise", "niche_market_years"): years})
    assert crit(r, "srdi_sme.s03_niche_years").points_min == points


@pytest.mark.parametrize(
    ("extra", "route"),
    [({"awards": [{"level": "provincial", "year": 2023, "rank": 3}]}, "direct_award_provincial"),
     ({"awards": [{"level": "national", "year": 2023, "rank": 5}]}, "direct_award_national"),
     ({"competitions": [{"name": "maker_china", "year": 2023, "national_rank": 500}]},
      "direct_maker_china")],
)  # fmt: skip
def test_srdi_2022_direct_routes(make, extra, route) -> None:  # type: ignore[no-untyped-def]
    weak = {
        ("assessments", "digital_level"): 1,
        ("ip",): [],
        ("enterprise", "main_product_fields"): [],
        ("assessments", "quality_items"): [],
    }
    r = tier(make, "srdi_sme", {**weak, **{(k,): v for k, v in extra.items()}})
    assert r.score_max is not None and r.score_max < 60
    assert (r.verdict, r.route) == ("eligible", route)


def test_srdi_2022_rd_and_equity_routes(make) -> None:  # type: ignore[no-untyped-def]
    weak = {
        ("assessments", "digital_level"): 1,
        ("ip",): [],
        ("enterprise", "main_product_fields"): [],
        ("assessments", "quality_items"): [],
    }
    rd = {("fin", 2024, "rd_expense"): 10_000_000, ("fin", 2023, "rd_expense"): 10_000_000}
    assert tier(make, "srdi_sme", {**weak, **rd}).route in ("score", "direct_rd_average")
    eq = {
        ("fin", 2024, "new_equity_financing"): 30_000_000,
        ("fin", 2023, "new_equity_financing"): 30_000_000,
    }
    r = tier(make, "srdi_sme", {**weak, **eq})
    assert (r.verdict, r.route) == ("eligible", "direct_equity")


@pytest.mark.parametrize(
    ("revenue", "rd_each", "status"),
    [(100_000_000, 3_000_000, "pass"), (100_000_000, 2_999_999, "fail"),
     (99_999_999, 3_000_000, "fail"), (50_000_000, 3_000_000, "pass")],
)  # fmt: skip
def test_little_giant_2022_rd_by_revenue_band(make, crit, revenue, rd_each, status) -> None:  # type: ignore[no-untyped-def]
    # ≥ ¥100 m: 3 % in each of 2 years; ¥50–100 m: 6 %
    changes = {("fin", y, k): revenue for y in (2023, 2024) for k in ("operating_revenue",)}
    changes.update({("fin", y, "rd_expense"): rd_each for y in (2023, 2024)})
    assert crit(tier(make, "little_giant", changes), "little_giant.x_rd").status == status


def test_little_giant_direct_route_replaces_the_innovation_condition(make) -> None:  # type: ignore[no-untyped-def]
    base = {("certifications",): [{"tier": "srdi_sme", "issued_on": "2023-01-01"}],
            ("ip",): [], ("fin", 2024, "market_turnover"): 0}  # fmt: skip
    assert tier(make, "little_giant", base).verdict in ("ineligible", "near")
    award = {**base, ("awards",): [{"level": "national", "year": 2023, "rank": 2}]}
    r = tier(make, "little_giant", award)
    # The 精 qualitative items still need review (criteria.md §8.5): never a silent eligible.
    assert (r.verdict, r.route) == ("unknown", "direct_national_award")
    assert r.pending_review == ["little_giant.j_governance", "little_giant.j_tech_leading",
                                "little_giant.j_info_system"]


@pytest.mark.parametrize(
    ("as_of", "version"),
    [("2026-03-31", "2022-06-01"), ("2026-04-01", "2026-04-01")],
)
def test_miit_2026_standards_apply_from_april_2026(make, as_of, version) -> None:  # type: ignore[no-untyped-def]
    results = evaluate(make({}, as_of=as_of), tiers=["innovative_sme", "srdi_sme", "little_giant"])
    assert {r.rulebook_version.split("@")[1] for r in results.values()} == {version}


def test_srdi_2026_needs_the_platform_score(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = tier(make, "srdi_sme", {}, as_of="2026-06-30")
    assert crit(r, "srdi_sme.c6_dev_score").status == "unknown"
    assert r.verdict in ("unknown", "ineligible", "near")
