"""Charts as inline SVG, drawn on the server: no script, no CDN, readable by screen readers.

Each chart is one ``<svg role="img">`` with a ``<title>`` naming what it shows; the pages put
the same numbers in a table next to it, so nothing is only in the picture. Geometry uses a
fixed viewBox and ``width=100%`` so a chart shrinks to a phone's width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup
from markupsafe import escape

WIDTH = 640
LABEL_W = 200
BAR_W = WIDTH - LABEL_W - 90
STAGE_COLOURS = {
    "nominated": "#9ecae1", "screened": "#6baed6", "admitted": "#4292c6",
    "cultivating": "#2171b5", "applied": "#08519c", "certified": "#1b7837",
    "rejected": "#bdbdbd", "withdrawn": "#8c8c8c",
}


@dataclass(frozen=True)
class Progress:
    """One target: what the plan asks for by 2025 and where the district stands today."""

    label: str
    today: int
    target: int

    @property
    def share(self) -> float:
        return min(1.0, self.today / self.target) if self.target else 1.0


@dataclass(frozen=True)
class Stacked:
    """One bar of stacked segments, e.g. a pool's members per stage."""

    label: str
    segments: Sequence[tuple[str, int]]  # (stage key, count) in pipeline order

    @property
    def total(self) -> int:
        return sum(count for _, count in self.segments)


#: The phone layout: a narrower drawing with each label on its own line above its bar, so
#: at 360 px the text renders at its own size (the desktop drawing shrunk to a phone's width
#: put 13 px labels at about 7 px).
NARROW = 360


def _svg(title: str, height: int, body: list[str], width: int = WIDTH, kind: str = "wide"
         ) -> Markup:
    head = (f'<svg class="chart chart-{kind}" role="img" viewBox="0 0 {width} {height}" '
            f'width="100%" '
            f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(title)}</title>")
    return Markup(head + "".join(body) + "</svg>")


def target_chart(title: str, rows: Sequence[Progress]) -> Markup:
    """Horizontal progress bars, one per target, with the count against the target."""
    row_h, body = 40, []
    for i, row in enumerate(rows):
        y = i * row_h + 8
        filled = round(BAR_W * row.share)
        colour = "#1b7837" if row.today >= row.target else "#2171b5"
        body.append(
            f'<text x="0" y="{y + 17}" class="chart-label">{escape(row.label)}</text>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="18" rx="3" fill="#e5e9ef"/>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{filled}" height="18" rx="3" '
            f'fill="{colour}"/>'
            f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 18}" class="chart-value">'
            f"{row.today} / {row.target}</text>")
    return _svg(title, len(rows) * row_h + 10, body)


def stacked_chart(title: str, bars: Sequence[Stacked], legend: Sequence[tuple[str, str]]
                  ) -> Markup:
    """Stacked horizontal bars scaled to the largest total, with a legend of stage names."""
    row_h, body = 30, []
    largest = max((bar.total for bar in bars), default=0) or 1
    for i, bar in enumerate(bars):
        y, x = i * row_h + 6, float(LABEL_W)
        body.append(f'<text x="0" y="{y + 15}" class="chart-label">{escape(bar.label)}</text>')
        for stage, count in bar.segments:
            width = BAR_W * count / largest
            if width <= 0:
                continue
            body.append(f'<rect x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="18" '
                        f'fill="{STAGE_COLOURS.get(stage, "#999")}">'
                        f"<title>{escape(bar.label)}: {escape(stage)} {count}</title></rect>")
            x += width
        body.append(f'<text x="{x + 6:.1f}" y="{y + 16}" class="chart-value">{bar.total}</text>')
    body.extend(_legend(len(bars) * row_h + 14, legend))
    return _svg(title, len(bars) * row_h + 44, body)


def _legend(y: int, legend: Sequence[tuple[str, str]]) -> list[str]:
    parts, x = [], 0
    for stage, label in legend:
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" '
                     f'fill="{STAGE_COLOURS.get(stage, "#999")}"/>'
                     f'<text x="{x + 16}" y="{y + 11}" class="chart-legend">{escape(label)}</text>')
        x += 16 + 12 * max(4, len(label)) // 2 + 14
    return parts


