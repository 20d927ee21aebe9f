"""A bounded schemathesis run over the registry's OpenAPI document: no input makes a 5xx.

Every operation is fuzzed twice: with generated path parameters (mostly unknown credit codes,
so the 404 paths), and with the path pinned to a real enterprise, pool member and records so
the generated bodies reach validation, the handlers and the database (NUL bytes, huge
integers and odd dates are what PostgreSQL refuses with an error, i.e. a 500, if they slip
through). Bounded examples and no deadline keep it a smoke test well under a minute.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from registry_testkit import nominate

pytestmark = pytest.mark.integration
EXAMPLES = 6


def _pinned(client: FlaskClient) -> dict[str, Any]:
    """Path parameters that exist: an enterprise in a pool with one record of each kind."""
    uscc = new_uscc()
    create_enterprise(client, uscc)
    nominate(client, "hnte_reserve", uscc)
    made = client.post(f"/api/v1/enterprises/{uscc}/awards", headers=HEADERS,
                       json={"level": "national", "year": 2024})
    return {"uscc": uscc, "pool": "hnte_reserve", "year": 2024, "record_id": made.json["id"]}


def test_no_generated_request_is_a_server_error(app: Flask, client: FlaskClient) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    pinned = _pinned(client)
    for operation in operations:
        _fuzz(operation, None)
        _fuzz(operation, pinned)


def _fuzz(operation: Any, pinned: dict[str, Any] | None) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        if pinned is not None and case.path_parameters:
            case.path_parameters = {k: pinned.get(k, v) for k, v in case.path_parameters.items()}
        response = case.call(headers={"X-Actor": "schemathesis"})
        assert response.status_code < 500, (case.method, case.formatted_path, case.body,
                                            response.text[:500])

    run()
