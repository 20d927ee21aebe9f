"""Test helpers for the registry: fresh credit codes, headers, a few ready-made bodies."""

from __future__ import annotations

import random
from typing import Any

from flask.testing import FlaskClient

from yumiao_common.identifiers import USCC_ALPHABET
from yumiao_common.identifiers import generate_uscc

ACTOR = "curator:test"
HEADERS = {"X-Actor": ACTOR}
_rng = random.Random()
_issued: set[str] = set()


def new_uscc(division: str = "371502") -> str:
    """A valid credit code (both check characters) not issued before in this run."""
    while True:
        body = "MA" + "".join(_rng.choice(USCC_ALPHABET) for _ in range(6))
        code = generate_uscc("91", division, body)
        if code not in _issued:
            _issued.add(code)
            return code


def enterprise_body(uscc: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uscc": uscc,
        "name": f"聊城测试轴承有限公司{uscc[-6:]}",
        "established_on": "2014-03-12",
        "town_code": "371502101",
        "industry_code": "C3451",
        "hightech_field": "advanced_manufacturing",
        "tax_method": "audited",
        "niche_market_years": 6,
        "main_product_fields": ["six_foundations", "strategic_emerging"],
        "market_share_pct": "12.5",
        "market_rank_national": 3,
        "flags": {"major_safety_incident": False, "research_misconduct": False},
        "assessments": {"digital_level": 2, "quality_items": ["iso9001", "own_brand"],
                        "hnte_expert": {"tech_advancement": "B", "core_support": "B",
                                        "rd_management_points": 14, "standards_bonus": 0}},
    }
    body.update(overrides)
    return body


FIGURES_2024: dict[str, Any] = {
    "employees": 120, "science_staff": 30, "rd_staff": 20,
    "operating_revenue": 48_000_000, "sales_revenue": 47_000_000,
    "main_business_revenue": 45_000_000, "total_income": 48_500_000,
    "hightech_revenue": 35_000_000, "rd_expense": 2_600_000, "rd_expense_domestic": 2_600_000,
    "total_cost": 40_000_000, "total_assets": 60_000_000, "total_liabilities": 30_000_000,
    "fixed_assets": 20_000_000, "net_profit": 4_000_000, "total_profit": 4_700_000,
    "interest_expense": 300_000, "new_equity_financing": 0, "tech_conversions": 3,
    "agri_sales": 0, "farmer_households": 0, "farm_sourced_share_pct": None,
}


def create_enterprise(client: FlaskClient, uscc: str, **overrides: Any) -> dict[str, Any]:
    """Register an enterprise with 2024 figures through the API; returns the enterprise JSON."""
    response = client.post("/api/v1/enterprises", json=enterprise_body(uscc, **overrides),
                           headers=HEADERS)
    assert response.status_code == 201, response.json
    put = client.put(f"/api/v1/enterprises/{uscc}/financials/2024", json=FIGURES_2024,
                     headers=HEADERS)
    assert put.status_code == 201, put.json
    got = client.get(f"/api/v1/enterprises/{uscc}")
    assert got.status_code == 200
    return got.json  # type: ignore[no-any-return]


def nominate(client: FlaskClient, pool: str, uscc: str) -> dict[str, Any]:
    response = client.post(f"/api/v1/pools/{pool}/members", json={"uscc": uscc},
                           headers=HEADERS)
    assert response.status_code == 201, response.json
    return response.json  # type: ignore[no-any-return]


def move(client: FlaskClient, pool: str, uscc: str, to_stage: str, version: int,
         reason: str = "测试流转 / test move") -> Any:
    return client.post(f"/api/v1/pools/{pool}/members/{uscc}/moves",
                       json={"to_stage": to_stage, "reason": reason, "version": version},
                       headers=HEADERS)
