"""One OpenAPI document for the whole API: the gateway's own plus every service's, merged.

Each service serves its document at ``/api/v1/openapi.json`` (behind the internal token). The
gateway fetches them with its pooled clients (cached for ``openapi_cache_seconds``), keeps only
the ``/api/v1`` paths it really routes to that service, renames a component only when two
services define the same name differently (``registry.Error``), and states the public
security: bearer token, session cookie (+ CSRF header), API key. Each operation lists the
roles that may call it (``x-yumiao-roles``), computed from ``tenancy`` itself so the document
cannot drift from the rules. A service that is down is listed in ``x-yumiao-unavailable``
instead of failing the whole document.
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from flask import Flask
from flask import current_app

from gateway.clients import Clients
from gateway.principal import ANONYMOUS
from gateway.principal import Principal
from gateway.tenancy import ME_ROUTES
from gateway.tenancy import authorize
from gateway.tenancy import service_for
from yumiao_common.http_errors import DomainError

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
API_PREFIX = "/api/v1/"
SECURITY_SCHEMES: dict[str, Any] = {
    "bearerAuth": {"type": "http", "scheme": "bearer",
                   "description": "POST /api/v1/auth/login 获得 / from POST /api/v1/auth/login"},
    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "yumiao_session",
                   "description": "浏览器会话；非安全方法须带 X-CSRF-Token / browser session; "
                                  "unsafe methods need the X-CSRF-Token header"},
    "apiKeyAuth": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                   "description": "机器客户端 / machine clients"},
}
DEFAULT_SECURITY: list[dict[str, list[str]]] = [
    {"bearerAuth": []}, {"cookieAuth": []}, {"apiKeyAuth": []},
]
SAMPLE_PRINCIPALS = {
    "anonymous": ANONYMOUS,
    "viewer": Principal("user", "viewer", "viewer"),
    "curator": Principal("user", "curator", "curator"),
    "admin": Principal("user", "admin", "admin"),
    "enterprise": Principal("enterprise", "x", "enterprise", "x"),
}


def roles_allowed(method: str, path: str) -> list[str]:
    """Which sample principals ``tenancy.authorize`` lets through (path after /api/v1/)."""
    allowed = []
    for name, principal in SAMPLE_PRINCIPALS.items():
        try:
            authorize(principal, method.upper(), path)
        except DomainError:
            continue
        allowed.append(name)
    return allowed


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in renames:
                out[key] = renames[value]
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _merge_components(target: dict[str, Any], service: str, doc: dict[str, Any]) -> dict[str, Any]:
    """Add ``doc``'s components to ``target``; returns ``doc`` with refs to renamed ones fixed."""
    renames: dict[str, str] = {}
    doc.get("components", {}).pop("securitySchemes", None)  # services' own: internal token
    for kind, entries in doc.get("components", {}).items():
        existing = target.setdefault(kind, {})
        for name, value in entries.items():
            if name in existing and existing[name] != value:
                renames[f"#/components/{kind}/{name}"] = f"#/components/{kind}/{service}.{name}"
    doc = _rewrite_refs(doc, renames)
    for kind, entries in doc.get("components", {}).items():
        for name, value in entries.items():
            ref = f"#/components/{kind}/{name}"
            new_name = renames[ref].rsplit("/", 1)[1] if ref in renames else name
            target[kind].setdefault(new_name, value)
    return doc


