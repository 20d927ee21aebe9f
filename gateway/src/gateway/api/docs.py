"""The aggregated OpenAPI document and a docs page that needs no CDN and no JavaScript.

No Swagger UI bundle ships with this repository, so ``/api/docs`` is server-rendered from the
same merged document: every operation grouped by tag, with its method, path, summary, the
roles that may call it and whether it needs sign-in.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import render_template

from gateway.api.openapi import HTTP_METHODS
from gateway.api.openapi import aggregated_document

blp = Blueprint("docs", __name__)


@blp.get("/api/v1/openapi.json")
def openapi_json() -> Response:
    return jsonify(aggregated_document())


def _operations(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for path, item in sorted(doc.get("paths", {}).items()):
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            tag = (op.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "roles": op.get("x-yumiao-roles"), "public": op.get("security") == [],
                "service": op.get("x-yumiao-service", "gateway"),
            })
    return groups


@blp.get("/api/docs")
def docs_page() -> str:
    doc = aggregated_document()
    return render_template("api_docs.html", doc=doc, groups=_operations(doc))
