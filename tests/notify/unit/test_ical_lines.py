"""RFC 5545 line rules of the hand-written iCalendar writer: escaping and folding."""

from __future__ import annotations

import pytest

from notify.adapters.files.ical import escape_text
from notify.adapters.files.ical import fold


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a,b", "a\\,b"),
    ("a;b", "a\\;b"),
    ("back\\slash", "back\\\\slash"),
    ("two\nlines", "two\\nlines"),
    ("crlf\r\nend", "crlf\\nend"),
    ("：；，中文标点", "：；，中文标点"),  # full-width marks are not RFC delimiters
])
def test_text_values_escape_the_rfc_delimiters(raw: str, escaped: str) -> None:
    assert escape_text(raw) == escaped


@pytest.mark.parametrize("line", [
    "SUMMARY:" + "x" * 300,
    "SUMMARY:" + "申报" * 100,  # 3 octets a character: no character may be cut in two
    "DESCRIPTION:" + "a申" * 80,
    "SHORT:ok",
])
def test_folded_lines_are_at_most_75_octets_and_unfold_to_the_original(line: str) -> None:
    folded = fold(line)
    parts = folded.encode("utf-8").split(b"\r\n")
    assert all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    assert b"".join([parts[0], *(p[1:] for p in parts[1:])]).decode("utf-8") == line
