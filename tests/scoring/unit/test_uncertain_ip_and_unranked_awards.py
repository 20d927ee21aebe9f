"""Missing is not empty for IP items and award ranks (issue 8 review, items 1, 2 and 4).

* ``used_in_hnte`` left out is *unknown*: a Class II item whose use in an earlier recognition
  is not known never counts silently toward HNTE's core-IP gate or IP quantity (2.3.1a); the
  criterion is unknown unless the other items decide it.
* An item with no grant date is not shown to be granted (profile.md: patents count only once
  granted): the same, for every criterion counting IP.
* An award with no recorded rank may or may not be within "top 3 / top 5": unknown, unless
  another award decides.
"""

# ruff: noqa: E501 (test names say the behaviour in full)
from __future__ import annotations

from typing import Any

from scoring.domain import evaluate
from scoring.domain.facts import Facts
from tests.scoring.unit.conftest import build
from tests.scoring.unit.conftest import find
from tests.scoring.unit.test_review_items import GIANT_2026
from tests.scoring.unit.test_review_items import in_2026
from yumiao_common.contracts.profile import IpItem


def _item(kind: str, number: str, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "number": number, "granted_on": "2021-05-01",
            "acquired_by": "self_developed", "related_to_main_product": True, **more}  # fmt: skip


def _hnte(ip: list[dict[str, Any]]) -> Any:
    return evaluate(build({("ip",): ip}), tiers=["hnte"])["hnte"]


def test_used_in_hnte_left_out_parses_as_unknown_and_old_payloads_still_parse() -> None:
    assert IpItem.model_validate(_item("utility_model", "U")).used_in_hnte is None
    assert IpItem.model_validate(_item("utility_model", "U", used_in_hnte=False)).used_in_hnte is False
    assert IpItem.model_validate(_item("utility_model", "U", used_in_hnte=True)).used_in_hnte is True


def test_a_class_ii_item_of_unknown_use_does_not_pass_the_core_ip_gate_alone() -> None:
    r = _hnte([_item("utility_model", "U1")])
    gate = find(r, "hnte.h2_core_ip")
    assert (gate.status, gate.note) == ("unknown", "ip_unconfirmed")
    words = next(c for c in r.to_dict()["criteria"] if c["id"] == "hnte.h2_core_ip")["note_text"]
    assert words["zh"].startswith("有知识产权的授权日期") and words["en"].startswith("an IP item")
    assert r.verdict != "eligible"
    assert find(_hnte([_item("utility_model", "U1", used_in_hnte=False)]), "hnte.h2_core_ip").status == "pass"
    assert find(_hnte([_item("utility_model", "U1", used_in_hnte=True)]), "hnte.h2_core_ip").status == "fail"


def test_a_class_i_item_decides_the_gate_whatever_the_class_ii_use() -> None:
    r = _hnte([_item("invention_patent", "I1"), _item("utility_model", "U1")])
    assert find(r, "hnte.h2_core_ip").status == "pass"
    assert find(r, "hnte.i3_ip_quantity").status == "pass"


def test_ip_quantity_is_decided_by_known_unused_items_else_a_range() -> None:
    known = [_item("utility_model", f"U{i}", used_in_hnte=False) for i in range(5)]
    decided = find(_hnte([*known, _item("utility_model", "X")]), "hnte.i3_ip_quantity")
    assert (decided.status, decided.points_min, decided.points_max) == ("pass", 5, 6)
    open_ = find(_hnte([*known[:4], _item("utility_model", "X")]), "hnte.i3_ip_quantity")
    assert open_.status == "unknown"
    assert (open_.points_min, open_.points_max) == (3, 6)  # 4 known → 3–4; all 5 → 5–6


def test_an_item_without_grant_date_is_not_counted_as_granted() -> None:
    r = _hnte([_item("invention_patent", "I1", granted_on=None)])
    assert find(r, "hnte.h2_core_ip").status == "unknown"
    assert r.verdict != "eligible"
    f = Facts(build({("ip",): [_item("invention_patent", "I1", granted_on=None)]}))
    assert (f.ip_class1, f.ip_open) == (0, {
        "ip_core": 1, "ip_core_self": 1, "ip_class1": 1, "ip_class1_self": 1,
        "ip_hnte_core": 1, "ip_hnte_core_self": 1})
    assert f.ip_any_self is None


def test_tech_sme_ip_points_stay_open_while_a_grant_is_unknown() -> None:
    one = [_item("utility_model", "U1", used_in_hnte=False)]
    r = evaluate(build({("ip",): [*one, _item("invention_patent", "I", granted_on=None)]}),
                 tiers=["tech_sme"])["tech_sme"]
    row = find(r, "tech_sme.s3_ip")
    assert (row.status, row.points_min, row.points_max) == ("unknown", 6, 30)


def test_little_giant_2026_four_class_i_needs_four_known_grants() -> None:
    inv = GIANT_2026[("ip",)]
    undated = {**inv[0], "number": "X", "granted_on": None}
    three_and_one = in_2026(build({**GIANT_2026, ("ip",): [*inv[:3], undated]}))
    row = find(evaluate(three_and_one, tiers=["little_giant"]), "little_giant.c4_ip")
    assert row.status == "unknown"
    four_and_one = in_2026(build({**GIANT_2026, ("ip",): [*inv, undated]}))
    assert find(evaluate(four_and_one, tiers=["little_giant"]), "little_giant.c4_ip").status == "pass"
    two_and_one = in_2026(build({**GIANT_2026, ("ip",): [*inv[:2], undated]}))
    assert find(evaluate(two_and_one, tiers=["little_giant"]), "little_giant.c4_ip").status == "fail"


def _srdi_award(awards: list[dict[str, Any]]) -> Any:
    return evaluate(build({("awards",): awards}), tiers=["srdi_sme"])["srdi_sme"]


def test_an_award_without_rank_leaves_a_top_n_route_unknown() -> None:
    row = find(_srdi_award([{"level": "provincial", "year": 2024}]), "srdi_sme.d_award_provincial")
    assert (row.status, row.note) == ("unknown", "rank_unknown")
    ranked = [{"level": "provincial", "year": 2024}, {"level": "provincial", "year": 2023, "rank": 2}]
    assert find(_srdi_award(ranked), "srdi_sme.d_award_provincial").status == "pass"
    fourth = [{"level": "provincial", "year": 2024, "rank": 4}]
    assert find(_srdi_award(fourth), "srdi_sme.d_award_provincial").status == "fail"
    out_of_window = [{"level": "provincial", "year": 2020}]
    assert find(_srdi_award(out_of_window), "srdi_sme.d_award_provincial").status == "fail"


def test_an_unranked_national_award_leaves_the_little_giant_ip_exemption_open() -> None:
    inv = GIANT_2026[("ip",)]
    base = {**GIANT_2026, ("ip",): inv[:3]}
    unranked = in_2026(build({**base, ("awards",): [{"level": "national", "year": 2025}]}))
    row = find(evaluate(unranked, tiers=["little_giant"]), "little_giant.c4_ip")
    assert (row.status, row.note) == ("unknown", "rank_unknown")
    ranked = in_2026(build({**base, ("awards",): [{"level": "national", "year": 2025, "rank": 1}]}))
    row = find(evaluate(ranked, tiers=["little_giant"]), "little_giant.c4_ip")
    assert (row.status, row.note) == ("pass", "exempt")
