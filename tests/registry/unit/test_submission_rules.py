"""The rules of a firm's yearly report (issue 15), without I/O: the state machine, evidence
paths, differences in words and units, what a submission still lacks, what a review must
decide; and the content checks of an evidence file (type by content, bounded ZIP look,
clean names)."""

from __future__ import annotations

import io
import zipfile

import pytest

from registry.adapters.files import evidence_checks as checks
from registry.domain import submissions as rules

FLAGS_NO = {f: False for f in rules.FLAGS}
COMPLETE = {
    "financials": {f: 1 for f in rules.REQUIRED_FIGURES},
    "flags": FLAGS_NO, "ip": [{"number": "ZL1"}], "awards": [], "institutions": [],
    "standards": [],
}


@pytest.mark.parametrize(("status", "to", "allowed"), [
    ("draft", "submitted", True), ("returned", "submitted", True),
    ("submitted", "accepted", True), ("submitted", "returned", True),
    ("draft", "accepted", False), ("accepted", "submitted", False),
    ("returned", "accepted", False), ("submitted", "draft", False),
])
def test_the_state_machine(status: str, to: str, allowed: bool) -> None:
    assert rules.can_move(status, to) is allowed


def test_open_and_editable_states() -> None:
    assert rules.OPEN_STATUSES == {"draft", "submitted", "returned"}
    assert rules.EDITABLE_STATUSES == {"draft", "returned"}


def test_a_draft_is_the_registry_figures_and_flags_with_no_new_items() -> None:
    draft = rules.prefilled({"rd_expense": 5, "employees": 3}, {"tax_violation": False})
    assert draft["financials"]["rd_expense"] == 5 and draft["financials"]["net_profit"] is None
    assert draft["flags"]["tax_violation"] is False and draft["flags"]["tax_evasion"] is None
    assert [draft[k] for k in ("ip", "awards", "institutions", "standards")] == [[], [], [], []]


@pytest.mark.parametrize(("path", "ok"), [
    ("general", True), ("financials.rd_expense", True), ("flags.tax_violation", True),
    ("ip.0", True), ("ip.1", False), ("awards.0", False), ("financials.nope", False),
    ("flags", False), ("ip.-1", False), ("ip.00000", False), ("../etc", False), ("", False),
])
def test_where_evidence_may_be_attached(path: str, ok: bool) -> None:
    assert rules.is_evidence_item(path, COMPLETE) is ok


def test_differences_are_only_what_differs_plus_new_items_in_words_and_units() -> None:
    content = {"financials": {"rd_expense": 3_100_000, "employees": 120,
                              "farm_sourced_share_pct": "12.50", "net_profit": None},
               "flags": {"tax_violation": False, "tax_evasion": True},
               "ip": [{"number": "A"}, {"number": "B"}], "awards": []}
    registry = {"financials": {"rd_expense": 2_600_000, "employees": 120,
                               "farm_sourced_share_pct": "12.5", "net_profit": 9},
                "flags": {"tax_violation": False, "tax_evasion": None}}
    found = [d.as_dict() for d in rules.differences(content, registry,
                                                    applied={"ip.0": {"number": "A"}})]
    assert [d["field"] for d in found] == ["financials.rd_expense", "flags.tax_evasion", "ip.1"]
    assert found[0] == {"field": "financials.rd_expense", "label_zh": "研发费用",
                        "label_en": "R&D expense", "registry_value": 2_600_000,
                        "submitted_value": 3_100_000, "unit": "元 / yuan"}
    assert found[1]["unit"] is None and found[1]["registry_value"] is None
    assert found[2]["label_zh"] == "新增知识产权 第 2 项"


def test_an_item_changed_after_it_was_applied_is_offered_again() -> None:
    content = {"ip": [{"number": "A2"}]}
    [diff] = rules.differences(content, {}, applied={"ip.0": {"number": "A"}})
    assert diff.field == "ip.0"


@pytest.mark.parametrize(("a", "b", "equal"), [
    ("12.50", "12.5", True), (1, 1, True), (1, 2, False), (True, 1, False),
    (False, None, False), (None, None, True), (0, None, False),
])
def test_values_compare_as_values(a: object, b: object, equal: bool) -> None:
    assert rules.same(a, b) is equal


def test_a_complete_report_lacks_nothing() -> None:
    evidence = [("general", "audit_report"), ("ip.0", "ip_certificate")]
    assert rules.missing_for_submit(COMPLETE, evidence) == {}


