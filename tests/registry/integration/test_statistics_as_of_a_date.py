"""Statistics as of a date group each firm by what it was then (issue 13 item 2): its industry
from the audit log (like its town), its size class from its figures of the last fiscal year
ended by the date under the 300号 table, computed by the database.

The database is shared by every test of the run, so counts are compared before and after this
test's own firm is added or changed (a delta).
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import enterprise_body
from registry_testkit import new_uscc
from sqlalchemy import BigInteger
from sqlalchemy import String
from sqlalchemy import literal
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.sql.as_of import figures_year
from registry.adapters.sql.size_class import size_class_sql
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.sme_size import classify

pytestmark = pytest.mark.integration

TODAY = beijing_today()
YESTERDAY = TODAY - timedelta(days=1)
OLD_INDUSTRY, NEW_INDUSTRY = "C1713", "I6513"  # textiles → software


def _held(client: FlaskClient, as_of: date, by: str) -> dict[Any, int]:
    """Firms holding a high-tech certificate on ``as_of``, per group of ``by``."""
    response = client.get(
        "/api/v1/statistics/certifications", query_string={"as_of": as_of.isoformat(), "by": by}
    )
    assert response.status_code == 200, response.json
    return {
        row["group"]: row["enterprises"] for row in response.json or [] if row["tier"] == "hnte"
    }


def _register(client: FlaskClient, industry: str, figures: dict[int, dict[str, int]]) -> str:
    """A firm of ``industry`` holding a high-tech certificate 2019–2031 with ``figures``."""
    uscc = new_uscc()
    created = client.post(
        "/api/v1/enterprises", headers=HEADERS, json=enterprise_body(uscc, industry_code=industry)
    )
    assert created.status_code == 201, created.json
    for year, values in figures.items():
        put = client.put(
            f"/api/v1/enterprises/{uscc}/financials/{year}", json=values, headers=HEADERS
        )
        assert put.status_code == 201, put.json
    cert = client.post(
        f"/api/v1/enterprises/{uscc}/certifications",
        headers=HEADERS,
        json={"tier": "hnte", "issued_on": "2019-01-01", "expires_on": "2031-12-31"},
    )
    assert cert.status_code == 201, cert.json
    return uscc


def _enterprise(client: FlaskClient, uscc: str) -> dict[str, Any]:
    return dict(client.get(f"/api/v1/enterprises/{uscc}").json or {})


def _delta(after: dict[Any, int], before: dict[Any, int]) -> dict[Any, int]:
    keys = set(after) | set(before)
    return {
        k: after.get(k, 0) - before.get(k, 0) for k in keys if after.get(k, 0) != before.get(k, 0)
    }


def test_a_firm_that_changed_industry_counts_under_the_old_one_before_the_change(
    client: FlaskClient,
) -> None:
    past_before, now_before = _held(client, YESTERDAY, "industry"), _held(client, TODAY, "industry")
    uscc = _register(client, OLD_INDUSTRY, {})
    got = _enterprise(client, uscc)
    changed = client.patch(
        f"/api/v1/enterprises/{uscc}",
        headers=HEADERS,
        json={"industry_code": NEW_INDUSTRY, "version": got["version"], "reason": "主业变更"},
    )
    assert changed.status_code == 200, changed.json
    # registered today and changed today: the day before it counts under its old industry
    assert _delta(_held(client, YESTERDAY, "industry"), past_before) == {OLD_INDUSTRY[:3]: 1}
    assert _delta(_held(client, TODAY, "industry"), now_before) == {NEW_INDUSTRY[:3]: 1}


def test_an_industry_recorded_only_later_is_unknown_before_it_was_recorded(
    client: FlaskClient,
) -> None:
    past_before = _held(client, YESTERDAY, "industry")
    uscc = _register(client, OLD_INDUSTRY, {})
    got = _enterprise(client, uscc)
    for code in (None, NEW_INDUSTRY):  # cleared, then set again: it was C17 until today
        response = client.patch(
            f"/api/v1/enterprises/{uscc}",
            headers=HEADERS,
            json={"industry_code": code, "version": got["version"], "reason": "更正"},
        )
        assert response.status_code == 200, response.json
        got = dict(response.json or {})
    assert _delta(_held(client, YESTERDAY, "industry"), past_before) == {OLD_INDUSTRY[:3]: 1}


SMALL_2023 = {
    "employees": 120,
    "operating_revenue": 48_000_000,
    "total_assets": 60_000_000,
    "rd_expense": 3_000_000,
}
MEDIUM_2024 = {
    "employees": 450,
    "operating_revenue": 300_000_000,
    "total_assets": 200_000_000,
    "rd_expense": 7_000_000,
}


def _rd_by_size(client: FlaskClient) -> dict[tuple[int, Any], int]:
    response = client.get(
        "/api/v1/statistics/financials",
        query_string={"year_from": 2023, "year_to": 2024, "by": "size_class"},
    )
    assert response.status_code == 200, response.json
    return {(row["year"], row["group"]): row["rd_expense"] or 0 for row in response.json or []}


def test_a_firm_whose_size_changed_counts_by_the_last_year_ended_by_the_date(
    client: FlaskClient,
) -> None:
    days = (
        date(2023, 6, 30),
        date(2024, 12, 30),
        date(2024, 12, 31),
        date(2025, 6, 30),
        date(2026, 1, 1),
    )
    before = {day: _held(client, day, "size_class") for day in days}
    rd_before = _rd_by_size(client)
    _register(client, "C3451", {2023: SMALL_2023, 2024: MEDIUM_2024})
    # each year's R&D sums under the class of that year's figures
    assert _delta(_rd_by_size(client), rd_before) == {
        (2023, "small"): 3_000_000,
        (2024, "medium"): 7_000_000,
    }
    got = {day: _delta(_held(client, day, "size_class"), before[day]) for day in days}
    assert got[date(2023, 6, 30)] == {None: 1}  # 2022 has ended: no figures for it, unknown
    assert got[date(2024, 12, 30)] == {"small": 1}  # 2024 has not ended: 2023's figures
    assert got[date(2024, 12, 31)] == {"medium": 1}  # 2024 ends that day
    assert got[date(2025, 6, 30)] == {"medium": 1}
    assert got[date(2026, 1, 1)] == {None: 1}  # 2025 has ended and is not on file


def test_size_is_read_under_the_industry_the_firm_had_then(client: FlaskClient) -> None:
    """250 staff and ¥450M revenue: small in manufacturing (staff under 300), large in
    wholesale (200 staff and ¥400M both reached). A change of industry today leaves the past
    size class as it was."""
    values = {"employees": 250, "operating_revenue": 450_000_000, "total_assets": 100_000_000}
    day = date(2025, 6, 30)
    before_past, before_now = _held(client, day, "size_class"), _held(client, TODAY, "size_class")
    uscc = _register(client, "C3451", {2024: values, figures_year(TODAY): values})
    got = _enterprise(client, uscc)
    changed = client.patch(
        f"/api/v1/enterprises/{uscc}",
        headers=HEADERS,
        json={"industry_code": "F5123", "version": got["version"], "reason": "转为批发"},
    )
    assert changed.status_code == 200, changed.json
    assert _delta(_held(client, day, "size_class"), before_past) == {"small": 1}
    assert _delta(_held(client, TODAY, "size_class"), before_now) == {"large": 1}


CODES = (
    "C3451",
    "C13",
    "A0111",
    "B06",
    "D44",
    "E47",
    "F51",
    "F5123",
    "F52",
    "G53",
    "G59",
    "G60",
    "H61",
    "H62",
    "I63",
    "I64",
    "I65",
    "J66",
    "K70",
    "K701",
    "K7010",
    "K702",
    "K703",
    "L71",
    "M73",
    "O80",
    "P83",
    "T96",
    "C3",
    None,
)
FIGURES = (
    {"employees": 5, "operating_revenue": 1_000_000, "total_assets": 1_000_000},
    {"employees": 120, "operating_revenue": 48_000_000, "total_assets": 60_000_000},
    {"employees": 450, "operating_revenue": 300_000_000, "total_assets": 200_000_000},
    {"employees": 5000, "operating_revenue": 5_000_000_000, "total_assets": 3_000_000_000},
    {"employees": 1000, "operating_revenue": 10_000_000, "total_assets": None},
    {"employees": None, "operating_revenue": 500_000_000, "total_assets": 900_000_000},
)


def test_the_sql_size_class_is_the_300_table_code_by_code(session: Session) -> None:
    for code in CODES:
        columns = [
            size_class_sql(
                literal(code, String()), {k: literal(v, BigInteger()) for k, v in f.items()}
            )
            for f in FIGURES
        ]
        got = session.execute(select(*columns)).one()
        expected = tuple((c.key if (c := classify(code, f)) is not None else None) for f in FIGURES)
        assert tuple(got) == expected, code


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("certifications", {"as_of": "0001-01-01", "by": "industry"}),
        ("stages", {"as_of": "9999-12-31", "by": "size_class"}),
        ("certifications", {"as_of": "1948-12-31"}),
    ],
)
def test_a_date_outside_the_statistics_range_is_refused_naming_it(
    client: FlaskClient, path: str, query: dict[str, str]
) -> None:
    response = client.get(f"/api/v1/statistics/{path}", query_string=query)
    assert response.status_code == 422
    assert "1949-01-01" in (response.json or {})["error"]["fields"]["as_of"][0]
