"""Charts of the progress report, drawn like ``web.charts`` (inline SVG, ``role="img"`` with a
title, a fixed viewBox at 100 % width; the page shows the same numbers in a table beside).

* ``completion_chart``: one bar per indicator, the share of its target reached (capped at the
  bar's end, the figure written beside it: actual / target);
* ``trend_chart``: one small bar group per indicator, a bar per year of the plan, the year's
  target as a tick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup
from markupsafe import escape

WIDTH = 640
LABEL_W = 220
BAR_W = WIDTH - LABEL_W - 110
MET = "#1b7837"
OPEN = "#2171b5"
TARGET = "#d94801"


@dataclass(frozen=True)
class Completion:
    label: str
    actual: Decimal | None
    target: Decimal | None
    shown: str  # "118 / 120" or "12.50 % / 15.00 %"


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[int, Decimal | None, Decimal | None]]  # (year, actual, target)


def _svg(title: str, height: int, body: list[str]) -> Markup:
    head = (f'<svg class="chart chart-wide" role="img" viewBox="0 0 {WIDTH} {height}" '
            f'width="100%" preserveAspectRatio="xMinYMin meet" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def completion_chart(title: str, rows: Sequence[Completion]) -> Markup:
    row_h, body = 40, []
    for i, row in enumerate(rows):
        y = i * row_h + 8
        share = 0.0
        if row.actual is not None and row.target:
            share = float(max(Decimal(0), min(Decimal(1), row.actual / row.target)))
        met = row.actual is not None and row.target is not None and row.actual >= row.target
        body.append(
            f'<text x="0" y="{y + 17}" class="chart-label">{escape(row.label)}</text>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="18" rx="3" fill="#e5e9ef"/>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{round(BAR_W * share)}" height="18" rx="3" '
            f'fill="{MET if met else OPEN}"/>'
            f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 18}" class="chart-value">'
            f"{escape(row.shown)}</text>")
    return _svg(title, len(rows) * row_h + 10, body)


def trend_chart(title: str, series: Sequence[Series]) -> Markup:
    group_h, body = 30, []
    years = sorted({year for s in series for year, _, _ in s.points})
    slot = BAR_W / max(len(years), 1)
    for i, s in enumerate(series):
        y = i * group_h + 6
        known: list[Decimal] = [abs(v) for _, a, t in s.points for v in (a, t) if v is not None]
        largest: Decimal = max(known, default=Decimal(1)) or Decimal(1)
        body.append(f'<text x="0" y="{y + 16}" class="chart-label">{escape(s.label)}</text>')
        for j, (year, actual, target) in enumerate(s.points):
            x = LABEL_W + j * slot
            h = 0.0 if actual is None else 20 * float(max(actual, Decimal(0)) / largest)
            body.append(f'<rect x="{x + 2:.1f}" y="{y + 22 - h:.1f}" width="{slot - 6:.1f}" '
                        f'height="{h:.1f}" fill="{OPEN}"><title>{year}: '
                        f'{"—" if actual is None else actual}</title></rect>')
            if target is not None:
                ty = y + 22 - 20 * float(max(target, Decimal(0)) / largest)
                body.append(f'<line x1="{x:.1f}" x2="{x + slot - 2:.1f}" y1="{ty:.1f}" '
                            f'y2="{ty:.1f}" stroke="{TARGET}" stroke-width="2"/>')
    for j, year in enumerate(years):
        body.append(f'<text x="{LABEL_W + j * slot + 2:.1f}" y="{len(series) * group_h + 18}" '
                    f'class="chart-value">{year}</text>')
    return _svg(title, len(series) * group_h + 26, body)
