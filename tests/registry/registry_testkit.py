"""Test helpers for the registry: fresh credit codes, headers, a few ready-made bodies."""

from __future__ import annotations

import random
from typing import Any

from flask.testing import FlaskClient

from tests.contracts.golden import example_profile
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
    """The golden example's enterprise as the registry's API takes it (town, assessments)."""
    golden = example_profile()
    enterprise = {k: v for k, v in golden["enterprise"].items() if k != "division_code"}
    body: dict[str, Any] = {**enterprise, "uscc": uscc, "name": f"聊城测试轴承有限公司{uscc[-6:]}",
                            "town_code": "371502101", "assessments": golden["assessments"]}
    body.update(overrides)
    return body


#: The golden example's 2024 figures.
FIGURES_2024: dict[str, Any] = {
    k: v for k, v in example_profile()["financials"][0].items() if k != "year"
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
         reason: str = "测试流转 / test move", **extra: Any) -> Any:
    """POST a move; ``extra`` adds body fields (``certificate``, ``exit_reason``)."""
    return client.post(f"/api/v1/pools/{pool}/members/{uscc}/moves",
                       json={"to_stage": to_stage, "reason": reason, "version": version,
                             **extra},
                       headers=HEADERS)
