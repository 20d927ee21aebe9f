"""Band edges of the scored MIIT indicators and HNTE conversions, at / just past each edge.

Official numbers: 63号 附件 (专精特新 indicators 1–13), 63号 附件1 (创新型 ⑥), Shandong
特色化 (S31) and 指引 2.3.2 (HNTE conversions). Baseline firm: operating revenue ¥40 m,
total assets ¥50 m, 100 employees.
"""

# ruff: noqa: E501 (a table of edge cases reads best one case per line)
from __future__ import annotations

import pytest

from scoring.domain import evaluate

F = ("fin", 2024)
INV = {"kind": "invention_patent", "number": "I", "related_to_main_product": True,
       "granted_on": "2022-05-01"}
# MIIT Class II: a utility model counts only when maintained > 2 years after grant (63号 说明)
UM = {"kind": "utility_model", "number": "U", "related_to_main_product": True,
      "granted_on": "2023-06-29"}
UM_YOUNG = {**UM, "granted_on": "2023-06-30"}  # exactly two years on as_of: not more than two
SC = {"kind": "software_copyright", "number": "S", "related_to_main_product": True,
      "granted_on": "2025-01-01"}

CASES = [
    # 专精特新 1: main-business share ≥80 % 5 · 70–80 % 3 · 60–70 % 1 · <60 % 0
    ("srdi_sme.s01_main_share", {(*F, "main_business_revenue"): 32_000_000}, 5),
    ("srdi_sme.s01_main_share", {(*F, "main_business_revenue"): 31_999_999}, 3),
    ("srdi_sme.s01_main_share", {(*F, "main_business_revenue"): 28_000_000}, 3),
    ("srdi_sme.s01_main_share", {(*F, "main_business_revenue"): 27_999_999}, 1),
    ("srdi_sme.s01_main_share", {(*F, "main_business_revenue"): 24_000_000}, 1),
    ("srdi_sme.s01_main_share", {(*F, "main_business_revenue"): 23_999_999}, 0),
    # 7: net margin ≥10 % 10 · 8 % 8 · 6 % 6 · 4 % 4 · 2 % 2
    ("srdi_sme.s07_net_margin", {(*F, "net_profit"): 4_000_000}, 10),
    ("srdi_sme.s07_net_margin", {(*F, "net_profit"): 3_999_999}, 8),
    ("srdi_sme.s07_net_margin", {(*F, "net_profit"): 2_400_000}, 6),
    ("srdi_sme.s07_net_margin", {(*F, "net_profit"): 1_600_000}, 4),
    ("srdi_sme.s07_net_margin", {(*F, "net_profit"): 800_000}, 2),
    ("srdi_sme.s07_net_margin", {(*F, "net_profit"): 799_999}, 0),
    ("srdi_sme.s07_net_margin", {(*F, "net_profit"): -1}, 0),
    # 8: debt <50 % 5 · 50–60 % 3 · 60–70 % 1 · ≥70 % 0
    # 专精特新 8 (debt ratio of ¥50 m assets): "50%以下" 5 · 50%-60% 3 · 60%-70% 1 · "70%以上" 0;
    # 以下/以上 include the number and a shared edge takes the higher band (criteria.md §8.3)
    ("srdi_sme.s08_debt", {(*F, "total_liabilities"): 25_000_000}, 5),
    ("srdi_sme.s08_debt", {(*F, "total_liabilities"): 25_000_001}, 3),
    ("srdi_sme.s08_debt", {(*F, "total_liabilities"): 30_000_000}, 3),
    ("srdi_sme.s08_debt", {(*F, "total_liabilities"): 30_000_001}, 1),
    ("srdi_sme.s08_debt", {(*F, "total_liabilities"): 35_000_000}, 1),
    ("srdi_sme.s08_debt", {(*F, "total_liabilities"): 35_000_001}, 0),
    # 11: R&D ≥ ¥5 m / 4 / 3 / 2 / 1 m (revenue ¥400 m keeps the ratio bands out of the way)
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 400_000_000, (*F, "rd_expense"): 5_000_000}, 10),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 400_000_000, (*F, "rd_expense"): 4_999_999}, 8),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 400_000_000, (*F, "rd_expense"): 3_000_000}, 6),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 400_000_000, (*F, "rd_expense"): 2_000_000}, 4),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 400_000_000, (*F, "rd_expense"): 1_000_000}, 2),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 400_000_000, (*F, "rd_expense"): 999_999}, 0),
    # 11: … or R&D ratio ≥10 % / 8 / 6 / 4 / 3 % (revenue ¥9 m keeps amounts below ¥1 m)
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 9_000_000, (*F, "rd_expense"): 900_000}, 10),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 9_000_000, (*F, "rd_expense"): 899_999}, 8),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 9_000_000, (*F, "rd_expense"): 540_000}, 6),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 9_000_000, (*F, "rd_expense"): 360_000}, 4),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 9_000_000, (*F, "rd_expense"): 270_000}, 2),
    ("srdi_sme.s14_rd_input", {(*F, "operating_revenue"): 9_000_000, (*F, "rd_expense"): 269_999}, 0),
    # 12: R&D staff ≥20 % 5 · 10–20 % 3 · 5–10 % 1 · <5 % 0
    ("srdi_sme.s15_rd_staff", {(*F, "rd_staff"): 20}, 5),
    ("srdi_sme.s15_rd_staff", {(*F, "rd_staff"): 19}, 3),
    ("srdi_sme.s15_rd_staff", {(*F, "rd_staff"): 10}, 3),
    ("srdi_sme.s15_rd_staff", {(*F, "rd_staff"): 9}, 1),
    ("srdi_sme.s15_rd_staff", {(*F, "rd_staff"): 5}, 1),
    ("srdi_sme.s15_rd_staff", {(*F, "rd_staff"): 4}, 0),
    # 5: digital level 三级以上 5 · 二级 3 · 一级 0
    ("srdi_sme.s05_digital", {("assessments", "digital_level"): 4}, 5),
    ("srdi_sme.s05_digital", {("assessments", "digital_level"): 3}, 5),
    ("srdi_sme.s05_digital", {("assessments", "digital_level"): 2}, 3),
    ("srdi_sme.s05_digital", {("assessments", "digital_level"): 1}, 0),
    # 6: 3 points per quality item, at most 5
    ("srdi_sme.s06_quality", {("assessments", "quality_items"): []}, 0),
    ("srdi_sme.s06_quality", {("assessments", "quality_items"): ["iso9001"]}, 3),
    ("srdi_sme.s06_quality", {("assessments", "quality_items"): ["iso9001", "standards"]}, 5),
    # 4: product field
    ("srdi_sme.s04_product_field", {("enterprise", "main_product_fields"): ["key_chain_gap"]}, 5),
    ("srdi_sme.s04_product_field", {("enterprise", "main_product_fields"): ["time_honoured_brand"]}, 3),
    ("srdi_sme.s04_product_field", {("enterprise", "main_product_fields"): ["strategic_emerging"]}, 0),
    # 10: IP — high-value Class I 10 · self-developed Class I 8 · Class I 6 · Class II 2 · none 0
    ("srdi_sme.s13_ip", {("ip",): [{**INV, "acquired_by": "transferred", "high_value": True}]}, 10),
    ("srdi_sme.s13_ip", {("ip",): [{**INV, "acquired_by": "self_developed"}]}, 8),
    ("srdi_sme.s13_ip", {("ip",): [{**INV, "acquired_by": "transferred"}]}, 6),
    ("srdi_sme.s13_ip", {("ip",): [{**UM, "acquired_by": "self_developed"}]}, 2),
    ("srdi_sme.s13_ip", {("ip",): [{**UM_YOUNG, "acquired_by": "self_developed"}]}, 0),
    ("srdi_sme.s13_ip", {("ip",): [{**SC, "acquired_by": "self_developed"}]}, 2),
    ("srdi_sme.s13_ip", {("ip",): []}, 0),
    # 13: R&D institution level
    ("srdi_sme.s16_rd_institution", {("rd_institutions",): [{"level": "national", "name": "n"}]}, 10),
    ("srdi_sme.s16_rd_institution", {("rd_institutions",): [{"level": "provincial", "name": "p"}]}, 8),
    ("srdi_sme.s16_rd_institution", {("rd_institutions",): [{"level": "municipal", "name": "m"}]}, 4),
    ("srdi_sme.s16_rd_institution", {("rd_institutions",): [{"level": "below", "name": "b"}]}, 2),
    ("srdi_sme.s16_rd_institution", {("rd_institutions",): []}, 0),
    # Shandong 11: share >10 % or national top 3 → 4; national top 10 → 3
    ("srdi_sme.s11_sd_market", {("enterprise", "market_share_pct"): "10.1", ("enterprise", "market_rank_national"): 20}, 4),
    ("srdi_sme.s11_sd_market", {("enterprise", "market_share_pct"): "10", ("enterprise", "market_rank_national"): 10}, 3),
    ("srdi_sme.s11_sd_market", {("enterprise", "market_share_pct"): "10", ("enterprise", "market_rank_national"): 3}, 4),
    # Shandong 10: 2 points per item, at most 4
    ("srdi_sme.s10_sd_innovative_ops", {("assessments", "shandong"): {"innovative_operations": ["A"]}}, 2),
    ("srdi_sme.s10_sd_innovative_ops", {("assessments", "shandong"): {"innovative_operations": ["A", "C", "F"]}}, 4),
    # 创新型 ⑥: main share ≥70 % 20 · 60–70 % 15 · 55–60 % 10 · 50–55 % 5 · <50 % 0
    ("innovative_sme.s6_main_share", {(*F, "main_business_revenue"): 28_000_000}, 20),
    ("innovative_sme.s6_main_share", {(*F, "main_business_revenue"): 27_999_999}, 15),
    ("innovative_sme.s6_main_share", {(*F, "main_business_revenue"): 24_000_000}, 15),
    ("innovative_sme.s6_main_share", {(*F, "main_business_revenue"): 22_000_000}, 10),
    ("innovative_sme.s6_main_share", {(*F, "main_business_revenue"): 21_999_999}, 5),
    ("innovative_sme.s6_main_share", {(*F, "main_business_revenue"): 20_000_000}, 5),
    ("innovative_sme.s6_main_share", {(*F, "main_business_revenue"): 19_999_999}, 0),
    # 创新型 ⑤: strategic emerging 10, otherwise 5
    ("innovative_sme.s5_field", {("enterprise", "main_product_fields"): ["strategic_emerging"]}, 10),
    ("innovative_sme.s5_field", {("enterprise", "main_product_fields"): []}, 5),
    # 创新型 ①: high-value Class I 20 · self-developed Class I 15 · Class I 10 · Class II 5
    ("innovative_sme.s1_ip", {("ip",): [{**INV, "acquired_by": "acquired", "high_value": True}]}, 20),
    ("innovative_sme.s1_ip", {("ip",): [{**INV, "acquired_by": "self_developed"}]}, 15),
    ("innovative_sme.s1_ip", {("ip",): [{**INV, "acquired_by": "donated"}]}, 10),
    ("innovative_sme.s1_ip", {("ip",): [{**UM, "acquired_by": "donated"}]}, 5),
    ("innovative_sme.s1_ip", {("ip",): [{**UM_YOUNG, "acquired_by": "donated"}]}, 0),
]  # fmt: skip


@pytest.mark.parametrize(("cid", "changes", "points"), CASES)
def test_band_edges(make, crit, cid, changes, points) -> None:  # type: ignore[no-untyped-def]
    tier = cid.split(".")[0]
    c = crit(evaluate(make(changes), tiers=[tier]), cid)
    assert (c.status, c.points_min, c.points_max) == ("pass", points, points), c


@pytest.mark.parametrize(
    ("conversions", "points"),
    [((5, 5, 5), (25, 30)), ((5, 5, 4), (19, 24)), ((4, 4, 4), (19, 24)), ((3, 3, 3), (13, 18)),
     ((2, 2, 2), (7, 12)), ((1, 1, 1), (1, 6)), ((1, 1, 0), (0, 0)), ((0, 0, 0), (0, 0))],
)  # fmt: skip
def test_hnte_conversion_bands_by_yearly_average(make, crit, conversions, points) -> None:  # type: ignore[no-untyped-def]
    changes = {("fin", y, "tech_conversions"): n for y, n in zip((2022, 2023, 2024), conversions, strict=True)}
    c = crit(evaluate(make(changes), tiers=["hnte"]), "hnte.c1_conversion")
    assert (c.points_min, c.points_max) == points
