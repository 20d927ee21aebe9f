"""Application windows as pure rules: where a window stands on a day, which reminder is due.

Dates are Beijing calendar days and both ends of a window are included: a window that closes
on 31 March still takes applications on 31 March. The reminder milestones follow the
registry's expiry reminders: a run that missed days catches up with the *latest* milestone
due (late beats never), and an earlier milestone is skipped once a later one is due, so a
firm never gets "opened", "30 days left" and "7 days left" in one go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from typing import TypeVar

#: Days before the closing date at which a reminder is due, latest milestone first.
CLOSING_OFFSETS = ((7, "closing_7"), (30, "closing_30"))
#: How far back and ahead a window may lie (a typo like 0226 or 2926 is refused).
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_WINDOWS = 24


class Dated(Protocol):
    """Anything with a window's two dates (a stored window, a form row)."""

    @property
    def opens_on(self) -> date: ...
    @property
    def closes_on(self) -> date: ...


W = TypeVar("W", bound=Dated)


@dataclass(frozen=True)
class WindowDates:
    opens_on: date
    closes_on: date


def status_on(window: Dated, today: date) -> str:
    """``upcoming``, ``open`` or ``closed`` on ``today``."""
    if today < window.opens_on:
        return "upcoming"
    return "open" if today <= window.closes_on else "closed"


def days_left(window: Dated, today: date) -> int:
    """Days until the closing date (0 on the closing day itself)."""
    return (window.closes_on - today).days


def due_milestone(window: Dated, today: date) -> str | None:
    """The reminder due on ``today`` for an open window: the latest milestone reached."""
    if status_on(window, today) != "open":
        return None
    left = days_left(window, today)
    for offset, milestone in CLOSING_OFFSETS:
        if left <= offset:
            return milestone
    return "opened"


def current_or_next(windows: Sequence[W], today: date) -> W | None:
    """The window open on ``today`` or else the next one to open; None when all have closed."""
    live = [w for w in windows if w.closes_on >= today]
    return min(live, key=lambda w: w.opens_on) if live else None


def window_problems(windows: Sequence[Dated]) -> dict[str, list[str]]:
    """Field errors (``windows.<i>.<field>``) of a list of windows; empty when it is sound."""
    problems: dict[str, list[str]] = {}
    if len(windows) > MAX_WINDOWS:
        problems["windows"] = [f"最多 {MAX_WINDOWS} 个批次 / at most {MAX_WINDOWS} batches"]
    for i, w in enumerate(windows):
        for name in ("opens_on", "closes_on"):
            day = getattr(w, name)
            if not EARLIEST <= day <= LATEST:
                problems.setdefault(f"windows.{i}.{name}", []).append(
                    f"日期须在 {EARLIEST} 至 {LATEST} 之间 / must lie between {EARLIEST} "
                    f"and {LATEST}")
        if w.closes_on < w.opens_on:
            problems.setdefault(f"windows.{i}.closes_on", []).append(
                f"截止日期 {w.closes_on} 早于开始日期 {w.opens_on} / closes on {w.closes_on}, "
                f"before it opens on {w.opens_on}; it must be on or after the opening day")
    ordered = sorted(range(len(windows)), key=lambda i: windows[i].opens_on)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if windows[after].opens_on <= windows[before].closes_on:
            problems.setdefault(f"windows.{after}.opens_on", []).append(
                f"与第 {before + 1} 批次重叠（其截止于 {windows[before].closes_on}） / overlaps "
                f"batch {before + 1}, which closes on {windows[before].closes_on}")
    return problems
