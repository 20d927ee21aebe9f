"""The 入库名单 of a reserve round as XLSX: one row per admitted firm.

Names come from the firms, so every text cell goes through ``safe_row`` (a name such as
``=HYPERLINK(…)`` is written as text, never as a formula).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import IO
from typing import Any
from typing import Final

from openpyxl import Workbook

from registry.domain.pipeline import EXIT_REASONS
from registry.domain.pipeline import POOLS
from registry.domain.pipeline import STAGE_LABELS
from registry.domain.pipeline import Stage
from registry.models import PoolMembership
from registry.models import ReserveRound
from yumiao_common.spreadsheets import safe_row

HEADERS: Final = (
    "序号 / No.", "统一社会信用代码 / USCC", "企业名称 / Name", "所属镇街代码 / Town code",
    "国民经济行业 / Industry", "当前阶段 / Stage", "入库有效期至 / Valid until",
    "退库原因 / Exit reason",
)


def roster_workbook(found: ReserveRound, members: Iterable[PoolMembership]) -> IO[bytes]:
    """The roster saved to a temporary file, positioned at its start."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("入库名单 Roster")
    pool = POOLS[found.pool].label if found.pool in POOLS else found.pool
    status = "已公布 / Published" if found.status == "published" else "未公布 / Not published"
    sheet.append(safe_row(sheet, [f"{found.year} 年度 {pool} 入库名单", status]))
    sheet.append(safe_row(sheet, HEADERS))
    for number, member in enumerate(members, start=1):
        sheet.append(safe_row(sheet, _row(number, member)))
    handle = tempfile.TemporaryFile()
    book.save(handle)
    handle.seek(0)
    return handle


def _row(number: int, member: PoolMembership) -> list[Any]:
    ent = member.enterprise
    return [number, ent.uscc, ent.name, ent.town_code, ent.industry_code,
            STAGE_LABELS[Stage(member.stage)], member.valid_until,
            EXIT_REASONS.get(member.exit_reason or "", "")]