def _sample(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def _annotate(op: dict[str, Any], method: str, sub: str) -> None:
    roles = roles_allowed(method, _sample(sub))
    op["x-yumiao-roles"] = roles
    op["security"] = [] if "anonymous" in roles else DEFAULT_SECURITY


def _add_service_paths(merged: dict[str, Any], service: str, doc: dict[str, Any]) -> None:
    for path, item in doc.get("paths", {}).items():
        sub = path[len(API_PREFIX):] if path.startswith(API_PREFIX) else None
        if not sub or path in merged["paths"] or sub.startswith("openapi"):
            continue
        try:
            if service_for(_sample(sub)) != service:
                continue
        except DomainError:
            continue
        for method in HTTP_METHODS:
            if method in item:
                item[method]["x-yumiao-service"] = service
                item[method].setdefault("tags", [service])
                _annotate(item[method], method, sub)
        merged["paths"][path] = item


def _me_paths(merged: dict[str, Any]) -> None:
    for route in ME_ROUTES:
        path = API_PREFIX + "me/" + route.pattern.pattern.strip("^$").replace(
            "(?P<id>[A-Za-z0-9_-]{1,64})", "{id}")
        op: dict[str, Any] = {
            "summary": route.summary, "tags": ["me"], "security": DEFAULT_SECURITY,
            "description": f"转发至 / forwarded to {route.service} "
                           f"/api/v1/{route.template.replace('{uscc}', '<own uscc>')}",
            "x-yumiao-roles": ["enterprise"], "x-yumiao-service": route.service,
            "responses": {"200": {"description": "OK"}},
        }
        if "{id}" in path:
            op["parameters"] = [{"name": "id", "in": "path", "required": True,
                                 "schema": {"type": "string"}}]
        merged["paths"].setdefault(path, {})[route.method.lower()] = op


def _reuse_evaluate_schema(merged: dict[str, Any]) -> None:
    evaluate = merged["paths"].get(API_PREFIX + "evaluate", {}).get("post")
    check = merged["paths"].get(API_PREFIX + "eligibility/check", {}).get("post")
    if evaluate and check:
        for key in ("requestBody", "responses"):
            if key in evaluate:
                check[key] = copy.deepcopy(evaluate[key])


def merge_documents(gateway_doc: dict[str, Any], services: dict[str, dict[str, Any] | None]
                    ) -> dict[str, Any]:
    """The aggregated document: gateway first, then each service's routed paths."""
    merged = copy.deepcopy(gateway_doc)
    merged["info"] = {
        "title": "育苗 Yumiao API", "version": "v1",
        "description": "区科技局企业培育库 / District enterprise cultivation registry",
    }
    merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    merged["security"] = DEFAULT_SECURITY
    for item in merged["paths"].values():
        for method in HTTP_METHODS:
            if method in item and "security" not in item[method]:
                item[method]["security"] = DEFAULT_SECURITY
    tags = {tag["name"]: tag for tag in merged.get("tags", [])}
    unavailable = []
    for service, doc in services.items():
        if doc is None:
            unavailable.append(service)
            continue
        doc = _merge_components(components, service, copy.deepcopy(doc))
        _add_service_paths(merged, service, doc)
        for tag in doc.get("tags", []):
            tags.setdefault(tag["name"], tag)
    _me_paths(merged)
    _reuse_evaluate_schema(merged)
    merged["tags"] = list(tags.values())
    merged["x-yumiao-unavailable"] = unavailable
    return merged


def fetch_documents(clients: Clients) -> dict[str, dict[str, Any] | None]:
    docs: dict[str, dict[str, Any] | None] = {}
    for client in clients.all():
        try:
            response = client.request("GET", "/api/v1/openapi.json", actor="system:gateway")
            docs[client.service] = response.json() if response.ok else None
        except (DomainError, ValueError):
            docs[client.service] = None
    return docs


def aggregated_document(app: Flask | None = None) -> dict[str, Any]:
    """The merged document, cached; a service that was down is retried on the next call."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cache = app.extensions.setdefault("gateway.openapi_cache", {})
    ttl = app.extensions["gateway.settings"].openapi_cache_seconds
    if cache.get("doc") is not None and time.monotonic() - cache["at"] < ttl:
        doc: dict[str, Any] = cache["doc"]
        return doc
    gateway_doc = app.extensions["gateway.api"].spec.to_dict()
    doc = merge_documents(gateway_doc, fetch_documents(app.extensions["gateway.clients"]))
    if not doc["x-yumiao-unavailable"]:
        cache.update(doc=doc, at=time.monotonic())
    return doc
