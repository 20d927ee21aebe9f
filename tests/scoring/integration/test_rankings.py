"""Rankings: readiness order (eligible by score, near by gap, unknown, ineligible), filters,
stable cursor pages, and the XLSX export that opens in openpyxl with bilingual headers."""

from __future__ import annotations

import gc
import io
import uuid
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy import insert
from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.domain.outcome import TierOutcome
from scoring.handlers.evaluations import evaluation_row
from scoring.models import EnterprisePool
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]

# name, verdict, score, failing criteria as (actual, required), town, industry, pools
FIRMS: list[tuple[str, str, str | None, list[tuple[str, str]], str, str, list[str]]] = [
    (
        "甲 far",
        "ineligible",
        "30",
        [("1", "10"), ("2", "10"), ("0", "5")],
        "371502001",
        "C3451",
        [],
    ),
    ("乙 near big gap", "near", "60", [("2", "4")], "371502001", "C3451", ["hnte_reserve"]),
    ("丙 eligible 75", "eligible", "75", [], "371502101", "C3990", ["hnte_reserve"]),
    ("丁 near small gap", "near", "66", [("3.9", "4")], "371502101", "I6510", []),
    ("戊 eligible 90", "eligible", "90", [], "371502001", "I6510", ["hnte_reserve"]),
    ("己 unknown", "unknown", None, [], "371502001", "C3451", []),
    ("庚 near two gaps", "near", "68", [("3.9", "4"), ("9", "10")], "371502101", "C3451", []),
]
EXPECTED = [
    "戊 eligible 90",
    "丙 eligible 75",
    "丁 near small gap",
    "乙 near big gap",
    "庚 near two gaps",
    "己 unknown",
    "甲 far",
]


def _result(verdict: str, score: str | None, gaps: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "verdict": verdict,
        "route": "score",
        "rulebook_version": "hnte@2016-01-01",
        "score": None
        if score is None
        else {"min": score, "max": score, "pass_mark": "70", "out_of": "100"},
        "criteria": [
            {
                "id": f"c{i}",
                "status": "fail",
                "actual": a,
                "required": r,
                "gap": {
                    "amount": "1",
                    "unit": "yuan",
                    "text_zh": f"差 {i}",
                    "text_en": f"short {i}",
                },
            }
            for i, (a, r) in enumerate(gaps)
        ],
        "next_steps": [],
        "uses_local_parameter": False,
    }


@pytest.fixture
def ranked(
    factory: sessionmaker[Session], make_profile: Callable[..., dict[str, Any]]
) -> dict[str, str]:
    """Seed FIRMS directly (rows as the store writes them); name → uscc."""
    now = datetime.now(UTC)
    names: dict[str, str] = {}
    with factory.begin() as session:
        for name, verdict, score, gaps, town, industry, pools in FIRMS:
            profile = make_profile(name=name, industry_code=industry)
            uscc = profile["enterprise"]["uscc"]
            names[name] = uscc
            session.execute(
                insert(EnterpriseProfile),
                [
                    {
                        "uscc": uscc,
                        "name": name,
                        "town_code": town,
                        "industry_code": industry,
                        "profile": profile,
                        "profile_hash": "x",
                        "source_event_id": uuid.uuid4(),
                        "source_version": 1,
                        "source_occurred_at": now,
                        "updated_at": now,
                    }
                ],
            )
            if pools:
                session.execute(insert(EnterprisePool), [{"uscc": uscc, "pool": p} for p in pools])
            answer = _result(verdict, score, gaps)
            row = evaluation_row(uscc, "hnte", TierOutcome.from_json(answer), answer, "x", now)
            session.execute(insert(Evaluation), [row])
    return names


def names_of(items: list[dict[str, Any]]) -> list[str]:
    return [i["name"] for i in items]


def test_readiness_order(client: FlaskClient, ranked: dict[str, str]) -> None:
    body = client.get("/api/v1/rankings/hnte").json
    assert names_of(body["items"]) == EXPECTED
    assert [i["position"] for i in body["items"]] == list(range(1, 8))
    assert body["next_cursor"] is None
    near = body["items"][2]
    assert near["gaps"][0]["gap"]["text_en"] == "short 0"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("verdict=eligible", ["戊 eligible 90", "丙 eligible 75"]),
        ("verdict=eligible&verdict=near", EXPECTED[:5]),
        ("town=371502101", ["丙 eligible 75", "丁 near small gap", "庚 near two gaps"]),
        ("industry=I", ["戊 eligible 90", "丁 near small gap"]),
        ("industry=C3451", ["乙 near big gap", "庚 near two gaps", "己 unknown", "甲 far"]),
        ("pool=hnte_reserve", ["戊 eligible 90", "丙 eligible 75", "乙 near big gap"]),
        ("pool=hnte_reserve&verdict=near", ["乙 near big gap"]),
    ],
)
def test_filters(
    client: FlaskClient, ranked: dict[str, str], query: str, expected: list[str]
) -> None:
    resp = client.get(f"/api/v1/rankings/hnte?{query}")
    assert resp.status_code == 200, resp.json
    assert names_of(resp.json["items"]) == expected
    assert resp.json["total"] == len(expected)  # 共 N 家 counts what the filters keep


