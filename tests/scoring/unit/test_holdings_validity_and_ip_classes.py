"""No holding is valid forever, and HNTE Class II IP counts once (issue 8 items 3 and 4).

Validity without an expiry date: criteria.md §8 item 10 (HNTE 3 years, 国科发火〔2016〕32号
第九条; tech-SME registration for its year, 国科火字〔2019〕87号; MIIT titles 3 years);
agricultural titles are monitored every two years (农经发〔2018〕1号, §4.1); a title with no
known rule is unknown. IP classes: criteria.md §2.3.1a (Class II used once) and §3.2 (MIIT
Class II: utility/design patents maintained more than two years after grant).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from scoring.domain import evaluate
from scoring.domain.facts import Facts
from scoring.domain.holdings import holding_status
from scoring.domain.holdings import ip_class
from yumiao_common.contracts.profile import Certification
from yumiao_common.contracts.profile import IpItem

AS_OF = date(2025, 6, 30)  # the baseline's evaluation date


def _cert(tier: str, issued: str, expires: str | None = None) -> Certification:
    return Certification(tier=tier, issued_on=date.fromisoformat(issued),  # type: ignore[arg-type]
                         expires_on=None if expires is None else date.fromisoformat(expires))


@pytest.mark.parametrize(
    ("tier", "issued", "held"),
    [  # HNTE: 3 years from the certificate date (第九条): held through 2025-06-30 if issued
        # 2022-07-01, not if issued a day earlier; an old certificate is not valid forever
        ("hnte", "2022-07-01", True), ("hnte", "2022-06-30", False), ("hnte", "2015-03-01", False),
        # tech SME registration: the year of registration only (登记编号当年有效)
        ("tech_sme", "2025-01-02", True), ("tech_sme", "2024-12-31", False),
        # MIIT titles: 3 years
        ("srdi_sme", "2022-07-01", True), ("little_giant", "2022-06-30", False),
        ("innovative_sme", "2023-01-01", True),
        # agricultural leaders: monitored every 2 years; past that, unknown (not expired)
        ("agri_leader_provincial", "2023-07-01", True),
        ("agri_leader_provincial", "2023-06-30", None),
        ("agri_leader_national", "2018-01-01", None),
        # honours with no known validity rule: unknown
        ("ip_advantage", "2024-01-01", None), ("single_champion", "2024-01-01", None),
        # not yet issued
        ("hnte", "2025-07-01", False),
    ],
)  # fmt: skip
def test_a_title_without_expiry_has_its_tiers_validity(tier: str, issued: str, held: Any) -> None:
    assert holding_status(_cert(tier, issued), AS_OF) is held


@pytest.mark.parametrize(
    ("expires", "held"), [("2025-06-30", True), ("2025-06-29", False), ("2030-01-01", True)]
)
def test_an_explicit_expiry_date_is_taken_as_written(expires: str, held: bool) -> None:
    assert holding_status(_cert("ip_advantage", "2015-01-01", expires), AS_OF) is held


def _weak_tech_sme(make: Any, **extra: Any) -> Any:
    """A tech SME far below 60 points, so only a direct route can qualify it."""
    changes = {("ip",): [], ("fin", 2024, "rd_expense"): 0, ("fin", 2024, "science_staff"): 10,
               **{(k,): v for k, v in extra.items()}}  # fmt: skip
    return evaluate(make(changes), tiers=["tech_sme"])["tech_sme"]


def test_an_hnte_certificate_of_2015_without_expiry_opens_no_direct_route(make, crit) -> None:  # type: ignore[no-untyped-def]
    # issue 8 item 4: issued 2015, no expiry date, evaluated in 2025 → expired (3 years)
    r = _weak_tech_sme(make, certifications=[{"tier": "hnte", "issued_on": "2015-03-01"}])
    assert crit(r, "tech_sme.d_hnte").status == "fail"
    assert r.verdict in ("ineligible", "near")


def test_an_hnte_certificate_in_its_three_years_opens_the_direct_route(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = _weak_tech_sme(make, certifications=[{"tier": "hnte", "issued_on": "2022-07-01"}])
    assert crit(r, "tech_sme.d_hnte").status == "pass"
    assert (r.verdict, r.route) == ("eligible", "direct_hnte")


def test_a_provincial_agri_title_past_its_monitoring_cycle_is_unknown(make, crit) -> None:  # type: ignore[no-untyped-def]
    old = make({("certifications",): [{"tier": "agri_leader_provincial",
                                       "issued_on": "2019-01-01"}]})  # fmt: skip
    row = crit(evaluate(old, tiers=["agri_leader_national"]), "agri_leader_national.n9_provincial")
    assert (row.status, row.note) == ("unknown", "validity_unknown")
    fresh = make({("certifications",): [{"tier": "agri_leader_provincial",
                                         "issued_on": "2024-01-01"}]})  # fmt: skip
    row = crit(evaluate(fresh, tiers=["agri_leader_national"]),
               "agri_leader_national.n9_provincial")
    assert row.status == "pass"


@pytest.mark.parametrize(("year", "ok"), [(2020, True), (2019, False), (2026, False)])
def test_award_windows_count_five_years_back_and_never_a_later_year(make, year, ok) -> None:  # type: ignore[no-untyped-def]
    # 第八条(二) 近五年内: as_of 2025 → 2020…2025; an award dated after as_of never counts
    r = _weak_tech_sme(make, awards=[{"level": "national", "year": year, "rank": 1}])
    assert (r.verdict == "eligible" and r.route == "direct_award") is ok


@pytest.mark.parametrize(("year", "ok"), [(2020, True), (2019, False), (2026, False)])
def test_standard_windows_never_count_a_later_year(make, year, ok) -> None:  # type: ignore[no-untyped-def]
    r = _weak_tech_sme(make, standards_led=[{"level": "national", "year": year}])
    assert (r.verdict == "eligible" and r.route == "direct_standard") is ok


def _utility(number: str, used: bool = False, **more: Any) -> dict[str, Any]:
    return {"kind": "utility_model", "number": number, "granted_on": "2021-05-01",
            "acquired_by": "self_developed", "related_to_main_product": True,
            "used_in_hnte": used, **more}  # fmt: skip


def test_a_class_ii_item_used_in_an_earlier_recognition_fails_the_core_ip_gate(make, crit) -> None:  # type: ignore[no-untyped-def]
    # criteria.md §2.3.1a: Class II IP may be used only once across HNTE applications
    r = evaluate(make({("ip",): [_utility("U1", used=True)]}), tiers=["hnte"])["hnte"]
    gate = crit(r, "hnte.h2_core_ip")
    assert gate.status == "fail" and gate.gap == 1
    assert r.verdict != "eligible"
    fresh = evaluate(make({("ip",): [_utility("U1")]}), tiers=["hnte"])["hnte"]
    assert crit(fresh, "hnte.h2_core_ip").status == "pass"


def test_a_class_i_item_can_be_reused(make, crit) -> None:  # type: ignore[no-untyped-def]
    patent = {"kind": "invention_patent", "number": "ZL9", "granted_on": "2020-01-01",
              "acquired_by": "self_developed", "related_to_main_product": True,
              "used_in_hnte": True}  # fmt: skip
    r = evaluate(make({("ip",): [patent]}), tiers=["hnte"])["hnte"]
    assert crit(r, "hnte.h2_core_ip").status == "pass"
    assert (crit(r, "hnte.i3_ip_quantity").points_min, crit(r, "hnte.i3_ip_quantity").points_max) \
        == (7, 8)


@pytest.mark.parametrize(("used", "points"), [(0, (5, 6)), (1, (3, 4)), (5, (0, 0))])
def test_used_class_ii_items_do_not_count_for_ip_quantity(make, crit, used, points) -> None:  # type: ignore[no-untyped-def]
    # five Class II items: ≥ 5 → 5–6 points; with one used, 4 remain → 3–4; all used → 0
    ip = [_utility(f"U{i}", used=i < used) for i in range(5)]
    r = evaluate(make({("ip",): ip}), tiers=["hnte"])["hnte"]
    row = crit(r, "hnte.i3_ip_quantity")
    assert (row.points_min, row.points_max) == points
    # the acquisition indicator reads the same usable items
    acq = crit(r, "hnte.i4_acquisition")
    assert acq.points_max == (0 if used == 5 else 6)


def _item(kind: str, granted: str | None) -> IpItem:
    return IpItem(kind=kind, number="X1", acquired_by="self_developed",  # type: ignore[arg-type]
                  related_to_main_product=True, used_in_hnte=False,
                  granted_on=None if granted is None else date.fromisoformat(granted))


@pytest.mark.parametrize(
    ("kind", "granted", "miit", "hnte"),
    [("utility_model", "2023-06-29", 2, 2),  # maintained more than two years
     ("utility_model", "2023-06-30", None, 2),  # exactly two years: not "more than"
     ("design_patent", "2024-01-01", None, 2),
     ("utility_model", None, None, 2),  # no grant date: cannot show two years
     ("software_copyright", "2025-01-01", 2, 2),  # copyrights: no maintenance condition
     ("invention_patent", "2025-01-01", 1, 1)],
)  # fmt: skip
def test_ip_class_under_miit_and_hnte_rules(kind: str, granted: str | None, miit: Any,
                                           hnte: Any) -> None:
    item = _item(kind, granted)
    assert ip_class(item, AS_OF, "miit") == miit
    assert ip_class(item, AS_OF, "hnte") == hnte


def test_miit_class_ii_count_excludes_young_utility_models(make) -> None:  # type: ignore[no-untyped-def]
    ip = [_utility("U1", granted_on="2023-06-29"), _utility("U2", granted_on="2024-01-01"),
          {"kind": "software_copyright", "number": "S1", "granted_on": "2025-01-01",
           "acquired_by": "self_developed", "related_to_main_product": True}]  # fmt: skip
    f = Facts(make({("ip",): ip}))
    assert (f.ip_class2, f.ip_miit_class2) == (3, 2)


def test_the_hightech_income_gap_accounts_for_total_income_rising(make, crit) -> None:  # type: ignore[no-untyped-def]
    # 第十一条(六): (h + x) / (t + x) ≥ 60 %; h = ¥20 m, t = ¥40 m → x = (24 − 20) / 0.4 = ¥10 m
    p = make({("fin", 2024, "hightech_revenue"): 20_000_000})
    row = crit(evaluate(p, tiers=["hnte"]), "hnte.h6_hightech_income")
    assert row.status == "fail"
    assert row.gap == 10_000_000
    h, t = 20_000_000 + row.gap, 40_000_000 + row.gap
    assert h / t >= 0.6 and (h - 1) / (t - 1) < 0.6
