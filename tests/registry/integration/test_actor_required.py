# mypy: disable-error-code="index,union-attr"
"""Every registry write needs an actor: without ``X-Actor`` it is a 422 naming the header.

Before, the registry recorded such a write as ``anonymous``; notify answered 403 and scoring
422. The one policy is ``yumiao_common.web.required_actor``.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from registry_testkit import create_enterprise
from registry_testkit import enterprise_body
from registry_testkit import new_uscc

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("headers", [{}, {"X-Actor": "   "}, {"X-Actor": "anonymous"}])
def test_registering_without_an_actor_is_a_422_naming_x_actor_and_stores_nothing(
    client: FlaskClient, headers: dict[str, str],
) -> None:
    uscc = new_uscc()
    resp = client.post("/api/v1/enterprises", json=enterprise_body(uscc), headers=headers)
    assert resp.status_code == 422
    assert resp.json["error"]["code"] == "actor_required"
    assert list(resp.json["error"]["fields"]) == ["X-Actor"]
    assert client.get(f"/api/v1/enterprises/{uscc}").status_code == 404


def test_a_pool_nomination_without_an_actor_is_refused_and_leaves_no_membership(
    client: FlaskClient,
) -> None:
    uscc = new_uscc()
    create_enterprise(client, uscc)
    resp = client.post("/api/v1/pools/tech_sme/members", json={"uscc": uscc})
    assert resp.status_code == 422 and resp.json["error"]["code"] == "actor_required"
    assert client.get(f"/api/v1/enterprises/{uscc}/memberships").json["items"] == []


def test_openapi_documents_x_actor_as_required_on_every_write(client: FlaskClient) -> None:
    paths = client.get("/api/v1/openapi.json").json["paths"]
    writes = [(path, method, op) for path, item in paths.items()
              for method, op in item.items() if method in ("post", "put", "patch", "delete")]
    assert len(writes) >= 10
    for path, method, operation in writes:
        actor = [p for p in operation["parameters"] if p["name"] == "X-Actor"]
        assert [(p["in"], p["required"]) for p in actor] == [("header", True)], (path, method)
        assert "422" in operation["responses"], (path, method)
