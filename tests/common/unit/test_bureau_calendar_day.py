"""The bureau's calendar day is Beijing's, not the server's (UTC) date.

Between 00:00 and 08:00 Beijing time a UTC server's date is still yesterday; a CI run at
16:05 UTC once counted a reserve admission made "just now" outside "as of today" because the
report's today was the UTC date while its year bounds were Beijing's."""

from __future__ import annotations

import ast
from datetime import UTC
from datetime import date
from datetime import datetime
from pathlib import Path

import pytest

from yumiao_common import clock


@pytest.mark.parametrize(("utc", "beijing"), [
    (datetime(2026, 12, 6, 15, 59, 59, tzinfo=UTC), date(2026, 12, 6)),
    (datetime(2026, 12, 6, 16, 0, 0, tzinfo=UTC), date(2026, 12, 7)),
    (datetime(2026, 12, 31, 16, 30, tzinfo=UTC), date(2027, 1, 1)),   # a new fiscal year
])
def test_today_turns_at_beijing_midnight(monkeypatch: pytest.MonkeyPatch, utc: datetime,
                                         beijing: date) -> None:
    monkeypatch.setattr(clock, "utcnow", lambda: utc)
    assert clock.beijing_today() == beijing
    assert clock.beijing_day(utc) == beijing


def test_no_service_reads_the_servers_local_date() -> None:
    """``date.today()`` is the server's (UTC) date: every "today" asks ``beijing_today``."""
    root = Path(__file__).resolve().parents[3]
    found = [f"{path.relative_to(root)}:{node.lineno}"
             for source in ("libs", "services", "gateway", "tools")
             for path in (root / source).rglob("*.py") if ".venv" not in path.parts
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Attribute) and node.attr == "today"
             and isinstance(node.value, ast.Name) and node.value.id in {"date", "datetime"}]
    assert found == []