def test_cursor_pages_cover_the_ranking_once_in_order(
    client: FlaskClient, ranked: dict[str, str]
) -> None:
    seen: list[str] = []
    url = "/api/v1/rankings/hnte?limit=3"
    pages = 0
    while url:
        body = client.get(url).json
        seen += names_of(body["items"])
        pages += 1
        assert body["total"] == len(EXPECTED)  # counted: the page says 共 N 家 (issue 17)
        cursor = body["next_cursor"]
        url = f"/api/v1/rankings/hnte?limit=3&cursor={cursor}" if cursor else ""
    assert seen == EXPECTED and pages == 3


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/rankings/gold", 404),
        ("/api/v1/rankings/hnte?verdict=great", 422),
        ("/api/v1/rankings/hnte?cursor=%%%", 422),
        ("/api/v1/rankings/hnte?cursor=WzEsMl0", 422),
        ("/api/v1/rankings/hnte?limit=0", 422),
        ("/api/v1/rankings/hnte?limit=201", 422),
        ("/api/v1/rankings/hnte?cursor=eyJnIjoxLCJhIjoxLCJiIjoxLCJ1IjoiQSIsInAiOnRydWV9", 422),
        ("/api/v1/rankings/hnte?cursor=" + "x" * 513, 422),
        ("/api/v1/rankings/hnte?sort=name", 422),
    ],
)
def test_bad_ranking_requests(client: FlaskClient, url: str, status: int) -> None:
    resp = client.get(url)
    assert resp.status_code == status
    assert resp.json["error"]["status"] == status


def test_xlsx_export_opens_with_bilingual_headers_in_ranking_order(
    client: FlaskClient, ranked: dict[str, str], engine: Engine
) -> None:
    gc.disable()  # what the body leaves open must be closed by it, not by the collector
    try:
        resp = client.get("/api/v1/rankings/hnte.xlsx?verdict=eligible&verdict=near")
        body = resp.data
        resp.close()  # as gunicorn closes every response
        with engine.connect() as conn:  # the body's own session ended with it
            assert conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state LIKE 'idle in transaction%'")).scalar_one() == 0
    finally:
        gc.enable()
    assert resp.status_code == 200
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "排名 / Rank" and rows[0][2] == "企业名称 / Enterprise"
    assert [r[2] for r in rows[1:]] == EXPECTED[:5]
    assert rows[1][6] == 90  # score as a number the analyst can sort
    assert "差 0" in rows[3][10] and rows[3][4] == "信息传输、软件和信息技术服务业（I6510）"
    assert rows[1][12] == "国科发火〔2016〕32号、国科发火〔2016〕195号（2016-01-01起）"
    assert resp.headers["X-Total-Count"] == "5"  # the firms in the file, known before it


def test_an_export_larger_than_its_cap_is_refused_with_the_count_not_cut_off(
    client: FlaskClient, ranked: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 16: rows past the cap were silently left out of the file
    from scoring.api.rankings import routes

    monkeypatch.setattr(routes, "EXPORT_CAP", 6)
    resp = client.get("/api/v1/rankings/hnte.xlsx")
    assert resp.status_code == 422
    error = resp.json["error"]
    assert error["code"] == "export_too_large" and error["details"] == {"total": 7, "cap": 6}
    assert "镇街" in error["message"]  # says how to narrow it
    narrowed = client.get("/api/v1/rankings/hnte.xlsx?town=371502101")
    assert narrowed.status_code == 200 and narrowed.headers["X-Total-Count"] == "3"
    sheet = load_workbook(io.BytesIO(narrowed.data), read_only=True).active
    assert sheet is not None and len(list(sheet.iter_rows(values_only=True))) == 4
    narrowed.close()



def test_an_undecided_firm_lists_what_to_collect() -> None:
    # issue 17 item 2: a 信息不足 row names the data to collect instead of "—"
    from scoring.domain.ranking import ranking_parts

    title = {"zh": "居民企业，实行查账征收", "en": "Resident enterprise taxed on audited accounts"}
    result = {**_result("unknown", None, [("1", "2")]), "criteria": [
        *_result("unknown", None, [("1", "2")])["criteria"],
        {"id": "tech_sme.g1_audited_tax", "status": "unknown", "title": title},
        {"id": "tech_sme.c5_market", "status": "review", "title": {"zh": "市场", "en": "Market"}},
        {"id": "tech_sme.ok", "status": "pass", "title": {"zh": "通过", "en": "Passed"}}]}
    item = ranking_parts(result)  # what the ranking row shows of the answer
    assert item["to_collect"] == [
        {"id": "tech_sme.g1_audited_tax", "title": title},
        {"id": "tech_sme.c5_market", "title": {"zh": "市场", "en": "Market"}}]
    assert [g["id"] for g in item["gaps"]] == ["c0"]
