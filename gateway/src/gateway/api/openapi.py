"""One OpenAPI document for the whole API: the gateway's own plus every service's, merged.

Each service serves its document at ``/api/v1/openapi.json`` (behind the internal token). The
gateway fetches them with its pooled clients (cached for ``openapi_cache_seconds``), keeps only
the ``/api/v1`` paths it really routes to that service, renames a component only when two
services define the same name differently (``scoring_Enterprise``: no dot, which client
generators would cut off, naming two classes alike), and states the public
security: bearer token, session cookie (+ CSRF header), API key. Each operation lists the
roles that may call it (``x-yumiao-roles``), computed from ``tenancy`` itself so the document
cannot drift from the rules. A service that is down is listed in ``x-yumiao-unavailable``
instead of failing the whole document.

What the gateway adds on the way is documented too, so a generated client and schemathesis
see the truth: the headers the gateway itself sets for services (``X-Actor``,
``X-Internal-Token``) are not the caller's parameters; every operation may answer 401 (bad or
missing credentials), 429 (rate limits) and — when it reaches a service — 502/503/504 (that
service failed, is down or timed out); protected ones 403. The ``/me/...`` operations carry
the request and response schemas of the service operation each one is forwarded to.
"""

from __future__ import annotations

import copy
import re
import time
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from flask import current_app

from gateway.adapters.http import Clients
from gateway.domain.principal import ANONYMOUS
from gateway.domain.principal import Principal
from gateway.domain.tenancy import ME_ROUTES
from gateway.domain.tenancy import authorize
from gateway.domain.tenancy import service_for
from yumiao_common.web.errors import DomainError
from yumiao_common.web.openapi import ERROR_COMPONENT
from yumiao_common.web.openapi import OPENAPI_VERSION
from yumiao_common.web.openapi import ErrorSchema

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
API_PREFIX = "/api/v1/"
ERROR_REF = {"$ref": "#/components/schemas/Error"}
#: Headers the gateway sets itself when it calls a service; callers never send them.
GATEWAY_SET_HEADERS = frozenset({"x-actor", "x-internal-token"})
GATEWAY_ERRORS: dict[str, str] = {
    "401": "未登录，或令牌/密钥/会话无效或已过期 / Not signed in, or the token, key or session "
           "is invalid or expired",
    "403": "当前账户无权执行此操作（角色、企业范围或 CSRF） / This account may not do this "
           "(role, enterprise scope or CSRF token)",
    "429": "请求过于频繁，见 Retry-After / Too many requests; see Retry-After",
}
#: The gateway's own operations that call a service on the way (so can answer 502/504).
GATEWAY_PATHS_CALLING_SERVICES = frozenset({
    API_PREFIX + "eligibility/check", API_PREFIX + "accounts/invitations",
    API_PREFIX + "accounts/invitations/{invitation_id}/resend"})
UPSTREAM_ERRORS: dict[str, str] = {
    "502": "上游服务错误 / The service behind the gateway failed",
    "503": "上游服务暂不可用 / The service behind the gateway is unavailable",
    "504": "上游服务超时 / The service behind the gateway timed out",
}
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


def error_components() -> dict[str, Any]:
    """The shared error shape's schema components, exactly as every service renders them."""
    spec = APISpec("errors", "1", OPENAPI_VERSION, plugins=[MarshmallowPlugin()])
    spec.components.schema(ERROR_COMPONENT, schema=ErrorSchema)
    schemas: dict[str, Any] = spec.to_dict()["components"]["schemas"]
    return schemas


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
                renames[f"#/components/{kind}/{name}"] = f"#/components/{kind}/{service}_{name}"
    doc = _rewrite_refs(doc, renames)
    for kind, entries in doc.get("components", {}).items():
        for name, value in entries.items():
            ref = f"#/components/{kind}/{name}"
            new_name = renames[ref].rsplit("/", 1)[1] if ref in renames else name
            if new_name != name and isinstance(value, dict) and "title" in value:
                value = {**value, "title": new_name}  # generators name classes by title
            target[kind].setdefault(new_name, value)
    return doc


def _sample(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path)


