"""XLSX export of a ranking, for the bureau's candidate lists (zh-CN headers, English beside).

openpyxl's write-only mode streams rows instead of building the whole sheet in memory, so a
district-sized ranking exports in one request. Money and scores are written as numbers (the
analyst sorts and sums them in Excel), everything else in words: gaps as the engine's Chinese
gap text (criterion title, actual, requirement, amount in ¥ / % / people), criteria pending
review by title, the town and the industry by name with the code beside (``古楼街道（371502001）``,
``制造业（C3451）``, from the shared tables in ``yumiao_common``), the rules as their
official documents with the date they apply from — never criterion ids or ``tier@date``
versions. Text a spreadsheet could run as a formula (an enterprise named ``=HYPERLINK(…)``)
is written as a text cell.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from scoring.domain.outcome import ScoreRange
from scoring.domain.outcome import TierOutcome
from scoring.domain.rulebook import documents_of
from yumiao_common.clock import BEIJING
from yumiao_common.spreadsheets import safe_row
from yumiao_common.vocabulary.industries import industry_label
from yumiao_common.vocabulary.towns import town_label

HEADERS: tuple[tuple[str, str], ...] = (
    ("排名", "Rank"),
    ("统一社会信用代码", "Credit code"),
    ("企业名称", "Enterprise"),
    ("镇街", "Town"),
    ("行业", "Industry"),
    ("结论", "Verdict"),
    ("得分（最低）", "Score (min)"),
    ("得分（最高）", "Score (max)"),
    ("及格线", "Pass mark"),
    ("未达标项数", "Failing criteria"),
    ("差距", "Gaps"),
    ("使用本地参数", "Uses local parameter"),
    ("评价依据", "Rules"),
    ("评价时间（北京时间）", "Evaluated at (Beijing time)"),
)
#: The verdicts as the pages name them (gateway ``web/catalogue.py``): one name per idea.
VERDICTS = {"eligible": "符合条件 / Eligible", "near": "差距较小 / Near miss",
            "unknown": "信息不足 / Not enough data", "ineligible": "暂不符合 / Not eligible"}
#: An ``unknown`` whose only open items are review items (the engine names a route).
PENDING_REVIEW = "待评审 / Needs review"


def gap_text(outcome: TierOutcome) -> str:
    """The failing criteria and their gaps, one per line; then the items pending review."""
    lines = []
    titles = {}
    for criterion in outcome.criteria:
        title = criterion.title_zh
        titles[criterion.id] = title
        if criterion.status != "fail":
            continue
        text = criterion.gap_text_zh
        if text.startswith(title):
            lines.append(text)  # the engine's text already names the criterion
        else:
            lines.append(f"{title}：{text}" if text else title)
    for cid in outcome.pending_review or ():
        lines.append(f"{titles.get(cid) or cid}：须经评审确认")
    return "\n".join(lines)


def rules_label(version: str | None) -> str | None:
    """The rules by their documents and start date: ``tech_sme@2017-05-03`` reads
    ``国科发政〔2017〕115号、国科火字〔2022〕67号（2017-05-03起）``."""
    if not version:
        return None
    docs = [re.sub(r"\s*\[[^\]]*\]", "", d).strip() for d in documents_of(version)]
    effective = version.partition("@")[2]
    if not docs:
        return version
    return "、".join(d for d in docs if d) + (f"（{effective}起）" if effective else "")


def verdict_label(verdict: str, outcome: TierOutcome) -> str:
    if verdict == "unknown" and outcome.pending_review and outcome.route:
        return PENDING_REVIEW
    return VERDICTS.get(verdict, verdict)




def beijing(moment: datetime | None) -> datetime | None:
    """A stored (UTC) time as a date-time cell in Beijing time, to the minute; naive, since
    Excel cells carry no zone (the header says which)."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).replace(tzinfo=None, second=0, microsecond=0)


def row_cells(row: Mapping[str, Any]) -> list[Any]:
    """One ranking row as cells; its stored answer is read once, as a ``TierOutcome``."""
    outcome = TierOutcome.from_json(row["result"] or {})
    score = outcome.score or ScoreRange(None, None)
    return [
        row["position"], row["uscc"], row["name"], town_label(row["town_code"]),
        industry_label(row["industry_code"]),
        verdict_label(row["verdict"], outcome), score.min, score.max, score.pass_mark,
        row["failing"], gap_text(outcome), "是 yes" if row["uses_local_parameter"] else "否 no",
        rules_label(row["rulebook_version"]),
        beijing(row["evaluated_at"]),
    ]


def _time_cell(sheet: Any, moment: datetime) -> Any:
    cell = WriteOnlyCell(sheet, value=moment)
    cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def ranking_workbook(tier_title: str, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The ranking as an .xlsx file (one sheet, bilingual header row, frozen header)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=tier_title[:31])
    sheet.freeze_panes = "A2"
    header = []
    for zh, en in HEADERS:
        cell = WriteOnlyCell(sheet, value=f"{zh} / {en}")
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = safe_row(sheet, row_cells(row))
        if isinstance(cells[-1], datetime):
            cells[-1] = _time_cell(sheet, cells[-1])
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
