"""The policy calendar as iCalendar (RFC 5545), written by hand.

No iCalendar library is in the project's lock, and the feed needs only a few lines of the
format, so they are written here carefully: CRLF line ends (§3.1), lines folded at 75 octets
of UTF-8 without splitting a character, continuation lines starting with one space (§3.1),
TEXT values escaped (backslash, semicolon, comma, newline: §3.3.11). Each application batch
is one all-day event: DTSTART is the opening day and DTEND the day *after* closing (DTEND is
exclusive, §3.6.1), so a calendar shows the closing day as still open. The UID is stable
(policy id and the batch's dates), SEQUENCE follows the policy's version, so a calendar
that subscribed updates an edited batch instead of duplicating it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

PRODID = "-//Yumiao//Policy windows 1.0//ZH"
FOLD_AT = 75


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    summary: str
    description: str
    opens_on: date
    closes_on: date
    sequence: int
    last_modified: datetime
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, ';', ',' escaped; newlines as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split ``line`` into CRLF + space continued chunks of at most 75 octets (§3.1)."""
    chunks: list[str] = []
    current, size, limit = "", 0, FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, FOLD_AT - 1  # the leading space counts
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event_lines(event: CalendarEvent, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART;VALUE=DATE:{event.opens_on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.closes_on + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"SEQUENCE:{event.sequence}",
        f"LAST-MODIFIED:{_utc(event.last_modified)}",
        "TRANSP:TRANSPARENT",
        "STATUS:CONFIRMED",
    ]
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[CalendarEvent], *, name: str, stamp: datetime) -> str:
    """The whole VCALENDAR as text (CRLF line ends, folded)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(name)}",
             "X-WR-TIMEZONE:Asia/Shanghai"]
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