def _annotate(op: dict[str, Any], method: str, sub: str) -> None:
    roles = roles_allowed(method, _sample(sub))
    op["x-yumiao-roles"] = roles
    op["security"] = [] if "anonymous" in roles else DEFAULT_SECURITY
    params = [p for p in op.get("parameters", [])
              if not (p.get("in") == "header" and p.get("name", "").lower() in GATEWAY_SET_HEADERS)]
    if params:
        op["parameters"] = params
    else:
        op.pop("parameters", None)
    _document_gateway_errors(op, upstream=True)
    # A service's own 401 means the gateway's internal token was refused: the caller sees
    # that as a 502; the caller's 401 is always about its own credentials.
    op["responses"]["401"] = _error_response(GATEWAY_ERRORS["401"])


def _document_gateway_errors(op: dict[str, Any], *, upstream: bool) -> None:
    refusals = dict(GATEWAY_ERRORS)
    if not op.get("security"):
        refusals.pop("403")
    _document_errors(op, refusals)
    if upstream:
        _document_errors(op, UPSTREAM_ERRORS)


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def _document_errors(op: dict[str, Any], statuses: dict[str, str]) -> None:
    """Add the statuses the gateway itself can answer (a service's own stay as they are)."""
    responses = op.setdefault("responses", {})
    for status, description in statuses.items():
        responses.setdefault(status, _error_response(description))


def _add_service_paths(merged: dict[str, Any], service: str, doc: dict[str, Any],
                       hidden: dict[str, Any]) -> None:
    """The service's routed paths; an operation nobody may call at its own path (a firm's
    filing, reached only under ``/me``) is kept in ``hidden`` for the ``/me`` route's schemas."""
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
                if not item[method]["x-yumiao-roles"]:
                    hidden.setdefault(path, {})[method] = item.pop(method)
        if any(method in item for method in HTTP_METHODS):
            merged["paths"][path] = item


