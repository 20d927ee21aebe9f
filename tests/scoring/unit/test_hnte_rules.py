"""高新技术企业: gates with their edges, R&D band by sales (upper-inclusive), score > 70,
expert-graded ranges, growth bands and special cases (国科发火〔2016〕32号, 195号)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring.domain import evaluate

D = Decimal
YEARS = (2022, 2023, 2024)


def hnte(make, changes, **top):  # type: ignore[no-untyped-def]
    return evaluate(make(changes, **top), tiers=["hnte"])["hnte"]


def _sales_and_rd(sales: dict[int, int], rd: dict[int, int]) -> dict:  # type: ignore[type-arg]
    out = {}
    for y in YEARS:
        out[("fin", y, "sales_revenue")] = sales[y]
        out[("fin", y, "rd_expense")] = rd[y]
        out[("fin", y, "rd_expense_domestic")] = rd[y]
    return out


@pytest.mark.parametrize(
    ("latest_sales", "required"),
    [(49_999_999, "0.05"), (50_000_000, "0.05"), (50_000_001, "0.04"),
     (200_000_000, "0.04"), (200_000_001, "0.03")],
)  # fmt: skip
def test_rd_requirement_band_is_upper_inclusive(make, crit, latest_sales, required) -> None:  # type: ignore[no-untyped-def]
    r = hnte(make, {("fin", 2024, "sales_revenue"): latest_sales})
    assert crit(r, "hnte.h5_rd_ratio").required == D(required)


@pytest.mark.parametrize(("delta", "status"), [(-1, "fail"), (0, "pass"), (1, "pass")])
def test_three_year_rd_ratio_edge(make, crit, delta, status) -> None:  # type: ignore[no-untyped-def]
    sales = {2022: 30_000_000, 2023: 35_000_000, 2024: 40_000_000}  # latest ≤ 50 m → 5 %
    rd = {2022: 1_500_000, 2023: 1_750_000, 2024: 2_000_000 + delta}  # Σ = 5 % of Σ sales
    r = hnte(make, _sales_and_rd(sales, rd))
    c = crit(r, "hnte.h5_rd_ratio")
    assert c.status == status
    if status == "fail":
        assert c.gap == 1  # one more yuan of R&D closes it
        assert c.spec.gap_unit == "yuan"


def test_rd_gap_is_given_in_yuan_for_the_band(make, crit) -> None:  # type: ignore[no-untyped-def]
    # sales 60/70/80 m (latest in ¥50–200 m → 4 %), R&D 3.2 % of Σ 210 m = 6.72 m
    sales = {2022: 60_000_000, 2023: 70_000_000, 2024: 80_000_000}
    rd = {y: s * 32 // 1000 for y, s in sales.items()}
    c = crit(hnte(make, _sales_and_rd(sales, rd)), "hnte.h5_rd_ratio")
    assert (c.status, c.required, c.gap) == ("fail", D("0.04"), D(1_680_000))


@pytest.mark.parametrize(
    ("path", "ok", "bad", "cid"),
    [(("fin", 2024, "science_staff"), 10, 9, "h4_staff"),
     (("fin", 2024, "hightech_revenue"), 24_000_000, 23_999_999, "h6_hightech_income")],
)  # fmt: skip
def test_ten_and_sixty_percent_gates_are_inclusive(make, crit, path, ok, bad, cid) -> None:  # type: ignore[no-untyped-def]
    assert crit(hnte(make, {path: ok}), f"hnte.{cid}").status == "pass"
    assert crit(hnte(make, {path: bad}), f"hnte.{cid}").status == "fail"


def test_domestic_share_sixty_percent(make, crit) -> None:  # type: ignore[no-untyped-def]
    base = {("fin", y, "rd_expense_domestic"): 0 for y in YEARS}
    total = sum(v * 6 // 100 for v in (30_000_000, 35_000_000, 40_000_000))  # 6.3 m
    at = {**base, ("fin", 2024, "rd_expense_domestic"): total * 6 // 10}
    below = {**base, ("fin", 2024, "rd_expense_domestic"): total * 6 // 10 - 1}
    assert crit(hnte(make, at), "hnte.h5_domestic").status == "pass"
    assert crit(hnte(make, below), "hnte.h5_domestic").status == "fail"


@pytest.mark.parametrize(
    ("path", "value", "cid"),
    [(("fin", 2024, "rd_expense_domestic"), 99_000_000, "h5_domestic"),
     (("fin", 2024, "hightech_revenue"), 99_000_000, "h6_hightech_income")],
)  # fmt: skip
def test_a_part_above_its_whole_is_not_met(make, crit, path, value, cid) -> None:  # type: ignore[no-untyped-def]
    """Domestic R&D above all R&D (or high-tech income above total income) contradicts itself:
    the share would read 150 % and pass; it is unknown instead."""
    assert crit(hnte(make, {path: value}), f"hnte.{cid}").status == "unknown"


@pytest.mark.parametrize(
    ("established", "status"), [("2024-06-30", "pass"), ("2024-07-01", "fail")]
)
def test_registered_for_one_year(make, crit, established, status) -> None:  # type: ignore[no-untyped-def]
    r = hnte(make, {("enterprise", "established_on"): established})  # as_of 2025-06-30
    assert crit(r, "hnte.h1_age").status == status


def _exact(rd_management: str) -> dict:  # type: ignore[type-arg]
    """IP 30 (capped: A/A/8/6/2), conversion 25, growth 0 (second year zero) + management."""
    return {
        ("assessments", "hnte_expert"): {
            "tech_advancement": "A", "core_support": "A", "ip_quantity_points": 8,
            "acquisition_points": 6, "standards_bonus": 2, "conversion_points": 25,
            "rd_management_points": rd_management,
        },
        ("fin", 2023, "sales_revenue"): 0,
        ("fin", 2023, "total_liabilities"): 44_000_000,  # net assets 0 in the second year
    }  # fmt: skip


@pytest.mark.parametrize(
    ("management", "score", "verdict"),
    [
        ("14.9", D("69.9"), "ineligible"),
        ("15", D(70), "ineligible"),
        ("15.1", D("70.1"), "eligible"),
    ],
)
def test_score_must_be_strictly_above_70(make, management, score, verdict) -> None:  # type: ignore[no-untyped-def]
    r = hnte(make, _exact(management))
    assert r.score_min == r.score_max == score
    assert r.verdict == verdict or (verdict == "ineligible" and r.verdict == "near")


def test_without_expert_grades_the_score_is_a_range(make) -> None:  # type: ignore[no-untyped-def]
    r = hnte(make, {})
    assert r.score_min is not None and r.score_max is not None
    assert r.score_min < 70 < r.score_max
    assert r.verdict == "unknown"
    assert r.to_dict()["score"]["estimate"] is True


@pytest.mark.parametrize(
    ("latest", "points"),
    [(72_900_000, (9, 10)), (72_899_999, (7, 8)), (40_000_000, (0, 0)), (40_000_001, (1, 2))],
)
def test_sales_growth_band_edges(make, crit, latest, points) -> None:  # type: ignore[no-untyped-def]
    # S1 = 40 m, S2 = 54 m: S3 = 72.9 m gives exactly 35 %; S1 = S2 = S3 gives 0 (→ 0, flagged)
    s2 = 54_000_000 if latest > 60_000_000 else 40_000_000
    changes = {("fin", 2022, "sales_revenue"): 40_000_000, ("fin", 2023, "sales_revenue"): s2,
               ("fin", 2024, "sales_revenue"): latest}  # fmt: skip
    c = crit(hnte(make, changes), "hnte.g2_sales_growth")
    assert (c.points_min, c.points_max) == points
    if latest == 40_000_000:
        assert c.note == "zero_growth_edge"


def test_young_firm_uses_its_operating_years(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = hnte(make, {("enterprise", "established_on"): "2023-02-01",
                    ("fin", 2023, "sales_revenue"): 30_000_000})  # fmt: skip
    c = crit(r, "hnte.g2_sales_growth")  # 30 m → 40 m over two years: 33 % → band B
    assert (c.points_min, c.points_max) == (7, 8)


def test_negative_growth_scores_zero(make, crit) -> None:  # type: ignore[no-untyped-def]
    changes = {
        ("fin", 2022, "sales_revenue"): 50_000_000,
        ("fin", 2023, "sales_revenue"): 45_000_000,
    }
    c = crit(hnte(make, changes), "hnte.g2_sales_growth")
    assert (c.points_min, c.points_max, c.status) == (0, 0, "pass")


def test_financial_experts_growth_total_replaces_the_computed_range(make) -> None:  # type: ignore[no-untyped-def]
    changes = _exact("15")
    changes[("assessments", "hnte_expert")] = {
        **changes[("assessments", "hnte_expert")],
        "growth_points": "0.5",
    }
    r = hnte(make, changes)
    assert r.score_min == r.score_max == D("70.5")
    assert r.verdict == "eligible"
