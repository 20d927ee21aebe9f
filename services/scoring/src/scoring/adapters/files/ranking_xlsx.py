"""XLSX export of a ranking, for the bureau's candidate lists (zh-CN headers, English beside).

The file is streamed as its rows are written (``yumiao_common.streamed_workbook``), so a
province-sized ranking starts downloading at once and memory stays flat; each row is written
from its answer's ``parts`` (what the ranking page shows), not the whole answer.

Money and scores are written as numbers (the analyst sorts and sums them in Excel), everything
else in words: gaps as the engine's Chinese gap text (criterion title, actual, requirement,
amount in ¥ / % / people), criteria pending review by title, the town and the industry by
name with the code beside (``古楼街道（371502001）``, ``制造业（C3451）``, from the shared
tables in ``yumiao_common``), the rules as their official documents with the date they apply
from — never criterion ids or ``tier@date`` versions. Text a spreadsheet could run as a
formula (an enterprise named ``=HYPERLINK(…)``) is written as a text cell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell

from scoring.domain.outcome import ScoreRange
from scoring.domain.rulebook import documents_of
from yumiao_common.clock import BEIJING
from yumiao_common.spreadsheets import safe_row
from yumiao_common.streamed_workbook import StreamedWorkbook
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
#: Rows between two hand-overs of the bytes written so far to the response.
STEP = 1000
#: An ``unknown`` whose only open items are review items (the engine names a route).
PENDING_REVIEW = "待评审 / Needs review"


def _title_zh(item: Mapping[str, Any]) -> str:
    """A criterion's Chinese title, or its id when it has none."""
    title = item.get("title")
    zh = title.get("zh") if isinstance(title, Mapping) else None
    return str(zh or item.get("id") or "")


def gap_text(parts: Mapping[str, Any]) -> str:
    """The failing criteria and their gaps, one per line; then the items pending review.
    ``parts``: what a ranking row shows of its answer (``scoring.domain.ranking``)."""
    lines = []
    titles = {item.get("id"): _title_zh(item)
              for item in (*parts.get("gaps", ()), *parts.get("to_collect", ()))}
    for item in parts.get("gaps", ()):
        title, gap = _title_zh(item), item.get("gap")
        text = str(gap.get("text_zh") or gap.get("text") or "") if isinstance(gap, Mapping) else ""
        if text.startswith(title):
            lines.append(text)  # the engine's text already names the criterion
        else:
            lines.append(f"{title}：{text}" if text else title)
    for cid in parts.get("pending_review") or ():
        lines.append(f"{titles.get(cid) or cid}：须经评审确认")
    return "\n".join(lines)


@functools.lru_cache(maxsize=256)
def rules_label(version: str | None) -> str | None:
    """The rules by their documents and start date: ``tech_sme@2017-05-03`` reads
    ``国科发政〔2017〕115号、国科火字〔2022〕67号（2017-05-03起）`` (a few versions exist: kept)."""
    if not version:
        return None
    docs = [re.sub(r"\s*\[[^\]]*\]", "", d).strip() for d in documents_of(version)]
    effective = version.partition("@")[2]
    if not docs:
        return version
    return "、".join(d for d in docs if d) + (f"（{effective}起）" if effective else "")


def verdict_label(verdict: str, route: str | None, pending_review: Any) -> str:
    """The verdict as the pages name it; an ``unknown`` waiting only for review items (the
    engine named a route) reads 待评审."""
    if verdict == "unknown" and pending_review and route:
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
    """One ranking row as cells, from its columns and its answer's ``parts``."""
    parts = row["parts"]
    score = ScoreRange.from_json(parts.get("score")) or ScoreRange(None, None)
    return [
        row["position"], row["uscc"], row["name"], town_label(row["town_code"]),
        industry_label(row["industry_code"]),
        verdict_label(row["verdict"], row.get("route"), parts.get("pending_review")),
        score.min, score.max, score.pass_mark,
        row["failing"], gap_text(parts), "是 yes" if row["uses_local_parameter"] else "否 no",
        rules_label(row["rulebook_version"]),
        beijing(row["evaluated_at"]),
    ]


def _time_cell(sheet: Any, moment: datetime) -> Any:
    cell = WriteOnlyCell(sheet, value=moment)
    cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def ranking_chunks(tier_title: str, rows: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    """The ranking as an .xlsx file (one sheet, bilingual header row, frozen header), in the
    pieces a response sends as the rows are written (``StreamedWorkbook``): a province-sized
    ranking starts downloading at once instead of after the whole file (issue 16)."""
    title = tier_title[:31]
    book = StreamedWorkbook(((title, [f"{zh} / {en}" for zh, en in HEADERS]),),
                            freeze_header=True)
    try:
        sheet = book.sheet(title)
        for n, row in enumerate(rows, start=1):
            cells = safe_row(sheet, row_cells(row))
            if isinstance(cells[-1], datetime):
                cells[-1] = _time_cell(sheet, cells[-1])
            sheet.append(cells)
            if n % STEP == 0 and (data := book.take()):
                yield data
        yield book.finish()
    finally:
        book.abandon()


def ranking_workbook(tier_title: str, rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The whole file at once (``ranking_chunks`` joined)."""
    return b"".join(ranking_chunks(tier_title, rows))
