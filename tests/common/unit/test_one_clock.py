"""One clock: every timestamp comes from ``yumiao_common.clock.utcnow`` (issue 10).

Seven copies of ``utcnow`` had grown across the services; a change to how "now" is read (or a
test that must reason about it) had seven places to find. The scan below fails the day an
eighth copy appears, and the behaviour tests pin what every caller relies on: aware UTC.
"""

from __future__ import annotations

import ast
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

from yumiao_common.clock import utcnow
from yumiao_common.contracts.base import Event
from yumiao_common.messaging.outbox import outbox_row

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "libs", ROOT / "services", ROOT / "gateway"]
CLOCK = ROOT / "libs/common/src/yumiao_common/clock.py"


def _returns_datetime_now(node: ast.FunctionDef) -> bool:
    body = [s for s in node.body if not (isinstance(s, ast.Expr)
                                          and isinstance(s.value, ast.Constant))]
    if len(body) != 1 or not isinstance(body[0], ast.Return):
        return False
    call = body[0].value
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == "now" and isinstance(call.func.value, ast.Name)
            and call.func.value.id == "datetime")


def _clock_copies() -> list[str]:
    found = []
    for source in SOURCES:
        for path in source.rglob("*.py"):
            if path == CLOCK or "migrations" in path.parts or ".venv" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                      for node in ast.walk(tree)
                      if isinstance(node, ast.FunctionDef) and _returns_datetime_now(node)]
    return found


def test_no_module_defines_its_own_clock() -> None:
    assert _clock_copies() == []


def test_utcnow_is_aware_utc_and_current() -> None:
    moment = utcnow()
    assert moment.utcoffset() == timedelta(0)
    assert moment.tzinfo is UTC
    assert abs(datetime.now(UTC) - moment) < timedelta(seconds=5)


def test_events_and_outbox_rows_are_stamped_by_the_one_clock() -> None:
    before = utcnow()
    event = Event(type="test.clock", schema_version=1, producer="test")
    row = outbox_row(event)
    after = utcnow()
    assert before <= event.occurred_at <= after
    assert before <= row["created_at"] <= after
    assert row["created_at"].tzinfo is UTC

