"""The general conditions of the MIIT gradient as gates of all three tiers, both standards.

* SME by industry (工信部联企业〔2011〕300号 第四条; criteria.md §8 item 8): the full table,
  not the industrial bounds for everyone — a 600-person software firm with ¥3亿 revenue is
  not an SME; no industry code or no deciding figure → unknown.
* 63号 第五条 (criteria.md §8 item 9): not on the abnormal-operations or serious-dishonesty
  list; no major safety (network and data included), quality or environmental incident and
  no tax evasion in three years. A true flag → ineligible; an unknown flag → unknown.
"""

# ruff: noqa: E501 (test names say the behaviour in full)
from __future__ import annotations

import pytest

from scoring.domain import evaluate
from scoring.domain.readable import note_texts
from scoring.domain.readable import value_texts

MIIT = ("innovative_sme", "srdi_sme", "little_giant")
DATES = ("2025-06-30", "2026-06-30")  # the 2022 and the 2026 rulebooks
FLAGS = ("abnormal_operations_list", "serious_dishonesty_list", "major_safety_incident",
         "major_quality_incident", "serious_environmental_violation", "tax_evasion")
F = ("fin", 2024)


def run(make, tier, as_of, changes):  # type: ignore[no-untyped-def]
    """Evaluate ``tier`` on ``as_of``; for 2026 the baseline's fiscal years move on by one."""
    if as_of.startswith("2025"):
        return evaluate(make(changes, as_of=as_of), tiers=[tier])[tier]
    fin = [{**row.model_dump(mode="json"), "year": row.year + 1} for row in make().financials]
    moved = {(("fin", k[1] + 1, *k[2:]) if k[0] == "fin" else k): v for k, v in changes.items()}
    return evaluate(make(moved, as_of=as_of, financials=fin), tiers=[tier])[tier]


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize("tier", MIIT)
def test_a_600_person_software_firm_with_300_million_revenue_fails_the_sme_gate(make, crit, tier, as_of) -> None:  # type: ignore[no-untyped-def]
    software = {("enterprise", "industry_code"): "I6513", (*F, "employees"): 600,
                (*F, "operating_revenue"): 300_000_000}
    r = run(make, tier, as_of, software)
    c = crit(r, f"{tier}.g_sme_size")
    assert (c.status, c.actual, c.note) == ("fail", False, "sme_software")
    zh, en = note_texts(c.note)
    assert zh == "按软件和信息技术服务业划型标准：从业人员<300人或营业收入<1亿元为中小企业"
    assert en.startswith("software and IT services standard: an SME when staff < 300")
    assert r.verdict in ("ineligible", "near") and r.verdict != "eligible"
    # the same firm in manufacturing is an SME (< 1,000 staff)
    manufacturing = {**software, ("enterprise", "industry_code"): "C3451"}
    assert crit(run(make, tier, as_of, manufacturing), f"{tier}.g_sme_size").status == "pass"


@pytest.mark.parametrize(("staff", "revenue", "status"), [
    (299, 300_000_000, "pass"),  # below 300 staff
    (300, 99_999_999, "pass"),  # below ¥1亿
    (300, 100_000_000, "fail"),  # at both large bounds: large
])
def test_software_sme_edges(make, crit, staff, revenue, status) -> None:  # type: ignore[no-untyped-def]
    changes = {("enterprise", "industry_code"): "I6511", (*F, "employees"): staff,
               (*F, "science_staff"): 30, (*F, "operating_revenue"): revenue}
    r = evaluate(make(changes), tiers=["innovative_sme"])["innovative_sme"]
    assert crit(r, "innovative_sme.g_sme_size").status == status


@pytest.mark.parametrize("tier", MIIT)
def test_sme_gate_is_unknown_without_industry_code_or_deciding_figures(make, crit, delete, tier) -> None:  # type: ignore[no-untyped-def]
    no_code = make({("enterprise", "industry_code"): delete})
    assert crit(evaluate(no_code, tiers=[tier]), f"{tier}.g_sme_size").status == "unknown"
    # a large-looking firm whose revenue is missing: staff alone (≥ 1,000) cannot decide
    no_revenue = make({(*F, "employees"): 1500, (*F, "operating_revenue"): delete})
    r = evaluate(no_revenue, tiers=[tier])[tier]
    assert crit(r, f"{tier}.g_sme_size").status == "unknown"
    assert r.verdict != "eligible"


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize("tier", MIIT)
@pytest.mark.parametrize("flag", FLAGS)
def test_a_true_flag_makes_every_miit_tier_ineligible(make, crit, tier, as_of, flag) -> None:  # type: ignore[no-untyped-def]
    r = run(make, tier, as_of, {("enterprise", "flags", flag): True})
    assert r.verdict == "ineligible"
    gate = "g_credit_lists" if flag.endswith("_list") else "g_incidents"
    c = crit(r, f"{tier}.{gate}")
    assert (c.status, c.actual) == ("fail", [flag])
    zh, en = value_texts(c.actual, c.spec.unit)
    assert "_" not in zh + en and zh != en  # the flag in words, each side in its language


def test_serious_dishonesty_firm_is_not_eligible_for_innovative_sme(make) -> None:  # type: ignore[no-untyped-def]
    clean = evaluate(make(), tiers=["innovative_sme"])["innovative_sme"]
    assert clean.verdict == "eligible"
    listed = make({("enterprise", "flags", "serious_dishonesty_list"): True})
    assert evaluate(listed, tiers=["innovative_sme"])["innovative_sme"].verdict == "ineligible"


@pytest.mark.parametrize("flag", [f for f in FLAGS if f != "tax_evasion"])
def test_an_unknown_flag_makes_the_tier_unknown(make, crit, delete, flag) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(make({("enterprise", "flags", flag): delete}), tiers=["innovative_sme"])
    result = r["innovative_sme"]
    assert result.verdict == "unknown"
    gate = "g_credit_lists" if flag.endswith("_list") else "g_incidents"
    c = crit(result, f"innovative_sme.{gate}")
    assert (c.actual, c.note) == ([flag], "flags_unknown")
    assert note_texts(c.note) == ("所列情况是否存在尚无记录", "not on record whether these apply")


@pytest.mark.parametrize(("violation", "evasion", "status"), [
    (False, None, "pass"),  # no tax violation on record: no evasion either
    (True, None, "unknown"),  # a violation, evasion not known
    (None, None, "unknown"),
    (True, False, "pass"),  # a violation that is not evasion
    (False, True, "fail"),
])
def test_tax_evasion_is_read_from_tax_violation_when_left_out(make, crit, violation, evasion, status) -> None:  # type: ignore[no-untyped-def]
    flags = ("enterprise", "flags")
    r = evaluate(make({(*flags, "tax_violation"): violation, (*flags, "tax_evasion"): evasion}),
                 tiers=["srdi_sme"])
    assert crit(r, "srdi_sme.g_incidents").status == status


def test_the_general_conditions_cite_article_five(make, crit) -> None:  # type: ignore[no-untyped-def]
    r = evaluate(make(), tiers=list(MIIT))
    for tier in MIIT:
        for gate in ("g_credit_lists", "g_incidents"):
            assert "63号 第五条" in crit(r, f"{tier}.{gate}").spec.citation
        assert "300号" in crit(r, f"{tier}.g_sme_size").spec.citation