def funnel_chart(title: str, steps: Sequence[tuple[str, str, int]]) -> Markup:
    """A centred funnel: one bar per stage (key, label, count), width by count."""
    row_h, body = 34, []
    largest = max((count for _, _, count in steps), default=0) or 1
    span = WIDTH - LABEL_W - 60
    for i, (stage, label, count) in enumerate(steps):
        y = i * row_h + 4
        width = max(2.0, span * count / largest)
        x = LABEL_W + (span - width) / 2
        body.append(f'<text x="0" y="{y + 19}" class="chart-label">{escape(label)}</text>'
                    f'<rect x="{x:.1f}" y="{y + 4}" width="{width:.1f}" height="22" rx="2" '
                    f'fill="{STAGE_COLOURS.get(stage, "#999")}"/>'
                    f'<text x="{LABEL_W + span + 8}" y="{y + 20}" class="chart-value">'
                    f"{count}</text>")
    return _svg(title, len(steps) * row_h + 8, body)


def target_chart_narrow(title: str, rows: Sequence[Progress]) -> Markup:
    """``target_chart`` for a phone: each label above its bar, the count after it."""
    row_h, bar_w, body = 46, NARROW - 80, []
    for i, row in enumerate(rows):
        y = i * row_h + 4
        filled = round(bar_w * row.share)
        colour = "#1b7837" if row.today >= row.target else "#2171b5"
        body.append(
            f'<text x="0" y="{y + 14}" class="chart-label">{escape(row.label)}</text>'
            f'<rect x="0" y="{y + 20}" width="{bar_w}" height="16" rx="3" fill="#e5e9ef"/>'
            f'<rect x="0" y="{y + 20}" width="{filled}" height="16" rx="3" fill="{colour}"/>'
            f'<text x="{bar_w + 6}" y="{y + 33}" class="chart-value">'
            f"{row.today} / {row.target}</text>")
    return _svg(title, len(rows) * row_h + 6, body, NARROW, "narrow")


def stacked_chart_narrow(title: str, bars: Sequence[Stacked],
                         legend: Sequence[tuple[str, str]]) -> Markup:
    """``stacked_chart`` for a phone: labels above the bars, the legend in rows of three."""
    row_h, bar_w, body = 42, NARROW - 50, []
    largest = max((bar.total for bar in bars), default=0) or 1
    for i, bar in enumerate(bars):
        y, x = i * row_h + 4, 0.0
        body.append(f'<text x="0" y="{y + 14}" class="chart-label">{escape(bar.label)}</text>')
        for stage, count in bar.segments:
            width = bar_w * count / largest
            if width <= 0:
                continue
            body.append(f'<rect x="{x:.1f}" y="{y + 20}" width="{width:.1f}" height="16" '
                        f'fill="{STAGE_COLOURS.get(stage, "#999")}"/>')
            x += width
        body.append(f'<text x="{x + 6:.1f}" y="{y + 33}" class="chart-value">{bar.total}</text>')
    top = len(bars) * row_h + 8
    for n, (stage, label) in enumerate(legend):
        lx, ly = (n % 3) * 120, top + (n // 3) * 22
        body.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" '
                    f'fill="{STAGE_COLOURS.get(stage, "#999")}"/>'
                    f'<text x="{lx + 16}" y="{ly + 11}" class="chart-legend">'
                    f"{escape(label)}</text>")
    rows = (len(legend) + 2) // 3
    return _svg(title, top + rows * 22 + 4, body, NARROW, "narrow")


def funnel_chart_narrow(title: str, steps: Sequence[tuple[str, str, int]]) -> Markup:
    """``funnel_chart`` for a phone: labels above centred bars."""
    row_h, span, body = 42, NARROW - 50, []
    largest = max((count for _, _, count in steps), default=0) or 1
    for i, (stage, label, count) in enumerate(steps):
        y = i * row_h + 4
        width = max(2.0, span * count / largest)
        x = (span - width) / 2
        body.append(f'<text x="0" y="{y + 14}" class="chart-label">{escape(label)}</text>'
                    f'<rect x="{x:.1f}" y="{y + 20}" width="{width:.1f}" height="16" rx="2" '
                    f'fill="{STAGE_COLOURS.get(stage, "#999")}"/>'
                    f'<text x="{span + 8}" y="{y + 33}" class="chart-value">{count}</text>')
    return _svg(title, len(steps) * row_h + 6, body, NARROW, "narrow")
