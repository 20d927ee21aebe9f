"""Walk an OpenAPI 3.0 document: the numeric inputs of every operation, with their bounds.

Shared by the services' document tests: every integer or number a client can send (path,
query, header or body, through ``$ref``, ``allOf``/``anyOf``/``items``/``additionalProperties``)
must say its ``minimum`` and ``maximum``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch")


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = doc["components"]["schemas"][name]
    return schema


def _numbers(doc: dict[str, Any], schema: Any, where: str, seen: set[str]
             ) -> Iterator[tuple[str, dict[str, Any]]]:
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        if schema["$ref"] in seen:
            return
        seen = seen | {schema["$ref"]}
        yield from _numbers(doc, _resolve(doc, schema), where, seen)
        return
    if schema.get("readOnly"):
        return
    if schema.get("type") in ("integer", "number"):
        yield where, schema
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, ()):
            yield from _numbers(doc, sub, where, seen)
    for name, sub in (schema.get("properties") or {}).items():
        yield from _numbers(doc, sub, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties"):
        yield from _numbers(doc, schema.get(key), f"{where}[]", seen)


def numeric_inputs(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``("POST /path body.field", schema)`` for every numeric input of every operation."""
    for path, item in doc["paths"].items():
        shared = item.get("parameters", [])
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            label = f"{method.upper()} {path}"
            for param in [*shared, *operation.get("parameters", [])]:
                yield from _numbers(doc, param.get("schema"), f"{label} {param['in']}."
                                                             f"{param['name']}", set())
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                yield from _numbers(doc, media.get("schema"), f"{label} body", set())


def unbounded_numeric_inputs(doc: dict[str, Any]) -> list[str]:
    return sorted({where for where, schema in numeric_inputs(doc)
                   if "minimum" not in schema or "maximum" not in schema})
