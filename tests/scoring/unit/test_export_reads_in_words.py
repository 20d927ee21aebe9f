"""The ranking XLSX reads in words: gaps by criterion title with ¥ and % figures, towns and
industries by name, rules by their documents — no criterion ids, no ``tier@date`` versions, no
True/False (issue 8 item 11). Built from real engine answers of the baseline firm, weakened."""

from __future__ import annotations

import io
import re
from datetime import UTC
from datetime import datetime
from typing import Any

from openpyxl import load_workbook

from scoring.adapters.files.ranking_xlsx import ranking_workbook
from scoring.domain import evaluate
from scoring.domain.ranking import ranking_parts

WEAK = {("ip",): [], ("fin", 2024, "rd_expense"): 10_000, ("fin", 2024, "science_staff"): 2,
        ("fin", 2024, "total_assets"): 9_000_000}  # fmt: skip
MACHINE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|@20\d\d|\bTrue\b|\bFalse\b|\[[A-Z ;]+\]")


def _rows(make: Any) -> list[dict[str, Any]]:
    rows = []
    for position, (tier, result) in enumerate(evaluate(make(WEAK)).items(), start=1):
        answer = result.to_dict()
        rows.append({"position": position, "uscc": "91371502MA3DHUQR57", "name": tier,
                     "town_code": "371502001", "industry_code": "C3451",
                     "verdict": answer["verdict"], "route": answer["route"],
                     "parts": ranking_parts(answer),
                     "failing": sum(c["status"] == "fail" for c in answer["criteria"]),
                     "uses_local_parameter": answer["uses_local_parameter"],
                     "rulebook_version": answer["rulebook_version"],
                     "evaluated_at": datetime(2026, 1, 5, tzinfo=UTC)})
    return rows


def test_export_cells_read_in_words(make) -> None:  # type: ignore[no-untyped-def]
    data = ranking_workbook("全部", _rows(make))
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    by_tier = {r[2]: r for r in rows[1:]}
    for row in rows[1:]:
        for cell in (row[4], row[10], row[12]):
            assert cell is None or not MACHINE.search(str(cell)), cell
        assert row[4] == "制造业（C3451）"
        assert row[3] == "古楼街道（371502001）"  # the town by name, code beside
    agri = by_tier["agri_leader_municipal"][10]
    assert "总资产规模：实际 ¥9,000,000，要求 ≥ ¥10,000,000；还需增加资产总额 ¥1,000,000" in agri
    assert "2.00 %" in by_tier["hnte"][10]
    assert by_tier["tech_sme"][12] == "国科发政〔2017〕115号、国科火字〔2022〕67号（2017-05-03起）"
    # stored 2026-01-05 00:00 UTC: a date-time cell on the bureau's clock, not an ISO string
    assert rows[0][13] == "评价时间（北京时间） / Evaluated at (Beijing time)"
    assert by_tier["tech_sme"][13] == datetime(2026, 1, 5, 8, 0)
    # issue 17 items 6 and 10: one name per idea, as on the pages; gaps are sentences
    assert {r[5] for r in rows[1:]} <= {"符合条件 / Eligible", "差距较小 / Near miss",
                                         "信息不足 / Not enough data", "暂不符合 / Not eligible",
                                         "待评审 / Needs review"}
    assert all("{'" not in str(r[10]) and "text_zh" not in str(r[10]) for r in rows[1:])