_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _me_paths(merged: dict[str, Any], hidden: dict[str, Any]) -> None:
    for route in ME_ROUTES:
        sub = route.pattern.pattern.strip("^$")
        names = _GROUP.findall(sub)  # the route's path parameters, in order
        path = API_PREFIX + "me/" + _GROUP.sub(lambda m: "{" + m[1] + "}", sub)
        op: dict[str, Any] = {
            "summary": route.summary, "tags": ["me"], "security": DEFAULT_SECURITY,
            "description": f"转发至 / forwarded to {route.service} "
                           f"/api/v1/{route.template.replace('{uscc}', '<own uscc>')}",
            "x-yumiao-roles": ["enterprise"], "x-yumiao-service": route.service,
            "responses": {"200": {"description": "OK"}},
        }
        target = (_target_operation(merged["paths"], route.method.lower(), route.template)
                  or _target_operation(hidden, route.method.lower(), route.template))
        if target is not None:
            _copy_forwarded(op, target, names)
        for name in names:
            if not any(p.get("in") == "path" and p.get("name") == name
                       for p in op.get("parameters", [])):
                op.setdefault("parameters", []).append(
                    {"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
        op["operationId"] = "me_" + route.method.lower() + "_" + re.sub(
            r"/\{[^}]+\}", "_item", path[len(API_PREFIX) + 3:]).replace("/", "_")
        _document_gateway_errors(op, upstream=True)
        merged["paths"].setdefault(path, {})[route.method.lower()] = op


def _target_operation(paths: dict[str, Any], method: str, template: str
                      ) -> dict[str, Any] | None:
    """The service operation a ``/me`` route forwards to (its path parameters renamed)."""
    wanted = _shape(API_PREFIX + template)
    for path, item in paths.items():
        if _shape(path) == wanted and method in item:
            op: dict[str, Any] = item[method]
            return op
    return None


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _copy_forwarded(op: dict[str, Any], target: dict[str, Any], names: list[str]) -> None:
    """Request and response schemas of the target; its ``uscc`` comes from the token, its
    other path parameters take the ``/me`` route's names, in order."""
    for key in ("requestBody", "responses"):
        if key in target:
            op[key] = copy.deepcopy(target[key])
    op["responses"].pop("401", None)  # the service's 401 is the internal token's
    params = []
    rest = iter(names)
    for param in target.get("parameters", []):
        if param.get("in") == "path":
            if param.get("name") == "uscc":
                continue
            param = {**copy.deepcopy(param), "name": next(rest, param.get("name"))}
        params.append(param)
    if params:
        op["parameters"] = params


def _reuse_evaluate_schema(merged: dict[str, Any]) -> None:
    """The self-check sends its body and ``view``/``tiers`` to scoring's what-if unchanged."""
    evaluate = merged["paths"].get(API_PREFIX + "evaluate", {}).get("post")
    check = merged["paths"].get(API_PREFIX + "eligibility/check", {}).get("post")
    if evaluate and check:
        for key in ("requestBody", "responses", "parameters"):
            if key in evaluate:
                check[key] = copy.deepcopy(evaluate[key])
        check["responses"].pop("403", None)  # open to everyone
        check["responses"].setdefault("415", _error_response(
            "请以 JSON 提交企业画像 / The profile must be sent as application/json"))


SIGNED_IN = ["viewer", "curator", "admin", "enterprise"]
#: Reading the browser session needs its cookie; signing out answers 204 with or without one.
COOKIE_ONLY = frozenset({("get", API_PREFIX + "auth/session")})
ANYONE = frozenset({("delete", API_PREFIX + "auth/session")})
COOKIE_SECURITY: list[dict[str, list[str]]] = [{"cookieAuth": []}]


def _annotate_own(op: dict[str, Any], method: str, path: str) -> None:
    """Who may call one of the gateway's own operations (mirrors ``gateway.frontdoor.gate``)."""
    if (method, path) in COOKIE_ONLY:
        op["security"] = COOKIE_SECURITY
    if (method, path) in ANYONE:
        op["security"] = []
    op.setdefault("security", DEFAULT_SECURITY)
    if path.startswith(API_PREFIX + "accounts"):
        roles = ["admin"]
    elif op["security"] == []:
        roles = ["anonymous", *SIGNED_IN]
    else:
        roles = list(SIGNED_IN)
    op.setdefault("x-yumiao-roles", roles)


def _name_operations(merged: dict[str, Any]) -> None:
    """A unique ``operationId`` on every operation: what a client generator names methods by."""
    taken: set[str] = set()
    for path, item in merged["paths"].items():
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            name = op.get("operationId") or _operation_id(method, path)
            candidate, n = name, 1
            while candidate in taken:
                n += 1
                candidate = f"{name}_{n}"
            op["operationId"] = candidate
            taken.add(candidate)


def _operation_id(method: str, path: str) -> str:
    """``GET /api/v1/enterprises/{uscc}/profile`` → ``get_enterprises_by_uscc_profile``."""
    sub = path[len(API_PREFIX):] if path.startswith(API_PREFIX) else path.strip("/")
    words = re.sub(r"\{([^}]+)\}", r"by_\1", sub).replace(".", "_").split("/")
    return re.sub(r"[^A-Za-z0-9_]", "_", "_".join([method, *filter(None, words)]))


def merge_documents(gateway_doc: dict[str, Any], services: dict[str, dict[str, Any] | None]
                    ) -> dict[str, Any]:
    """The aggregated document: gateway first, then each service's routed paths."""
    merged = copy.deepcopy(gateway_doc)
    merged["openapi"] = OPENAPI_VERSION
    merged["info"] = {
        "title": "育苗 Yumiao API", "version": "v1",
        "description": "区科技局企业培育库 / District enterprise cultivation registry",
    }
    merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    components.setdefault("securitySchemes", {}).update(SECURITY_SCHEMES)
    # The gateway answers the one error shape too (flask-smorest's default schema is not it).
    components.setdefault("schemas", {}).update(error_components())
    merged["security"] = DEFAULT_SECURITY
    for path, item in merged["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                _annotate_own(item[method], method, path)
                # No catch-all: every status an operation answers is listed.
                item[method].get("responses", {}).pop("default", None)
                _document_gateway_errors(item[method],
                                         upstream=path in GATEWAY_PATHS_CALLING_SERVICES)
    tags = {tag["name"]: tag for tag in merged.get("tags", [])}
    unavailable = []
    hidden: dict[str, Any] = {}
    for service, doc in services.items():
        if doc is None:
            unavailable.append(service)
            continue
        doc = _merge_components(components, service, copy.deepcopy(doc))
        _add_service_paths(merged, service, doc, hidden)
        for tag in doc.get("tags", []):
            tags.setdefault(tag["name"], tag)
    _me_paths(merged, hidden)
    _reuse_evaluate_schema(merged)
    _name_operations(merged)
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
