"""Issue 8 end to end: the bureau reviewer's examples through ``POST /api/v1/evaluate``.

The unit tests (tests/scoring/unit/test_miit_*, test_holdings_validity_and_ip_classes.py,
test_zero_bases_and_edges.py, test_near_means_within_reach.py, ...) prove each rule on the
engine. This module proves what a reviewer checking verdicts against the official texts sees in
the public what-if answer: for each of the issue's examples and each item's edge (at it, just
above and just below), the verdict AND the criterion that decides it, with its status and the
clause it cites (the right document). A wrong "eligible" at an edge is the worst error the
product can make, so every case names the verdict it must not give.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.scoring.integration.conftest import make_profile

pytestmark = pytest.mark.integration

Change = Callable[[dict[str, Any]], None]

FLAGS = ("major_safety_incident", "major_quality_incident", "serious_environmental_violation",
         "research_misconduct", "abnormal_operations_list", "serious_dishonesty_list",
         "wage_or_insurance_arrears", "tax_violation", "bad_bank_credit_2y", "tax_evasion",
         "restricted_products")  # fmt: skip
N63 = "工信部企业〔2022〕63号 第五条"
N2 = "工信部企业〔2026〕2号"
N300 = "工信部联企业〔2011〕300号 第四条"
N32_IP = "国科发火〔2016〕32号 第十一条(二)"
N32_SCORE = "国科发火〔2016〕32号 第十一条(七)"
N115_HNTE = "国科发政〔2017〕115号 第八条(一)"
LPR_SD = "鲁农产业字〔2021〕7号"
# expert points that put the HNTE total at 60 + growth points (as in test_zero_bases_and_edges)
EXPERT_60 = {"tech_advancement": "E", "core_support": "E", "ip_quantity_points": "8",
             "acquisition_points": "6", "standards_bonus": "2", "conversion_points": "30",
             "rd_management_points": "14"}  # fmt: skip


def firm(year: int = 2025) -> dict[str, Any]:
    """A clean manufacturer: every flag known false, eligible for 创新型 and 专精特新 2022.

    ``year`` 2026 moves the evaluation date and the accounts one year on (2026 rulebooks).
    """
    profile = make_profile(
        flags={flag: False for flag in FLAGS},
        market_share_pct="12",
        market_rank_national=3,
        main_product_fields=["six_foundations", "key_chain_gap"],
    )
    profile["competitions"] = []
    if year == 2026:
        profile["as_of"] = "2026-06-30"
        for row in profile["financials"]:
            row["year"] += 1
    return profile


def evaluate(client: FlaskClient, profile: dict[str, Any], tier: str) -> dict[str, Any]:
    resp = client.post(f"/api/v1/evaluate?tiers={tier}", json=profile)
    body = resp.get_json()
    assert resp.status_code == 200 and body is not None, body
    return body["results"][tier]  # type: ignore[no-any-return]


def row(result: dict[str, Any], cid: str) -> dict[str, Any]:
    return next(c for c in result["criteria"] if c["id"] == f"{result['tier']}.{cid}")


def latest(profile: dict[str, Any]) -> dict[str, Any]:
    return max(profile["financials"], key=lambda y: y["year"])  # type: ignore[no-any-return]


def flag(name: str, value: bool | None) -> Change:
    def change(p: dict[str, Any]) -> None:
        p["enterprise"]["flags"][name] = value

    return change


def software(employees: int, revenue: int) -> Change:
    """A software firm (I65, 300号: SME when staff < 300 or revenue < ¥1亿)."""

    def change(p: dict[str, Any]) -> None:
        p["enterprise"]["industry_code"] = "I6510"
        last = latest(p)
        last.update(employees=employees, operating_revenue=revenue, sales_revenue=revenue)
        last["rd_expense"] = last["rd_expense_domestic"] = revenue * 6 // 100

    return change


def debt(ratio_per_10k: int) -> Change:
    """Last year-end liabilities at ``ratio_per_10k`` / 10,000 of the assets (¥60,000,000)."""

    def change(p: dict[str, Any]) -> None:
        latest(p)["total_liabilities"] = 60_000_000 * ratio_per_10k // 10_000

    return change


def debt_exact(liabilities: int) -> Change:
    def change(p: dict[str, Any]) -> None:
        latest(p)["total_liabilities"] = liabilities

    return change


def no_industry(p: dict[str, Any]) -> None:
    del p["enterprise"]["industry_code"]


def no_change(_p: dict[str, Any]) -> None:
    return None


# (case, year, tier, change, verdict, criterion, status, clause its citation must name)
CASES: list[tuple[str, int, str, Change, str, str, str, str]] = [
    # item 2: the MIIT general conditions, 2022 and 2026 rulebooks of all three tiers
    *[(f"dishonest {tier} {year}", year, tier, flag("serious_dishonesty_list", True),
       "ineligible", "g_credit_lists", "fail", N63 if year == 2025 else N2)
      for tier in ("innovative_sme", "srdi_sme", "little_giant") for year in (2025, 2026)],
    ("dishonesty unknown innovative_sme", 2025, "innovative_sme",
     flag("serious_dishonesty_list", None), "unknown", "g_credit_lists", "unknown", N63),
    ("dishonesty unknown srdi_sme", 2025, "srdi_sme",
     flag("serious_dishonesty_list", None), "unknown", "g_credit_lists", "unknown", N63),
    ("abnormal list innovative_sme 2026", 2026, "innovative_sme",
     flag("abnormal_operations_list", True), "ineligible", "g_credit_lists", "fail", N2),
    ("data-security incident srdi_sme", 2025, "srdi_sme", flag("major_safety_incident", True),
     "ineligible", "g_incidents", "fail", N63),
    ("tax evasion innovative_sme", 2025, "innovative_sme", flag("tax_evasion", True),
     "ineligible", "g_incidents", "fail", N63),
    ("dishonesty unknown innovative_sme 2026", 2026, "innovative_sme",
     flag("serious_dishonesty_list", None), "unknown", "g_credit_lists", "unknown", N2),
    ("clean firm innovative_sme", 2025, "innovative_sme", no_change, "eligible",
     "g_credit_lists", "pass", N63),
    # item 1: SME size by industry (300号 software row), at and around its bounds
    ("600-person software firm with ¥3亿", 2025, "innovative_sme",
     software(600, 300_000_000), "ineligible", "g_sme_size", "fail", N300),
    ("300-person software firm with ¥3亿", 2025, "srdi_sme",
     software(300, 300_000_000), "ineligible", "g_sme_size", "fail", N300),
    ("299-person software firm with ¥3亿", 2025, "innovative_sme",
     software(299, 300_000_000), "eligible", "g_sme_size", "pass", N300),
    ("600-person software firm with ¥1亿", 2026, "innovative_sme",
     software(600, 100_000_000), "ineligible", "g_sme_size", "fail", N300),
    ("600-person software firm just under ¥1亿", 2026, "innovative_sme",
     software(600, 99_999_999), "eligible", "g_sme_size", "pass", N300),
    ("600-person software firm 专精特新 2026", 2026, "srdi_sme", software(600, 300_000_000),
     "ineligible", "g_sme_size", "fail", f"{N300}；{N2}"),  # the 2026 rules, not 63号
    ("600-person software firm 小巨人 2026", 2026, "little_giant", software(600, 300_000_000),
     "ineligible", "g_sme_size", "fail", f"{N300}；{N2}"),
    ("no industry code", 2025, "innovative_sme", no_industry, "unknown", "g_sme_size",
     "unknown", N300),
    # item 7: debt-ratio band edges ("以下" includes the number; the shared edge scores high)
    ("innovative debt 55.00 %", 2025, "innovative_sme", debt(5500), "eligible", "s4_debt",
     "pass", "工信部企业〔2022〕63号 附件1 ④"),
    ("little giant 2026 debt 75.00 %", 2026, "little_giant", debt(7500), "ineligible",
     "c2_debt", "pass", f"{N2} 附件2 条件2"),
    ("little giant 2026 debt 75.01 %", 2026, "little_giant", debt(7501), "ineligible",
     "c2_debt", "fail", f"{N2} 附件2 条件2"),
    ("little giant 2022 debt 70.00 %", 2025, "little_giant", debt(7000), "ineligible",
     "j_debt", "pass", "工信部企业〔2022〕63号 附件（小巨人）"),
    ("little giant 2022 debt 70.01 %", 2025, "little_giant", debt(7001), "ineligible",
     "j_debt", "fail", "工信部企业〔2022〕63号 附件（小巨人）"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "year", "tier", "change", "verdict", "cid", "status", "citation"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_the_deciding_criterion_cites_its_clause(
    client: FlaskClient, case: str, year: int, tier: str, change: Change, verdict: str,
    cid: str, status: str, citation: str,
) -> None:  # fmt: skip
    profile = firm(year)
    change(profile)
    result = evaluate(client, profile, tier)
    deciding = row(result, cid)
    assert (deciding["status"], result["verdict"]) == (status, verdict), (case, deciding)
    assert citation in deciding["citation"], deciding["citation"]
    assert "[" not in deciding["citation"]  # no research markers such as [MEM]


@pytest.mark.parametrize(("ratio", "points"), [(5000, 5), (5001, 3), (6000, 3), (7000, 1),
                                                (7001, 0)])  # fmt: skip
def test_srdi_debt_points_at_the_band_edges(client: FlaskClient, ratio: int, points: int) -> None:
    profile = firm()
    debt(ratio)(profile)
    s08 = row(evaluate(client, profile, "srdi_sme"), "s08_debt")
    assert s08["citation"] == "工信部企业〔2022〕63号 附件 指标8"
    assert s08["points"] == {"min": str(points), "max": str(points)}


@pytest.mark.parametrize(("ratio", "points"), [(5500, 10), (5501, 5), (7500, 5), (7501, 0)])
def test_innovative_debt_points_at_the_band_edges(
    client: FlaskClient, ratio: int, points: int
) -> None:
    profile = firm()
    debt(ratio)(profile)
    s4 = row(evaluate(client, profile, "innovative_sme"), "s4_debt")
    assert s4["points"] == {"min": str(points), "max": str(points)}


def weak_with_certificate(issued_on: str) -> dict[str, Any]:
    """No R&D and no IP: the tech-SME score is out of reach, only a direct route qualifies."""
    profile = firm()
    for year in profile["financials"]:
        year["rd_expense"] = year["rd_expense_domestic"] = 0
    profile["ip"] = []
    profile["standards_led"] = []
    profile["certifications"] = [{"tier": "hnte", "issued_on": issued_on}]
    return profile


@pytest.mark.parametrize(
    ("issued_on", "held"),
    [("2015-03-01", False),  # the example: issued 2015, no expiry, evaluated in 2025
     ("2022-06-30", False),  # three years from issue end on 2025-06-29 (第九条)
     ("2022-07-01", True)],  # still held on 2025-06-30
)  # fmt: skip
def test_an_hnte_certificate_without_expiry_opens_the_direct_route_only_for_three_years(
    client: FlaskClient, issued_on: str, held: bool
) -> None:
    result = evaluate(client, weak_with_certificate(issued_on), "tech_sme")
    d_hnte = row(result, "d_hnte")
    assert d_hnte["citation"] == N115_HNTE
    assert d_hnte["status"] == ("pass" if held else "fail")
    assert result["verdict"] == ("eligible" if held else "ineligible")
    assert (result["route"] == "direct_hnte") is held


def only_ip(kind: str, used_in_hnte: bool) -> Change:
    def change(p: dict[str, Any]) -> None:
        p["ip"] = [{"kind": kind, "number": "ZL202020001234.5", "granted_on": "2020-05-01",
                    "acquired_by": "self_developed", "related_to_main_product": True,
                    "in_force": True, "used_in_hnte": used_in_hnte}]  # fmt: skip

    return change


@pytest.mark.parametrize(
    ("kind", "used", "status", "quantity"),
    [("utility_model", True, "fail", ("0", "0")),  # the example: Class II counts once
     ("software_copyright", True, "fail", ("0", "0")),
     ("utility_model", False, "pass", ("1", "2")),
     ("invention_patent", True, "pass", ("7", "8"))],  # Class I may be reused
)  # fmt: skip
def test_class_ii_ip_used_in_an_earlier_recognition_does_not_open_hnte(
    client: FlaskClient, kind: str, used: bool, status: str, quantity: tuple[str, str]
) -> None:
    profile = firm()
    only_ip(kind, used)(profile)
    result = evaluate(client, profile, "hnte")
    core = row(result, "h2_core_ip")
    assert core["citation"].startswith(N32_IP)
    assert core["status"] == status
    points = row(result, "i3_ip_quantity")["points"]
    assert (points["min"], points["max"]) == quantity
    # refused outright without usable IP; with a reused Class I patent the experts decide
    if status == "fail":
        assert result["verdict"] == "ineligible"
    if kind == "invention_patent":
        assert result["verdict"] == "unknown"


def test_class_ii_ip_whose_earlier_use_is_not_known_never_opens_hnte_silently(
    client: FlaskClient,
) -> None:
    # the items 3 + 6: a left-out "used_in_hnte" is unknown, not "unused"
    profile = firm()
    only_ip("utility_model", False)(profile)
    del profile["ip"][0]["used_in_hnte"]
    result = evaluate(client, profile, "hnte")
    core = row(result, "h2_core_ip")
    assert core["citation"].startswith(N32_IP) and core["status"] == "unknown"
    assert row(result, "i3_ip_quantity")["status"] == "unknown"
    assert result["verdict"] != "eligible"
    # a Class I item decides the gate whatever the Class II item's history
    profile["ip"].append({**profile["ip"][0], "kind": "invention_patent", "number": "ZL2"})
    assert row(evaluate(client, profile, "hnte"), "h2_core_ip")["status"] == "pass"


def test_an_ip_item_without_grant_date_is_not_counted_as_granted(client: FlaskClient) -> None:
    profile = firm()
    only_ip("invention_patent", False)(profile)
    profile["ip"][0]["granted_on"] = None
    result = evaluate(client, profile, "hnte")
    assert row(result, "h2_core_ip")["status"] == "unknown"
    assert result["verdict"] != "eligible"


@pytest.mark.parametrize(("given", "status", "verdict"),
                         [(None, "unknown", "unknown"), ([], "fail", "ineligible")])
def test_an_omitted_ip_list_is_unknown_and_an_empty_one_is_none(
    client: FlaskClient, given: list[Any] | None, status: str, verdict: str
) -> None:
    profile = firm()
    if given is None:
        del profile["ip"]
    else:
        profile["ip"] = given
    result = evaluate(client, profile, "hnte")
    core = row(result, "h2_core_ip")
    assert core["citation"].startswith(N32_IP)
    assert (core["status"], result["verdict"]) == (status, verdict)


@pytest.mark.parametrize(
    ("awards", "verdict", "route"),
    [([], "unknown", "score"),  # the open growth item can still decide the growth group (≥ 15)
     ([{"level": "provincial", "year": 2023, "rank": 2}], "eligible", "direct_award")],
)  # fmt: skip
def test_growth_from_a_zero_base_is_review_not_plus_100_percent(
    client: FlaskClient, awards: list[dict[str, Any]], verdict: str, route: str | None
) -> None:
    profile = firm()
    profile["awards"] = awards
    base = next(y for y in profile["financials"] if y["year"] == 2023)
    base["main_business_revenue"] = 0
    result = evaluate(client, profile, "innovative_sme")
    growth = row(result, "s3_main_growth")
    assert growth["citation"] == "工信部企业〔2022〕63号 附件1 ③"
    assert (growth["status"], growth["actual"], growth["note"]) == ("review", None, "zero_base")
    assert growth["points"] == {"min": "0", "max": "20"}
    assert (result["verdict"], result["route"]) == (verdict, route)
    # a review item the verdict waits on is listed; one a direct route overrides is not
    assert ("innovative_sme.s3_main_growth" in result["pending_review"]) is (verdict == "unknown")


@pytest.mark.parametrize(("growth", "status", "verdict"),
                         [("10", "fail", "ineligible"), ("10.5", "pass", "eligible")])
def test_an_hnte_score_of_exactly_70_fails_without_a_zero_gap(
    client: FlaskClient, growth: str, status: str, verdict: str
) -> None:
    profile = firm()
    profile["assessments"]["hnte_expert"] = {**EXPERT_60, "growth_points": growth}
    result = evaluate(client, profile, "hnte")
    total = row(result, "score_total")
    assert total["citation"].startswith(N32_SCORE)
    assert (total["status"], result["verdict"]) == (status, verdict)
    texts = " ".join(s["text_zh"] + s["text_en"] for s in result["next_steps"])
    assert "0分" not in texts.replace("70分", "") and " 0 points" not in texts
    if status == "fail":
        assert total["gap"] is None and "不含70分" in texts


@pytest.mark.parametrize(
    ("year", "profit", "status"),
    [(2025, 1_702_500, "fail"),  # ROA 3.3375 % = the 2024 mean LPR: not above it
     (2025, 1_702_560, "pass"),  # 3.3376 %
     (2026, 1_702_500, "pass"),  # the same ROA in fiscal 2025 (mean LPR 3.0333 %)
     (2026, 1_519_980, "fail")],  # 3.0333 %: exactly the 2025 mean
)  # fmt: skip
def test_the_agricultural_roa_bound_is_the_fiscal_years_lpr(
    client: FlaskClient, year: int, profit: int, status: str
) -> None:
    profile = firm(year)
    for fiscal in profile["financials"]:
        fiscal.update(total_assets=60_000_000, interest_expense=300_000)
    latest(profile)["total_profit"] = profit
    roa = row(evaluate(client, profile, "agri_leader_municipal"), "n5_roa")
    assert LPR_SD in roa["citation"]
    assert roa["status"] == status
    assert roa["confirmed"] is False and roa["uses_local_parameter"] is True


def test_a_tech_sme_candidate_scoring_0_of_60_is_not_near(client: FlaskClient) -> None:
    profile = weak_with_certificate("2015-03-01")
    for year in profile["financials"]:
        year["science_staff"] = 0
    result = evaluate(client, profile, "tech_sme")
    assert result["score"]["max"] == "0"
    assert row(result, "score_total")["status"] == "fail"
    assert row(result, "score_total")["citation"].startswith("国科发政〔2017〕115号 第六条(五)")
    assert result["verdict"] == "ineligible"


GIANT_HELD = {"tier": "little_giant", "issued_on": "2023-07-01", "expires_on": "2026-12-31"}


def test_a_2026_little_giant_nominee_is_judged_on_the_2026_revenue_rules(
    client: FlaskClient,
) -> None:
    profile = firm(2026)
    profile["certifications"] = []
    first = min(profile["financials"], key=lambda y: y["year"])
    first["operating_revenue"] = latest(profile)["operating_revenue"]  # no growth over 2 years
    result = evaluate(client, profile, "little_giant")
    assert result["rulebook_version"] == "little_giant@2026-04-01"
    assert "rulebook_basis" not in result
    cagr = row(result, "c2_cagr")
    assert cagr["citation"] == f"{N2} 附件2 条件2"
    assert cagr["status"] == "fail"
    # the figure reads as a percentage (was 0.0954… unformatted)
    assert cagr["actual_text"] == {"zh": "0.00 %", "en": "0.00 %"}
    standard = row(result, "r117_standard")
    assert standard["citation"] == "工信厅企业函〔2026〕117号"
    assert standard["status"] == "pass"
    assert result["verdict"] != "eligible"


@pytest.mark.parametrize("view", ["", "&view=summary"])
def test_a_2026_little_giant_re_review_is_judged_on_the_2022_standard_and_says_so(
    client: FlaskClient, view: str
) -> None:
    # criteria.md §8.1 "re-reviews in 2026: 2022 standard" (117号, [REPO]); ¥45m revenue is
    # below the 2026 ¥50m bound, which must not judge this firm
    profile = firm(2026)
    profile["certifications"] = [GIANT_HELD]
    latest(profile)["operating_revenue"] = 45_000_000
    resp = client.post(f"/api/v1/evaluate?tiers=little_giant{view}", json=profile)
    assert resp.status_code == 200, resp.get_json()
    result = resp.get_json()["results"]["little_giant"]
    assert result["rulebook_version"] == "little_giant@2022-06-01"
    basis = result["rulebook_basis"]
    assert basis["zh"].startswith("复核：按2022年标准") and basis["en"].startswith("re-review")
    assert basis["citation"] == "工信厅企业函〔2026〕117号"
    ids = {c["id"] for c in result["criteria"]}
    assert "little_giant.c2_revenue" not in ids and "little_giant.r117_standard" not in ids


@pytest.mark.parametrize(
    ("granted_on", "points"),
    [("2023-06-30", "0"),  # maintained exactly two years on 2025-06-30: not yet Class II
     ("2023-06-29", "5")],  # more than two years: Class II (63号 说明)
)  # fmt: skip
def test_a_miit_class_ii_utility_model_needs_more_than_two_years_after_grant(
    client: FlaskClient, granted_on: str, points: str
) -> None:
    profile = firm()
    only_ip("utility_model", False)(profile)
    profile["ip"][0]["granted_on"] = granted_on
    s1 = row(evaluate(client, profile, "innovative_sme"), "s1_ip")
    assert s1["citation"] == "工信部企业〔2022〕63号 附件1 ①"
    assert s1["points"] == {"min": points, "max": points}


def test_the_hnte_income_gap_counts_total_income_rising_with_it(client: FlaskClient) -> None:
    profile = firm()
    last = latest(profile)  # total income ¥48,500,000
    last["hightech_revenue"] = 24_250_000  # 50 %
    h6 = row(evaluate(client, profile, "hnte"), "h6_hightech_income")
    assert h6["citation"] == "国科发火〔2016〕32号 第十一条(六)"
    assert h6["status"] == "fail"
    # (24,250,000 + x) / (48,500,000 + x) ≥ 60 % → x = ¥12,125,000 (not 10 % of ¥48.5m)
    assert h6["gap"]["amount"] == "12125000" and h6["gap"]["unit"] == "yuan"
    assert "¥12,125,000" in h6["gap"]["text_zh"]


@pytest.mark.parametrize(
    ("tier", "cid", "change", "shown", "needs"),
    [("hnte", "h6_hightech_income",  # 59.999998 % of ¥48,500,000 against ≥ 60 %
      lambda p: latest(p).update(hightech_revenue=29_099_999), "59.99 %", "还需增加"),
     ("little_giant", "j_debt", debt_exact(42_000_001), "70.01 %", "超出 0.01个百分点")],
)  # fmt: skip
def test_a_figure_failing_by_a_hair_never_reads_as_its_bound(
    client: FlaskClient, tier: str, cid: str, change: Change, shown: str, needs: str
) -> None:
    profile = firm()
    change(profile)
    failing = row(evaluate(client, profile, tier), cid)
    assert failing["status"] == "fail"
    assert failing["actual_text"]["zh"] == shown  # half-even rounding read 60.00 % / 70.00 %
    assert f"实际 {shown}" in failing["gap"]["text_zh"] and needs in failing["gap"]["text_zh"]
