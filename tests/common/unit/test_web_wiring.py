"""The shared app wiring: one error shape, request ids, the internal-token gate, health."""

from __future__ import annotations

import pytest
from flask import Flask
from pydantic import SecretStr

from yumiao_common.settings import CommonSettings
from yumiao_common.web.errors import Conflict
from yumiao_common.web.wiring import configure_app


def make_app(token: str | None = None) -> Flask:
    app = Flask("t")
    settings = CommonSettings(
        service_name="t", internal_token=SecretStr(token) if token else None,
        max_content_length=2048,
    )

    @app.post("/things")
    def things() -> dict[str, str]:
        raise Conflict("已被修改 / Changed meanwhile", details={"allowed": ["a", "b"]})

    @app.get("/boom")
    def boom() -> dict[str, str]:
        raise RuntimeError("secret internals")

    configure_app(app, settings)
    return app


def test_unknown_route_answers_in_the_error_shape() -> None:
    resp = make_app().test_client().get("/nope")
    assert resp.status_code == 404
    assert resp.json["error"]["code"] == "not_found"
    assert resp.json["error"]["status"] == 404


def test_domain_conflict_carries_details() -> None:
    resp = make_app().test_client().post("/things")
    assert resp.status_code == 409
    assert resp.json["error"]["details"] == {"allowed": ["a", "b"]}


def test_unexpected_error_is_a_500_without_internals() -> None:
    resp = make_app().test_client().get("/boom")
    assert resp.status_code == 500
    assert "secret" not in resp.get_data(as_text=True)


def test_oversized_body_is_413() -> None:
    resp = make_app().test_client().post("/things", data=b"x" * 5000)
    assert resp.status_code == 413
    assert resp.json["error"]["code"] == "payload_too_large"


def test_request_id_is_echoed_or_created() -> None:
    client = make_app().test_client()
    assert client.get("/healthz", headers={"X-Request-ID": "abc"}).headers["X-Request-ID"] == "abc"
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


@pytest.mark.parametrize("headers, status", [({}, 401), ({"X-Internal-Token": "wrong"}, 401),
                                             ({"X-Internal-Token": "s3cret"}, 409)])
def test_internal_token_gates_everything_but_health(headers: dict[str, str], status: int) -> None:
    client = make_app("s3cret").test_client()
    assert client.post("/things", headers=headers).status_code == status
    assert client.get("/healthz").status_code == 200
    assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize("kwargs, field", [
    ({"json": {"name": "a\x00b"}}, "name"),
    ({"json": {"rows": [{"x": 1}, {"reason": "\x00"}]}}, "rows.1.reason"),
    ({"query_string": {"q": "x\x00"}}, "query.q"),
])
def test_nul_characters_are_refused_naming_where(kwargs: dict[str, object], field: str) -> None:
    resp = make_app().test_client().post("/things", **kwargs)  # type: ignore[arg-type]
    assert resp.status_code == 422
    assert field in resp.json["error"]["fields"]


def test_text_without_nul_passes_the_guard() -> None:
    resp = make_app().test_client().post("/things", json={"name": "聊城\\u0000 literal"})
    assert resp.status_code == 409  # reached the view
