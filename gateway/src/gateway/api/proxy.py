"""Forwarding ``/api/v1/...`` to the owning service and turning its answer into ours.

The body is forwarded as bytes (never parsed and re-serialised: cheaper, and the service stays
the one that validates it); a multipart upload (an import, a firm's evidence file) crosses
byte for byte with its boundary in ``Content-Type``, bounded by the shared
``max_content_length`` before anything reads it (the service applies its own, smaller limit).
Only end-to-end headers the API uses cross in either direction;
hop-by-hop headers, cookies and the caller's own credentials never reach a service. An
upstream error in the shared shape passes through unchanged; anything else from a failing
service (HTML 500, wrong token, garbage) becomes a 502 in the shared shape.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import requests
from flask import Blueprint
from flask import Response
from flask import request
from werkzeug.exceptions import MethodNotAllowed

from gateway.adapters.http import clients
from gateway.adapters.http.base import UpstreamError
from gateway.domain.personal_data import mask_contact_document
from gateway.domain.personal_data import masks_contacts
from gateway.domain.tenancy import authorize
from gateway.domain.tenancy import resolve_me
from gateway.domain.tenancy import service_for
from gateway.domain.tenancy import split_path
from gateway.frontdoor.credentials import current_principal
from gateway.frontdoor.credentials import settings
from gateway.frontdoor.gate import own_methods

REQUEST_HEADERS = ("Content-Type", "Accept", "Accept-Language", "If-Match", "If-None-Match",
                   "Idempotency-Key")
RESPONSE_HEADERS = ("Content-Type", "ETag", "Location", "Content-Disposition", "Retry-After",
                    "X-Pagination", "Link", "X-Total-Count", "Cache-Control", "Allow",
                    "X-Content-Type-Options")
BULK_AREAS = frozenset({"imports", "exports", "reevaluations"})
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
STREAM_CHUNK = 64 * 1024

blp = Blueprint("proxy", __name__)


def forward(service: str, path: str) -> Response:
    """Send the current request to ``service`` at ``/api/v1/<path>``; return its answer."""
    client = clients().by_name(service)
    upstream_path = "/api/v1/" + "/".join(quote(seg, safe="") for seg in split_path(path))
    area = path.split("/", 1)[0]
    timeout = settings().bulk_read_timeout_seconds if area in BULK_AREAS else None
    headers = {name: request.headers[name] for name in REQUEST_HEADERS if name in request.headers}
    response = client.request(
        request.method, upstream_path, params=request.query_string or None,
        data=request.get_data() or None, headers=headers, timeout=timeout,
        stream=request.method == "GET",
    )
    return to_flask_response(service, response)


def to_flask_response(service: str, upstream: requests.Response) -> Response:
    # A 401 from a service means *our* internal token was refused: a gateway fault, never
    # "please sign in" to the user. A 5xx passes through only when already in our shape.
    status = upstream.status_code
    if status == 401 or (status >= 500 and not _is_error_shape(upstream)):
        upstream.close()
        raise UpstreamError(
            f"{service} 返回错误 / {service} failed",
            details={"service": service, "upstream_status": status},
        )
    if status == 200 and "Content-Disposition" in upstream.headers:
        # A file (an evidence upload, an export) streams through in chunks as it arrives
        # instead of being held whole in the worker; its connection closes with the answer.
        response = Response(upstream.iter_content(STREAM_CHUNK), status=status)
        response.call_on_close(upstream.close)
        length = upstream.headers.get("Content-Length", "")
        if length.isdigit() and "Content-Encoding" not in upstream.headers:
            response.headers["Content-Length"] = length
    else:
        response = Response(upstream.content, status=status)
        upstream.close()
    for name in RESPONSE_HEADERS:
        if name in upstream.headers:
            response.headers[name] = upstream.headers[name]
    if "Content-Disposition" in upstream.headers:
        # A file (an evidence upload a firm sent, an export): the browser must take the type
        # the service sniffed, never guess one from the bytes.
        response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _is_error_shape(upstream: requests.Response) -> bool:
    if "json" not in upstream.headers.get("Content-Type", ""):
        return False
    try:
        body = upstream.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("error"), dict)


@blp.route("/api/v1/me/<path:subpath>", methods=ALL_METHODS)
def me_forward(subpath: str) -> Response:
    """An enterprise's own data: the uscc comes from its token, never from the request."""
    own = own_methods()
    if own:  # one of the gateway's own /me paths (/me/sign-ins), another method
        raise MethodNotAllowed(valid_methods=sorted(own))
    service, path = resolve_me(current_principal(), request.method, subpath)
    return forward(service, path)


@blp.route("/api/v1/<path:path>", methods=ALL_METHODS)
def api_forward(path: str) -> Response:
    """Every other ``/api/v1`` path: route by DEVELOPING.md's table, authorize, forward."""
    own = own_methods()
    if own:  # one of the gateway's own paths (/auth/…, /me, /accounts/…), another method
        raise MethodNotAllowed(valid_methods=sorted(own))
    service = service_for(path)
    principal = current_principal()
    authorize(principal, request.method, path)
    response = forward(service, path)
    if masks_contacts(principal, path):
        return _masked(response)
    return response


def _masked(response: Response) -> Response:
    """The contacts answer with personal data masked (a viewer's read); errors pass as they are."""
    if response.status_code != 200 or not response.is_json:
        return response
    body = json.dumps(mask_contact_document(response.get_json()), ensure_ascii=False)
    response.set_data(body.encode())
    return response
