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


#: GET operations that answer an aggregate document, not a list of records, and so do not
#: page (DEVELOPING.md, "Pagination", says why in one sentence each). Keyed by path suffix
#: so the gateway's merged document (and its ``/me/…`` rewrites) match too.
AGGREGATES = {
    "/statistics/certifications": "counts per tier and group on one date",
    "/statistics/stages": "counts per pool, stage and group on one date",
    "/statistics/financials": "sums per fiscal year and group",
    "/statistics/cohorts": "counts per admission year and following year",
    "/enterprises/{uscc}/policies": "one firm's match against the policy catalogue",
    "/me/policies": "the signed-in firm's match against the policy catalogue",
}


def _json_2xx(doc: dict[str, Any], operation: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for status, response in operation.get("responses", {}).items():
        if not status.startswith("2"):
            continue
        if "$ref" in response:
            response = doc["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
        for media, content in (response.get("content") or {}).items():
            if media.startswith("application/json") and "schema" in content:
                yield _resolve(doc, content["schema"])


def unpaged_lists(doc: dict[str, Any]) -> list[str]:
    """Every GET that answers a list outside the one pagination dialect, with why.

    A list is a top-level JSON array, or an object carrying an ``items`` array; it must be
    ``{"items", "next_cursor", "total"}`` and take ``limit`` (1–200) and ``cursor``.
    """
    found: list[str] = []
    for path, item in doc["paths"].items():
        operation = item.get("get")
        if operation is None or path.endswith(tuple(AGGREGATES)):
            continue
        params = {p.get("name"): p for p in [*item.get("parameters", []),
                                              *operation.get("parameters", [])]
                  if p.get("in") == "query"}
        for schema in _json_2xx(doc, operation):
            props = schema.get("properties") or {}
            if schema.get("type") == "array":
                found.append(f"GET {path}: answers a bare JSON array")
            elif "items" in props and _resolve(doc, props["items"]).get("type") == "array":
                missing = [k for k in ("next_cursor", "total") if k not in props]
                limit = (params.get("limit") or {}).get("schema") or {}
                if missing:
                    found.append(f"GET {path}: a list without {', '.join(missing)}")
                if (limit.get("minimum"), limit.get("maximum")) != (1, 200):
                    found.append(f"GET {path}: a list without limit 1–200")
                if "cursor" not in params:
                    found.append(f"GET {path}: a list without cursor")
    return found
