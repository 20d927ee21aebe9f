"""The progress table as a print-ready A4 PDF, made with fpdf2 with a CJK TrueType font
embedded (subset: only the glyphs used, so a report stays small).

The font is WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``, TrueType outlines: fpdf2 subsets
it and text extracts cleanly). ``scripts/ensure-pdf-font.sh`` installs it for the tests and the
Dockerfile for the images.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos
from fpdf.enums import YPos
from fpdf.fonts import FontFace

from registry.domain.monitoring import figure

FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
FAMILY = "cjk"
#: fontTools logs every subsetting step at INFO; a report is not news.
logging.getLogger("fontTools").setLevel(logging.ERROR)  # and warns of tables it drops
HEADING = FontFace(fill_color=(221, 231, 240))


class FontMissing(RuntimeError):
    """No CJK TrueType font is installed (run scripts/ensure-pdf-font.sh)."""


def font_path() -> Path:
    """The CJK font to embed: the first of ``FONT_CANDIDATES`` installed."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("未安装中文字体 fonts-wqy-zenhei / No CJK font installed "
                      "(scripts/ensure-pdf-font.sh)")


class _Doc(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report_title = title
        self.set_auto_page_break(auto=True, margin=14)
        self.add_font(FAMILY, fname=str(font_path()), collection_font_number=0)
        self.set_title(title)
        self.set_creator("Yumiao 育苗")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FAMILY, size=8)
        self.cell(0, 5, f"{self.report_title}　第 {self.page_no()} 页 / Page {self.page_no()}",
                  align="C")


def _table(pdf: _Doc, headings: list[str], widths: list[float], rows: list[list[str]],
           aligns: list[str]) -> None:
    pdf.set_font(FAMILY, size=8)
    with pdf.table(col_widths=widths, text_align=aligns, line_height=4.5,
                   headings_style=HEADING, repeat_headings=1) as table:
        head = table.row()
        for text in headings:
            head.cell(text)
        for values in rows:
            row = table.row()
            for text in values:
                row.cell(text)


def _line(pdf: _Doc, text: str, size: float = 9) -> None:
    pdf.set_font(FAMILY, size=size)
    pdf.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def progress_pdf(report: dict[str, Any]) -> bytes:
    """The PDF's bytes: the district table, per town, year by year, funnel and cohorts."""
    plan = report["plan"]
    title = f"目标指标完成情况表 / Progress against targets {report['year']}"
    pdf = _Doc(title)
    pdf.add_page()
    pdf.set_font(FAMILY, size=14)
    pdf.cell(0, 8, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    source = "冻结快照 / frozen snapshot" if report["source"] == "snapshot" else \
        "实时计算 / computed live"
    doc = f"（{plan['document_number']}）" if plan.get("document_number") else ""
    _line(pdf, f"{plan['title']}{doc}")
    _line(pdf, f"规划期 / Period {plan['start_year']}–{plan['end_year']}　统计日 / As of "
               f"{report['as_of']}　数据来源 / Source: {source}")
    pdf.ln(2)
    rows = [[str(n), r["name"] + ("（已更正）" if r["corrected"] else ""), r["unit"], r["rule"],
             r["display"]["baseline"], r["display"]["target"], r["display"]["actual"],
             r["display"]["completion"]] for n, r in enumerate(report["rows"], start=1)]
    _table(pdf, ["序号 No.", "指标 / Indicator", "单位 / Unit", "计数口径 / Counting rule",
                 "基期值 Baseline", "目标值 Target", "完成值 Actual", "完成率 Completion"],
           [10, 45, 16, 120, 20, 20, 20, 22], rows,
           ["CENTER", "LEFT", "CENTER", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"])
    if report["corrections"]:
        pdf.ln(2)
        _line(pdf, "快照后更正 / Corrections after the snapshot:", 9)
        for c in report["corrections"]:
            _line(pdf, f"{c['measure']} {c['town_code'] or '全区'}: {c['from_value']} → "
                       f"{c['to_value']}（{c['actor']}，{c['reason']}）", 8)
    if report["towns"]:
        pdf.add_page()
        _line(pdf, "分镇街完成情况 / Progress per town（完成值 / 目标值）", 11)
        names = [r["name"].split(" / ")[0] for r in report["rows"]]
        town_rows = [[t["town_name"].split(" / ")[0]] + [
            f"{r['display']['actual']} / {r['display']['target']}" for r in t["rows"]]
            for t in report["towns"]]
        width = (277 - 30) / max(len(names), 1)
        _table(pdf, ["镇街 / Town", *names], [30] + [width] * len(names), town_rows,
               ["LEFT"] + ["RIGHT"] * len(names))
    pdf.add_page()
    _line(pdf, "逐年完成情况 / Year by year", 11)
    trend_rows = [[r["name"].split(" / ")[0], r["unit"]] + [
        figure(t["values"].get(r["measure"]), r["unit"]) for t in report["trend"]]
        for r in report["rows"]]
    years = [f"{t['year']}{'（快照）' if t['source'] == 'snapshot' else ''}"
             for t in report["trend"]]
    _table(pdf, ["指标 / Indicator", "单位 / Unit", *years],
           [70, 20] + [(277 - 90) / max(len(years), 1)] * len(years), trend_rows,
           ["LEFT", "CENTER"] + ["RIGHT"] * len(years))
    pdf.ln(3)
    _line(pdf, "高企后备库流转漏斗 / Reserve funnel", 11)
    _table(pdf, [f["label"] for f in report["funnel"]],
           [277 / max(len(report["funnel"]), 1)] * len(report["funnel"]),
           [[f"{f['count']:,}" for f in report["funnel"]]], ["RIGHT"] * len(report["funnel"]))
    if report["cohorts"]:
        pdf.ln(3)
        _line(pdf, "入库批次转化 / Cohort conversion（累计认定高企数 / certified by year）", 11)
        for c in report["cohorts"]:
            steps = "；".join(f"{by}年 {n:,}" for by, n in c["certified_by"].items())
            _line(pdf, f"{c['cohort_year']} 年入库 {c['admitted']:,} 家 / admitted：{steps}", 9)
    return bytes(pdf.output())
