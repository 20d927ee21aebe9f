"""Signed webhooks: JSON POST with HMAC-SHA256 over ``timestamp + "." + body``.

Headers: ``X-Yumiao-Timestamp`` (Unix seconds), ``X-Yumiao-Signature`` (``sha256=<hex>``),
``X-Yumiao-Delivery`` and ``Idempotency-Key`` (the delivery id, identical on every retry).
A receiver verifies with :func:`verify`: recompute the HMAC in constant time (forgeries fail),
refuse timestamps outside a tolerance (old captures fail) and remember delivery ids it has
seen within that tolerance (an exact replay fails, and so does our own rare resend after a
crash — it is the same delivery).

2xx is delivered; 408, 425, 429, 5xx and network errors are temporary; any other status
(401, 404, 410, 422, …) is the receiver saying no, and is permanent.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from collections.abc import MutableMapping

import requests

from notify.channels.errors import DeliveryFailed

TIMESTAMP = "X-Yumiao-Timestamp"
SIGNATURE = "X-Yumiao-Signature"
DELIVERY = "X-Yumiao-Delivery"
IDEMPOTENCY = "Idempotency-Key"
TOLERANCE_SECONDS = 300
_TEMPORARY = {408, 425, 429}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(secret: str, body: bytes, delivery_id: str,
                   now: float | None = None) -> dict[str, str]:
    timestamp = str(int(now if now is not None else time.time()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        TIMESTAMP: timestamp,
        SIGNATURE: sign(secret, timestamp, body),
        DELIVERY: delivery_id,
        IDEMPOTENCY: delivery_id,
    }


class Rejected(Exception):
    """Why a receiver refuses a request (forged, stale or replayed)."""


def verify(secret: str, headers: Mapping[str, str], body: bytes, *,
           seen: MutableMapping[str, float] | None = None, now: float | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> str:
    """Receiver side: return the delivery id, or raise :class:`Rejected`."""
    now = now if now is not None else time.time()
    timestamp, signature = headers.get(TIMESTAMP, ""), headers.get(SIGNATURE, "")
    if not timestamp.isdigit():
        raise Rejected("missing or malformed timestamp")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        raise Rejected("bad signature")
    if abs(now - int(timestamp)) > tolerance:
        raise Rejected("timestamp outside tolerance")
    delivery = headers.get(DELIVERY, "")
    if seen is not None:
        for key in [k for k, at in seen.items() if now - at > 2 * tolerance]:
            del seen[key]
        if delivery in seen:
            raise Rejected("replayed delivery")
        seen[delivery] = now
    return delivery


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    return request


class WebhookChannel:
    """One pooled keep-alive ``requests.Session`` per sender thread."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.http = requests.Session()
        # Never send ~/.netrc credentials to an enterprise's endpoint; it also spares a netrc
        # file lookup per request (~10% of a push). Proxy variables are still honoured.
        self.http.auth = _no_auth

    def send(self, *, url: str, secret: str, body: bytes, delivery_id: str) -> None:
        headers = signed_headers(secret, body, delivery_id)
        try:
            resp = self.http.post(url, data=body, headers=headers, timeout=self.timeout,
                                  allow_redirects=False)
        except requests.RequestException as exc:
            raise DeliveryFailed(f"webhook unreachable: {type(exc).__name__}",
                                 permanent=False) from exc
        if 200 <= resp.status_code < 300:
            return
        temporary = resp.status_code >= 500 or resp.status_code in _TEMPORARY
        raise DeliveryFailed(f"webhook HTTP {resp.status_code}", permanent=not temporary)

    def close(self) -> None:
        self.http.close()