def test_what_an_incomplete_report_lacks() -> None:
    content = {**COMPLETE, "financials": {"employees": 5},
               "flags": {**FLAGS_NO, "tax_evasion": None}}
    missing = rules.missing_for_submit(content, [("ip.0", "other"), ("general", "other")])
    assert set(missing) == {
        *(f"financials.{f}" for f in rules.REQUIRED_FIGURES if f != "employees"),
        "flags.tax_evasion", "evidence.financials", "evidence.ip.0"}


def test_a_review_decides_every_difference_once_with_reasons_for_returns() -> None:
    diffs = rules.differences({"financials": {"rd_expense": 2}, "ip": [{"n": 1}]},
                              {"financials": {"rd_expense": 1}}, {})
    assert rules.decision_errors(diffs, [
        {"field": "financials.rd_expense", "outcome": "return", "reason": "不符"},
        {"field": "ip.0", "outcome": "accept"}]) == {}
    errors = rules.decision_errors(diffs, [
        {"field": "financials.rd_expense", "outcome": "return", "reason": "  "},
        {"field": "financials.rd_expense", "outcome": "accept"},
        {"field": "flags.tax_violation", "outcome": "accept"}])
    assert set(errors) == {"decisions.0.reason", "decisions.1.field", "decisions.2.field",
                           "fields.ip.0"}


@pytest.mark.parametrize(("outcomes", "status"), [
    (["accept", "accept"], "accepted"), (["accept", "return"], "returned"), ([], "accepted"),
])
def test_the_status_a_review_leaves(outcomes: list[str], status: str) -> None:
    decisions = [{"field": str(i), "outcome": o} for i, o in enumerate(outcomes)]
    assert rules.review_status(decisions) == status


def _zip(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


WORKBOOK_TYPES = (b'<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
                  b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')


@pytest.mark.parametrize(("data", "media_type"), [
    (b"%PDF-1.7\n...", checks.PDF),
    (b"\x89PNG\r\n\x1a\n\x00\x00", checks.PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", checks.JPEG),
    (_zip({"[Content_Types].xml": WORKBOOK_TYPES, "xl/workbook.xml": b"<workbook/>"}),
     checks.XLSX),
    (b"hello, I am a PDF", None),
    (b"<html><script>alert(1)</script>", None),
    (b"GIF89a", None),
    (b"PK\x03\x04 not really a zip", None),
    # a renamed .docx: content types of a document, no workbook
    (_zip({"[Content_Types].xml": b"<Types>wordprocessingml.document.main+xml</Types>",
           "word/document.xml": b"<w:document/>"}), None),
    # a workbook part without the spreadsheet content type
    (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), None),
])
def test_the_type_comes_from_the_content(data: bytes, media_type: str | None) -> None:
    assert checks.sniff(data) == media_type


def test_a_zip_bomb_is_refused_without_inflating_it() -> None:
    bomb = _zip({"[Content_Types].xml": WORKBOOK_TYPES, "xl/workbook.xml": b"<workbook/>",
                 "xl/media/big.bin": b"\0" * (4 * 2**20)})
    assert len(bomb) < 64 * 2**10  # 4 MiB of zeros packed a thousandfold
    assert checks.sniff(bomb) is None


def test_too_many_zip_members_are_refused() -> None:
    parts = {"[Content_Types].xml": WORKBOOK_TYPES, "xl/workbook.xml": b"<workbook/>",
             **{f"xl/x{i}.xml": b"" for i in range(checks.ZIP_MAX_MEMBERS)}}
    assert checks.sniff(_zip(parts, zipfile.ZIP_STORED)) is None


@pytest.mark.parametrize(("raw", "media_type", "clean"), [
    ("审计报告.png", checks.PDF, "审计报告.pdf"),
    ("../../etc/passwd", checks.PDF, "passwd.pdf"),
    ("C:\\Users\\x\\证书.JPG", checks.JPEG, "证书.jpg"),
    ('a<b>:"c|?*.xlsx', checks.XLSX, "a_b___c___.xlsx"),
    ("\x00\x1f.pdf", checks.PDF, "__.pdf"),
    ("", checks.PNG, "evidence.png"),
    (None, checks.PNG, "evidence.png"),
    ("...", checks.PNG, "evidence.png"),
    ("x" * 500 + ".pdf", checks.PDF, "x" * 116 + ".pdf"),
])
def test_file_names_are_made_safe(raw: str | None, media_type: str, clean: str) -> None:
    assert checks.clean_filename(raw, media_type) == clean


def test_reading_stops_past_the_limit() -> None:
    assert checks.read_limited(io.BytesIO(b"a" * 100), 100) == b"a" * 100
    with pytest.raises(checks.TooLarge):
        checks.read_limited(io.BytesIO(b"a" * 101), 100)
