"""Each criterion's figures read in the unit they are in (issue 8 item 11).

小巨人 2022 ``x_rd`` judges small firms on their two-year R&D sum (money) under a ratio unit, so
¥450,000,000 read "45000000000.00 %"; 专精特新 ``s14_rd_input`` scores the better of R&D money
and the R&D/revenue ratio under a money unit, so 12.5 % read "¥0". Checked generically:

* every number a rulebook states (thresholds, ladder edges, alternatives) rendered in its
  criterion's declared unit (and every ``unit_by_note`` unit) reads sanely: a ratio as a
  percent of at most 100 %, money with ¥ and never a "%";
* every requirement text: no "%" after a money amount, no percent above 100 %;
* every row of real answers (strong, weak, small- and large-revenue firms, 2025 and 2026 rules):
  a percent never reads as thousands of percent, a non-zero amount never reads "¥0", and the
  answer's ``unit`` is the unit of the row's figure.
A review outcome recorded by the bureau reads as words with its date, not as a mapping.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from scoring.domain import evaluate
from scoring.domain.factinfo import FACTS
from scoring.domain.readable import looks_like_ratio
from scoring.domain.readable import requirement_texts
from scoring.domain.readable import value_texts
from scoring.domain.rulebook import all_rulebooks
from scoring.domain.rulebook import compile_rulebook
from scoring.domain.verdict import Spec
from tests.scoring.unit.conftest import build
from tests.scoring.unit.test_review_items import GIANT_2026
from tests.scoring.unit.test_review_items import by_id
from tests.scoring.unit.test_review_items import one
from tests.scoring.unit.test_review_outcomes import GROUP_117
from tests.scoring.unit.test_review_outcomes import REPUTATION
from tests.scoring.unit.test_review_outcomes import reviewed
from yumiao_common.contracts.profile import Profile

PERCENT = re.compile(r"^-?[\d,]+\.\d{2} %$")
MONEY = re.compile(r"^-?¥[\d,]+(?:\.\d{2})?$")


def _pct(text: str) -> Decimal:
    return Decimal(text.removesuffix(" %").replace(",", ""))


def _is_ratio(unit: str, fact: str | None) -> bool:
    return unit in ("ratio", "percent") or (unit == "flag" and looks_like_ratio(fact))


def assert_sane(value: Any, unit: str, fact: str | None, where: str) -> None:
    """A stated number in its unit: percent ≤ 100 %, money with ¥, no % on anything else."""
    zh, en = value_texts(Decimal(str(value)), unit, fact)
    assert zh == en or unit not in ("ratio", "yuan"), where
    if _is_ratio(unit, fact):
        assert PERCENT.match(zh) and abs(_pct(zh)) <= 100, (where, zh)
    elif unit == "yuan":
        assert MONEY.match(zh), (where, zh)
    else:
        assert "%" not in zh and "¥" not in zh, (where, zh)


def _specs() -> Iterator[tuple[str, dict[str, Any], Spec]]:
    for tier, books in all_rulebooks().items():
        for day, book in books:
            compiled = compile_rulebook(tier, day.isoformat())
            for c, spec in zip(book["criteria"], compiled.specs, strict=True):
                yield f"{tier}@{day}.{c['id']}", c, spec


def _stated(c: dict[str, Any], spec: Spec) -> Iterator[tuple[Any, str, str | None]]:
    """(number, unit, fact) of every figure a criterion states in its args."""
    args = c.get("args") or {}
    if "value" in args and "fact" in args and not isinstance(args["value"], dict):
        yield args["value"], spec.unit, spec.fact
    steps = args.get("steps", []) + [s for lad in args.get("ladders", []) for s in lad]
    for fact, _op, number, *_points in steps + args.get("alternatives", []):
        fi = FACTS.get(fact)  # else the criterion's own unit, or a plain number (a rank)
        yield number, fi.unit if fi else spec.unit if fact == spec.fact else "flag", fact


@pytest.mark.parametrize(("name", "criterion", "spec"), list(_specs()),
                         ids=lambda v: v if isinstance(v, str) else "")  # fmt: skip
def test_every_stated_number_reads_in_its_unit(name: str, criterion: dict[str, Any],
                                               spec: Spec) -> None:
    for number, unit, fact in _stated(criterion, spec):
        assert_sane(number, unit, fact, name)
    for unit in {spec.unit, *(u for _note, u in spec.note_units)}:
        sample = "0.4567" if _is_ratio(unit, spec.fact) else "450000000" if unit == "yuan" else "12"
        assert_sane(sample, unit, spec.fact, name)
    zh, en = requirement_texts(spec.requirement, spec.title_zh, spec.title_en)
    for text in (zh, en):
        assert not re.search(r"¥[\d,.–]+\s?%", text), (name, text)
        assert all(_pct(p) <= 100 for p in re.findall(r"[\d,.]+ %", text)), (name, text)


def test_little_giant_small_revenue_band_reads_as_money() -> None:
    # Revenue ¥40m (< ¥50m): judged on the two-year R&D sum, ¥4.5亿 here, against ¥30m.
    r = evaluate(build({("fin", 2024, "rd_expense"): 250_000_000,
                        ("fin", 2023, "rd_expense"): 200_000_000}), tiers=["little_giant"])
    x_rd = {c["id"]: c for c in r["little_giant"].to_dict()["criteria"]}["little_giant.x_rd"]
    assert x_rd["note"] == "small_revenue"
    assert x_rd["actual_text"] == {"zh": "¥450,000,000", "en": "¥450,000,000"}
    assert (x_rd["unit"], x_rd["actual"], x_rd["required"]) == ("yuan", "450000000", "30000000")


def test_little_giant_small_revenue_band_failing_has_no_ratio_gap() -> None:
    # Three conditions (equity, two-year R&D, R&D staff) decide the small band: no single
    # amount in the ratio's percentage points ("2789000000.00个百分点") is a gap to close.
    r = evaluate(build({("fin", 2024, "rd_expense"): 10_000}), tiers=["little_giant"])
    x_rd = {c["id"]: c for c in r["little_giant"].to_dict()["criteria"]}["little_giant.x_rd"]
    assert (x_rd["status"], x_rd["note"], x_rd["gap"]) == ("fail", "small_revenue", None)
    assert x_rd["actual_text"]["zh"] == "¥2,110,000"
    assert x_rd["requirement_text"]["zh"].startswith("营业收入 ≥ ¥100,000,000：近两年每年研发费用")
    small_en = "< ¥50,000,000: two-year equity financing ≥ ¥80,000,000"
    assert small_en in x_rd["requirement_text"]["en"]
    steps = " ".join(s["text_zh"] for s in r["little_giant"].to_dict()["next_steps"])
    assert not re.search(r"[\d,]{4,}\.\d{2}个百分点", steps), steps


def test_little_giant_banded_ratio_still_reads_as_percent() -> None:
    # Revenue ¥120m: each of two years ≥ 3 %; the lower year, ¥2.1m / ¥120m, is what reads.
    big = {("fin", y, "operating_revenue"): 120_000_000 for y in (2022, 2023, 2024)}
    r = evaluate(build(big), tiers=["little_giant"])
    x_rd = {c["id"]: c for c in r["little_giant"].to_dict()["criteria"]}["little_giant.x_rd"]
    assert (x_rd["unit"], x_rd["actual_text"]["zh"]) == ("percent", "1.75 %")


def test_srdi_rd_input_scored_on_the_ratio_reads_as_percent() -> None:
    r = evaluate(build({("fin", 2024, "rd_expense"): 1_500_000,
                        ("fin", 2024, "operating_revenue"): 12_000_000}), tiers=["srdi_sme"])
    s14 = {c["id"]: c for c in r["srdi_sme"].to_dict()["criteria"]}["srdi_sme.s14_rd_input"]
    assert s14["note"] == "rd_op_ratio" and s14["points"] == {"min": "10", "max": "10"}
    assert s14["actual_text"] == {"zh": "12.50 %", "en": "12.50 %"}
    assert (s14["unit"], s14["actual"]) == ("percent", "12.5")


VARIANTS: list[dict[tuple[Any, ...], Any]] = [
    {},
    {("ip",): [], ("fin", 2024, "rd_expense"): 10_000, ("fin", 2024, "science_staff"): 2},
    {("fin", 2024, "rd_expense"): 1_500_000, ("fin", 2024, "operating_revenue"): 12_000_000},
    {("fin", y, "operating_revenue"): 300_000_000 for y in (2022, 2023, 2024)},
    {("fin", 2024, "rd_expense"): 250_000_000},
]


def _rows(make: Callable[..., Profile]) -> Iterator[dict[str, Any]]:
    for as_of in ("2025-06-30", "2026-06-30"):
        for changes in VARIANTS:
            for result in evaluate(make(changes, as_of=as_of)).values():
                yield from result.to_dict()["criteria"]


def test_every_answer_row_reads_in_the_unit_of_its_figure(make) -> None:  # type: ignore[no-untyped-def]
    seen = 0
    for c in _rows(make):
        zh = c["actual_text"]["zh"]
        assert not re.fullmatch(r"-?[\d,.]+", zh), (c["id"], zh)  # a figure has its unit
        if zh.endswith(" %"):
            assert abs(_pct(zh)) <= 10_000, (c["id"], zh)
            seen += 1
        if MONEY.match(zh):
            assert c["unit"] == "yuan", (c["id"], c["unit"], zh)
            assert zh != "¥0" or Decimal(c["actual"]) == 0, (c["id"], c["actual"], zh)
        if c["gap"]:  # a gap in percentage points is never thousands of them
            assert not re.search(r"[\d,]{5,}(?:\.\d+)?个百分点", c["gap"]["text_zh"]), c["gap"]
        if c["unit"] == "percent" and isinstance(c["actual"], str):
            assert zh.endswith(" %"), (c["id"], zh)
    assert seen


def test_a_recorded_review_reads_as_words_with_its_date() -> None:
    r = one({**GIANT_2026, **reviewed({REPUTATION: "pass", GROUP_117: "fail"})}, "little_giant",
            y2026=True)
    rows = by_id(r)
    assert rows[REPUTATION]["actual_text"] == {"zh": "评审通过（2026-05-20）",
                                               "en": "passed review (2026-05-20)"}
    assert rows[GROUP_117]["actual_text"] == {"zh": "评审未通过（2026-05-20）",
                                              "en": "failed review (2026-05-20)"}


def test_srdi_scored_figures_read_with_their_units() -> None:
    r = evaluate(build(), tiers=["srdi_sme"])
    rows = {c["id"].partition(".")[2]: c for c in r["srdi_sme"].to_dict()["criteria"]}
    texts = {cid: (rows[cid]["actual_text"]["zh"], rows[cid]["actual_text"]["en"])
             for cid in ("s03_niche_years", "s05_digital", "s06_quality", "s11_sd_market")}
    assert texts == {"s03_niche_years": ("6年", "6 years"), "s05_digital": ("2级", "level 2"),
                     "s06_quality": ("2项", "2 items"),
                     "s11_sd_market": ("12.00 %", "12.00 %")}  # fmt: skip
    assert rows["s11_sd_market"]["points"] == {"min": "4", "max": "4"}


def test_a_clean_record_reads_none_as_required(make) -> None:  # type: ignore[no-untyped-def]
    # "无重大安全、质量事故…": actual 是 beside requirement 无 read as a contradiction.
    results = evaluate(make({}), tiers=["tech_sme", "hnte", "agri_leader_municipal"])
    for tier, cid in (("tech_sme", "g4_clean"), ("hnte", "h8_clean"),
                      ("agri_leader_municipal", "n5_clear")):
        row = {c["id"]: c for c in results[tier].to_dict()["criteria"]}[f"{tier}.{cid}"]
        assert row["status"] == "pass" and row["requirement_text"]["zh"] == "无", row
        assert row["actual_text"] == {"zh": "无", "en": "none"}, row
    assert value_texts(False, "flag", "hnte_clear") == ("有记录", "on record")


def test_one_more_item_is_singular(make) -> None:  # type: ignore[no-untyped-def]
    one_short = {("ip",): [{"kind": "invention_patent", "number": "ZL1", "granted_on":
                            "2022-05-01", "acquired_by": "self_developed",
                            "related_to_main_product": True}]}  # fmt: skip
    answer = evaluate(make(one_short), tiers=["little_giant"])["little_giant"].to_dict()
    x_ip = {c["id"]: c for c in answer["criteria"]}["little_giant.x_ip"]
    assert x_ip["gap"]["text_en"].endswith("; 1 more Class I IP item would meet it")
    weak = {("ip",): [], ("fin", 2024, "rd_expense"): 10_000,
            ("fin", 2024, "science_staff"): 2}  # fmt: skip
    steps = [s["text_en"] for s in evaluate(make(weak), tiers=["tech_sme"])[
        "tech_sme"].to_dict()["next_steps"]]
    assert any("1 more Class I IP item," in s for s in steps), steps
    assert not [s for s in steps if re.search(r"\b1 more [^,;]*\b(items|points)\b", s)], steps


def _requirement(tier: str, cid: str) -> tuple[str, str]:
    for _day, book in all_rulebooks()[tier]:
        for c in book["criteria"]:
            if c["id"] == cid:
                return requirement_texts(c["requirement"], c["title"]["zh"], c["title"]["en"])
    raise KeyError(cid)


def test_banded_requirements_name_what_is_banded_and_every_band_has_points() -> None:
    zh, en = _requirement("hnte", "h5_rd_ratio")  # was "≤ ¥50,000,000: 5.00 %; …"
    assert zh.startswith("最近一年销售收入 ≤ ¥50,000,000：≥ 5.00 %；")
    assert en.startswith("latest-year sales revenue ≤ ¥50,000,000: ≥ 5.00 %; ")
    zh, en = _requirement("hnte", "i3_ip_quantity")  # the last band had no unit
    assert "1–2：1–2分（" in zh and "1–2: 1–2 points (" in en
    assert _requirement("tech_sme", "g1_audited_tax") == ("查账征收", "taxed on audited accounts")


def test_terse_requirements_read_as_sentences() -> None:
    # "六基 / key chain" are alternatives, not languages: zh read "六基", en "key chain".
    assert _requirement("little_giant", "c6_field") == (
        "工业“六基”或产业链关键环节（补短板、锻长板、填空白）",
        "the six industrial foundations or a key supply-chain link")
    assert _requirement("tech_sme", "d_standard")[1] == "led a standard in the last 5 years"
    assert _requirement("srdi_sme", "s09_sd_key_industry")[0] == "A档4分；B档3分；C档2分；D档1分"
    assert _requirement("agri_leader_national", "n7_households") == ("≥ 4,000", "≥ 4,000")
    assert "ISO 9001" in _requirement("little_giant", "j_certified")[0]  # no "9,001"
