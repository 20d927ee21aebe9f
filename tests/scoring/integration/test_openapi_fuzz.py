"""A bounded schemathesis run over scoring's OpenAPI document: no input makes a 5xx.

Bounded (a few examples per operation, no deadline) so it stays a smoke test of the error
paths — unknown fields, wrong types, odd cursors — rather than a long fuzzing campaign.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings

pytestmark = pytest.mark.integration


def test_no_generated_request_is_a_server_error(app: Flask) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        _fuzz(operation)


def _fuzz(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        response = case.call(headers={"X-Actor": "schemathesis"})
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])

    run()
