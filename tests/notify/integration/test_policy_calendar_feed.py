# mypy: disable-error-code="index,union-attr"
"""``/api/v1/policies/calendar.ics``: an RFC 5545 feed of every active policy's batches.

The project has no iCalendar library, so the feed is read back here by a strict reader of the
parts of RFC 5545 it uses: every line ends in CRLF and is at most 75 octets, continuation
lines start with one space, TEXT values are unescaped. The round trip must give back the
policy's own words and dates.
"""

from __future__ import annotations

import random
import string
from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from notify_testkit import BUREAU

pytestmark = pytest.mark.integration


def unfold(raw: bytes) -> list[str]:
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, line
        assert b"\n" not in line and b"\r" not in line
    logical: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            nxt = next(chars)
            out.append("\n" if nxt in "nN" else nxt)
        else:
            out.append(char)
    return "".join(out)


def parse(raw: bytes) -> list[dict[str, Any]]:
    """The VEVENTs as {name: value} (parameters kept in the name, e.g. DTSTART;VALUE=DATE)."""
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in lines[1:-1]:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            assert name not in current, name
            current[name] = unescape(value)
    assert current is None
    return events


def _tier() -> str:
    """A tier of the test's own: other tests count the shared catalogue's policies per tier."""
    return "t" + "".join(random.choices(string.ascii_lowercase, k=12))


def _code() -> str:
    return "ics-" + "".join(random.choices(string.ascii_lowercase + string.digits, k=10))


def test_the_feed_round_trips_the_windows_with_their_words(client: FlaskClient) -> None:
    code = _code()
    name = "研发投入补助（第一档；含“首台套”，分两批）" * 2  # long, with ; , and quotes
    body = {
        "code": code, "trigger": "eligible", "tier": _tier(), "name_zh": name,
        "name_en": "R&D grant; tier 1, two batches\\ test", "summary_zh": "测试",
        "summary_en": "test", "benefit_zh": "按研发投入的10%补助，最高50万元",
        "benefit_en": "10% of R&D spend, at most ¥500,000", "amount_yuan": 500000,
        "source_document": "聊政办字〔2031〕5号", "contact": "市工信局 / municipal MIIT",
        "reason": "发布 / published",
        "windows": [
            {"batch_zh": "第一批", "batch_en": "first batch", "opens_on": "2031-03-01",
             "closes_on": "2031-03-31", "note": "线上申报，\n纸质材料另交"},
            {"batch_zh": "第二批", "batch_en": "second batch", "opens_on": "2031-09-01",
             "closes_on": "2031-09-30"},
        ],
    }
    assert client.post("/api/v1/policies", json=body, headers=BUREAU).status_code == 201
    resp = client.get("/api/v1/policies/calendar.ics")
    assert resp.status_code == 200
    assert resp.mimetype == "text/calendar"
    events = parse(resp.data)
    mine = sorted((e for e in events if name in e["SUMMARY"]), key=lambda e: e["SUMMARY"])
    assert len(mine) == 2
    first = next(e for e in mine if "第一批" in e["SUMMARY"])
    assert first["DTSTART;VALUE=DATE"] == "20310301"
    assert first["DTEND;VALUE=DATE"] == "20310401"  # exclusive: 31 March is still open
    assert "R&D grant; tier 1, two batches\\ test" in first["SUMMARY"]
    assert "最高50万元" in first["DESCRIPTION"] and "¥500,000" in first["DESCRIPTION"]
    assert "线上申报，\n纸质材料另交" in first["DESCRIPTION"]
    assert "市工信局" in first["DESCRIPTION"]
    assert len({e["UID"] for e in events}) == len(events)
    assert first["DTSTAMP"].endswith("Z")


def test_every_batch_of_every_active_policy_is_an_event(client: FlaskClient) -> None:
    policies = client.get("/api/v1/policies?limit=200&status=active").json["items"]
    events = parse(client.get("/api/v1/policies/calendar.ics").data)
    expected = [(p["name_zh"], w["opens_on"].replace("-", "")) for p in policies
                for w in p["windows"]]
    got = [(e["SUMMARY"], e["DTSTART;VALUE=DATE"]) for e in events]
    for name, opens in expected:
        assert any(name in summary and start == opens for summary, start in got), name
    assert len(events) == len(expected)
    retired = client.get("/api/v1/policies/rd-super-deduction-tech-sme-2022").json
    assert not any(retired["name_zh"] in s for s, _ in got)


def test_a_tier_filter_keeps_that_tiers_policies(client: FlaskClient) -> None:
    events = parse(client.get("/api/v1/policies/calendar.ics?tier=little_giant").data)
    assert events and all(e["CATEGORIES"] == "little_giant" for e in events)
    bad = client.get("/api/v1/policies/calendar.ics?tier=")
    assert bad.status_code == 422 and "tier" in bad.json["error"]["fields"]


def test_an_edited_batch_keeps_its_uid_and_raises_its_sequence(client: FlaskClient) -> None:
    code = _code()
    opens = date(2032, 4, 1)
    window = {"batch_zh": "唯一批", "batch_en": "only batch", "opens_on": opens.isoformat(),
              "closes_on": (opens + timedelta(days=29)).isoformat()}
    created = client.post("/api/v1/policies", headers=BUREAU, json={
        "code": code, "trigger": "eligible", "tier": _tier(), "name_zh": f"序号测试{code}",
        "name_en": "seq", "summary_zh": "s", "summary_en": "s", "benefit_zh": "b",
        "benefit_en": "b", "source_document": "d", "reason": "r1", "windows": [window]}).json
    before = [e for e in parse(client.get("/api/v1/policies/calendar.ics").data)
              if code in e["SUMMARY"]]
    client.patch(f"/api/v1/policies/{code}", headers=BUREAU, json={
        "version": created["version"], "reason": "措辞", "benefit_zh": "新的内容"})
    after = [e for e in parse(client.get("/api/v1/policies/calendar.ics").data)
             if code in e["SUMMARY"]]
    assert before[0]["UID"] == after[0]["UID"]
    assert int(after[0]["SEQUENCE"]) > int(before[0]["SEQUENCE"])
    assert "新的内容" in after[0]["DESCRIPTION"]
