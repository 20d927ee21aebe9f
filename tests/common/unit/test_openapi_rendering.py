"""The shared OpenAPI rendering: valid 3.0.3, the real error shape, real statuses, decimals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema
from marshmallow import fields
from openapi_spec_validator import validate
from pydantic import BaseModel
from pydantic import Field
from pydantic import SecretStr

from yumiao_common.settings import CommonSettings
from yumiao_common.web.openapi import DECIMAL_PATTERN
from yumiao_common.web.openapi import json_schema_to_openapi30
from yumiao_common.web.openapi import make_api
from yumiao_common.web.openapi import pydantic_components
from yumiao_common.web.wiring import configure_app


class Inner(BaseModel):
    level: str = Field(pattern="^[a-z]+$")


class Outer(BaseModel):
    name: str | None = None
    share: Decimal | None = Field(default=None, ge=0, le=100)
    inner: Inner | None = None
    tags: dict[str, Inner] | None = Field(default=None)
    exact: int = Field(default=1, gt=0, lt=10)


class ThingIn(Schema):
    share = fields.Decimal(as_string=True, load_only=True, metadata={"minimum": 0, "maximum": 100})
    count = fields.Integer(required=True)


class ThingOut(Schema):
    id = fields.Integer()
    share = fields.Decimal(as_string=True, allow_none=True)


def _app(token: str | None = "secret") -> Flask:
    app = Flask("t")
    app.config.update(API_TITLE="t", API_VERSION="v1", OPENAPI_URL_PREFIX="/api/v1",
                      OPENAPI_JSON_PATH="openapi.json")
    api = make_api(app, protected=token is not None, conflict_on_writes=True)
    blp = Blueprint("things", __name__)

    @blp.route("/things")
    class Things(MethodView):
        @blp.response(200, ThingOut(many=True))
        def get(self) -> list[dict[str, Any]]:
            return []

        @blp.arguments(ThingIn)
        @blp.response(201, ThingOut)
        def post(self, data: dict[str, Any]) -> dict[str, Any]:
            return {"id": 1, "share": data.get("share")}

    @blp.route("/things/<int:thing_id>")
    class Thing(MethodView):
        @blp.response(200, ThingOut)
        def get(self, thing_id: int) -> dict[str, Any]:
            return {"id": thing_id, "share": Decimal("1.50")}

    api.register_blueprint(blp, url_prefix="/api/v1")
    configure_app(app, CommonSettings(service_name="t", internal_token=SecretStr(token)
                                      if token else None))
    return app


def _doc(app: Flask) -> dict[str, Any]:
    return app.test_client().get("/api/v1/openapi.json", headers={"X-Internal-Token": "secret"}
                                 ).json


def test_pydantic_null_unions_become_nullable_and_the_document_is_valid_3_0_3() -> None:
    components = pydantic_components(Outer)
    outer = components["Outer"]["properties"]
    assert outer["name"] == {"title": "Name", "type": "string", "nullable": True}
    assert outer["inner"] == {"nullable": True, "allOf": [{"$ref": "#/components/schemas/Inner"}]}
    assert "propertyNames" not in str(components) and "'null'" not in str(components)
    assert outer["exact"]["minimum"] == 0 and outer["exact"]["exclusiveMinimum"] is True
    share = outer["share"]
    assert share["nullable"] is True
    assert {"type": "string", "format": "decimal"} in share["anyOf"]
    doc = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
           "components": {"schemas": components}}
    validate(doc)  # raises on anything 3.0.3 does not allow


def test_json_schema_2020_leftovers_are_dropped() -> None:
    converted = json_schema_to_openapi30({
        "type": ["integer", "null"], "const": 3, "$schema": "x", "examples": [3],
        "propertyNames": {"maxLength": 5}})
    assert converted == {"type": "integer", "nullable": True, "enum": [3], "example": 3}


def test_every_operation_documents_the_real_error_shape_and_no_catch_all() -> None:
    doc = _doc(_app())
    validate(doc)
    error = doc["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    body = doc["components"]["schemas"][error["properties"]["error"]["$ref"].rsplit("/", 1)[1]]
    assert set(body["properties"]) == {"code", "status", "message", "fields", "details"}
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert "default" not in operation["responses"], (path, method)
            assert "401" in operation["responses"], (path, method)
    things = doc["paths"]["/api/v1/things"]
    assert {"400", "409", "413", "422"} <= set(things["post"]["responses"])
    assert "404" in doc["paths"]["/api/v1/things/{thing_id}"]["get"]["responses"]
    assert doc["security"] == [{"internalToken": []}]
    unauthorized = doc["components"]["responses"]["UNAUTHORIZED"]
    assert unauthorized["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"}


def test_the_documented_401_is_what_the_service_answers() -> None:
    resp = _app().test_client().get("/api/v1/things")
    assert resp.status_code == 401
    assert set(resp.json["error"]) == {"code", "status", "message", "fields", "details"}


def test_decimals_are_documented_as_served_and_as_accepted() -> None:
    schemas = _doc(_app())["components"]["schemas"]
    served = schemas["ThingOut"]["properties"]["share"]
    assert served["type"] == "string" and served["format"] == "decimal"
    assert served["pattern"] == DECIMAL_PATTERN and served["nullable"] is True
    accepted = schemas["ThingIn"]["properties"]["share"]
    assert accepted["anyOf"] == [
        {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN},
        {"type": "number", "minimum": 0, "maximum": 100}]
    assert "type" not in accepted


def test_an_unprotected_service_documents_no_token() -> None:
    doc = _doc(_app(token=None))
    assert "security" not in doc
    assert "401" not in doc["paths"]["/api/v1/things"]["get"]["responses"]
