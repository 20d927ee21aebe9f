"""OpenAPI documents that tell the truth: the one error shape, the statuses, decimals, 3.0.3.

Every service builds its flask-smorest ``Api`` with ``make_api`` so that its document

* is OpenAPI **3.0.3** (all four services and the gateway's merge): apispec's marshmallow
  rendering, schemathesis and openapi-python-client are most mature there, and only the
  pydantic contracts emit JSON Schema 2020-12 — ``json_schema_to_openapi30`` converts those
  (``nullable`` instead of ``type: null``, no ``propertyNames``/``patternProperties``, ``$defs``
  as components) instead of moving every document to 3.1;
* documents the error body the services really answer, ``{"error": {code, status, message,
  fields, details}}`` (component ``Error``), not flask-smorest's default error schema, and
  lists on every operation the statuses the shared wiring can answer (401 without the
  internal token, 404 for a path naming nothing, 400/413/415 for bodies, 409 for writes
  that can race, 422 for any parameter or body) instead of a catch-all ``default`` that
  makes any status "documented";
* documents decimals as what they are: served as strings (``type: string, format: decimal``
  with a pattern), accepted as such a string or a JSON number.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from apispec import BasePlugin
from flask import Flask
from flask_smorest import Api
from marshmallow import Schema
from marshmallow import fields
from pydantic import BaseModel
from werkzeug.routing import IntegerConverter

OPENAPI_VERSION = "3.0.3"
ERROR_COMPONENT = "Error"
SECURITY_SCHEME = "internalToken"
#: A decimal as the services serve it: plain digits, optional sign and fraction, bounded length.
DECIMAL_PATTERN = r"^-?[0-9]{1,20}(\.[0-9]{1,10})?$"
DECIMAL_STRING: dict[str, Any] = {"type": "string", "format": "decimal",
                                  "pattern": DECIMAL_PATTERN}
_WRITES = ("post", "put", "patch")


class ErrorBodySchema(Schema):
    code = fields.String(required=True, metadata={
        "description": "机器可读的错误码 / Machine-readable code", "example": "validation_error"})
    status = fields.Integer(required=True, metadata={"description": "HTTP 状态码 / HTTP status"})
    message = fields.String(required=True, metadata={
        "description": "中文在前、英文在后 / zh-CN first, English beside it"})
    fields_ = fields.Dict(
        data_key="fields", required=True, keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "出错的字段及原因 / Field path → reasons it was refused"})
    details = fields.Dict(required=True, metadata={
        "description": "结构化补充信息 / Structured extras (e.g. allowed moves)"})


class ErrorSchema(Schema):
    """The one error shape of every service (``yumiao_common.web.errors``)."""

    error = fields.Nested(ErrorBodySchema, required=True)


class _YumiaoApi(Api):  # type: ignore[misc]
    ERROR_SCHEMA = ErrorSchema
    # No catch-all ``default`` response: each operation lists the statuses it answers.
    DEFAULT_ERROR_RESPONSE_NAME = None


class SharedResponses(BasePlugin):  # type: ignore[misc]
    """Documents on every operation the error statuses the shared wiring answers."""

    def __init__(self, *, protected: bool, conflict_on_writes: bool,
                 actor_on_writes: bool = False) -> None:
        self.protected = protected
        self.conflict_on_writes = conflict_on_writes
        self.actor_on_writes = actor_on_writes

    def operation_helper(self, path: str | None = None, operations: dict[str, Any] | None = None,
                         **_: Any) -> None:
        for method, operation in (operations or {}).items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            marked = operation.pop(ACTOR_DOC_MARK, False)
            if marked or (self.actor_on_writes and method in (*_WRITES, "delete")):
                _add_actor_parameter(operation)
            responses = operation.setdefault("responses", {})
            for status, name in self._statuses(path or "", method, operation):
                responses.setdefault(status, name)

    def _statuses(self, path: str, method: str, operation: dict[str, Any]
                  ) -> Iterable[tuple[str, str]]:
        if self.protected:
            yield "401", "UNAUTHORIZED"
        if "{" in path:
            yield "404", "NOT_FOUND"
        body_types = set((operation.get("requestBody") or {}).get("content") or {})
        if method in _WRITES or body_types:
            yield "413", "REQUEST_ENTITY_TOO_LARGE"
        if "application/json" in body_types:
            yield "400", "BAD_REQUEST"  # a body that is not JSON at all
        if body_types - {"application/json"}:
            yield "415", "UNSUPPORTED_MEDIA_TYPE"
        if self.conflict_on_writes and method in (*_WRITES, "delete"):
            yield "409", "CONFLICT"
        if "{" in path or operation.get("parameters") or operation.get("requestBody") \
                or method in _WRITES:
            yield "422", "UNPROCESSABLE_ENTITY"


def make_api(app: Flask, *, protected: bool = True, conflict_on_writes: bool = False,
             actor_on_writes: bool = False) -> Api:
    """The flask-smorest ``Api`` of a service, documenting the real errors in OpenAPI 3.0.3.

    ``protected``: the service sits behind the gateway's internal token (``X-Internal-Token``),
    documented as the security scheme ``internalToken`` and a 401 on every operation.
    ``conflict_on_writes``: every write may answer 409 (a uniqueness or stale-row race).
    ``actor_on_writes``: every write requires ``X-Actor`` (else only routes marked with
    ``documents_actor``); either way a missing one is the 422 of ``web.required_actor``.
    """
    app.config["OPENAPI_VERSION"] = OPENAPI_VERSION
    plugin = SharedResponses(protected=protected, conflict_on_writes=conflict_on_writes,
                             actor_on_writes=actor_on_writes)
    api = _YumiaoApi(app, spec_kwargs={"extra_plugins": [plugin]})
    api.ma_plugin.converter.add_attribute_function(decimal2properties)
    api.register_converter(IntegerConverter, bounded_integer_path)
    if protected:
        api.spec.components.security_scheme(SECURITY_SCHEME, {
            "type": "apiKey", "in": "header", "name": "X-Internal-Token",
            "description": "网关与服务之间的共享密钥 / The secret the gateway sends to services"})
        api.spec.options["security"] = [{SECURITY_SCHEME: []}]
    return api


MAX_PATH_INT = 2**31 - 1  # ids and years: the database's INTEGER


def bounded_integer_path(converter: IntegerConverter) -> dict[str, Any]:
    """An ``<int:…>`` path parameter with its real bounds (an id never exceeds INTEGER)."""
    schema: dict[str, Any] = {"type": "integer", "minimum": max(converter.min or 0, 0),
                              "maximum": converter.max if converter.max is not None
                              else MAX_PATH_INT}
    return schema


def decimal_string(**kw: Any) -> fields.String:
    """A field holding a decimal already rendered as text (e.g. scores): documented as such."""
    metadata = {**DECIMAL_STRING, **kw.pop("metadata", {})}
    metadata.pop("type")
    return fields.String(metadata=metadata, **kw)


def decimal2properties(self: Any, field: fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
    """apispec attribute function: a marshmallow ``Decimal`` as what goes over the wire.

    Served (``as_string``): a decimal string. Accepted (``load_only`` or ``accepts_number``
    in the field's metadata): that string or a JSON number, the bounds on the number.
    """
    if not isinstance(field, fields.Decimal):
        return {}
    if field.load_only or field.metadata.get("accepts_number"):
        number = {"type": "number"}
        for key in ("minimum", "maximum"):
            if key in ret:
                number[key] = ret.pop(key)
        ret.pop("type", None)
        ret.pop("accepts_number", None)
        return {"anyOf": [dict(DECIMAL_STRING), number]}
    if field.as_string:
        ret.pop("minimum", None)
        ret.pop("maximum", None)
        return dict(DECIMAL_STRING)
    return {}


# --- pydantic (JSON Schema 2020-12) → OpenAPI 3.0.3 -------------------------------------------

REF_TEMPLATE = "#/components/schemas/{model}"
_DROPPED = frozenset({"$schema", "$id", "$comment", "propertyNames", "prefixItems",
                      "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
                      "dependentSchemas", "contentMediaType", "contentEncoding", "if", "then",
                      "else", "const", "examples", "patternProperties", "$defs"})


def pydantic_components(model: type[BaseModel], *, mode: str = "validation"
                        ) -> dict[str, dict[str, Any]]:
    """``{"Model": {...}, "Nested": {...}}``: a pydantic model as OpenAPI 3.0.3 components."""
    schema = model.model_json_schema(ref_template=REF_TEMPLATE, mode=mode)  # type: ignore[arg-type]
    defs: dict[str, Any] = schema.pop("$defs", {})
    return {name: json_schema_to_openapi30(part)
            for name, part in {model.__name__: schema, **defs}.items()}


def json_schema_to_openapi30(schema: Any) -> Any:
    """A JSON Schema 2020-12 fragment (as pydantic writes it) as an OpenAPI 3.0.3 Schema."""
    if isinstance(schema, list):
        return [json_schema_to_openapi30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    node = copy.copy(schema)
    for key in ("anyOf", "oneOf"):
        if key in node:
            _collapse_null(node, key)
    if isinstance(node.get("type"), list):
        _type_list(node)
    if "const" in node:
        node["enum"] = [node["const"]]
    if "examples" in node and isinstance(node["examples"], list) and node["examples"]:
        node.setdefault("example", node["examples"][0])
    if "patternProperties" in node and node.get("additionalProperties") is not False:
        patterns = list(node["patternProperties"].values())
        node["additionalProperties"] = patterns[0] if len(patterns) == 1 else {}
    for bound, plain in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(bound), int | float) and not isinstance(node[bound], bool):
            node[plain], node[bound] = node[bound], True
    _mark_decimal_strings(node)
    out = {key: _convert_value(key, value) for key, value in node.items()
           if key not in _DROPPED}
    if out.get("default", 0) is None:
        del out["default"]  # "absent means unknown" needs no default, and 3.0 refs are not null
    if "$ref" in out and len(out) > 1:
        out.pop("default", None)
        out["allOf"] = [{"$ref": out.pop("$ref")}]
    return out


_SCHEMA_MAPS = frozenset({"properties"})
_SCHEMA_VALUES = frozenset({"items", "additionalProperties", "not"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})


def _convert_value(key: str, value: Any) -> Any:
    """Recurse into the keywords that hold schemas; keep every other value as it is."""
    if key in _SCHEMA_MAPS and isinstance(value, dict):
        return {name: json_schema_to_openapi30(sub) for name, sub in value.items()}
    if key in _SCHEMA_VALUES and isinstance(value, dict):
        return json_schema_to_openapi30(value)
    if key in _SCHEMA_LISTS and isinstance(value, list):
        return [json_schema_to_openapi30(sub) for sub in value]
    return value


def _collapse_null(node: dict[str, Any], key: str) -> None:
    branches = [b for b in node[key] if b != {"type": "null"}]
    if len(branches) == len(node[key]):
        return
    node["nullable"] = True
    if len(branches) == 1:
        del node[key]
        only = branches[0]
        if "$ref" in only:
            node["allOf"] = [only]
        else:
            for sub_key, value in only.items():
                node.setdefault(sub_key, value)
    else:
        node[key] = branches


def _type_list(node: dict[str, Any]) -> None:
    types = [t for t in node["type"] if t != "null"]
    if len(types) < len(node["type"]):
        node["nullable"] = True
    if len(types) == 1:
        node["type"] = types[0]
    else:
        del node["type"]
        node["anyOf"] = [{"type": t} for t in types]


def _mark_decimal_strings(node: dict[str, Any]) -> None:
    """pydantic writes a ``Decimal`` input as ``anyOf: [number, string]``: say it is a decimal."""
    branches = node.get("anyOf")
    if not isinstance(branches, list):
        return
    if any(b.get("type") == "number" for b in branches if isinstance(b, dict)):
        for branch in branches:
            if isinstance(branch, dict) and branch.get("type") == "string":
                branch.setdefault("format", "decimal")


#: A vendor key ``documents_actor`` leaves on an operation; the plugin turns it into the header.
ACTOR_DOC_MARK = "x-yumiao-actor-required"
ACTOR_PARAMETER: dict[str, Any] = {
    "in": "header", "name": "X-Actor", "required": True,
    "description": ("操作人（由网关填写；缺少或为空时 422）/ The acting user, set by the gateway "
                    "(422 actor_required when missing or blank)"),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


def documents_actor(blp: Any) -> Any:
    """Document ``X-Actor`` as a required header of one audited write.

    The view reads it with ``yumiao_common.web.required_actor`` (422 naming the header).
    """
    return blp.doc(**{ACTOR_DOC_MARK: True})


def _add_actor_parameter(operation: dict[str, Any]) -> None:
    parameters = operation.setdefault("parameters", [])
    if not any(isinstance(p, dict) and p.get("in") == "header" and p.get("name") == "X-Actor"
               for p in parameters):
        parameters.append(copy.deepcopy(ACTOR_PARAMETER))
