"""Signed webhooks: JSON POST with HMAC-SHA256 over ``timestamp + "." + body``.

Headers: ``X-Yumiao-Timestamp`` (Unix seconds), ``X-Yumiao-Signature`` (``sha256=<hex>``),
``X-Yumiao-Delivery`` and ``Idempotency-Key`` (the delivery id, identical on every retry).
A receiver verifies with :func:`verify`: recompute the HMAC in constant time (forgeries fail),
refuse timestamps outside a tolerance (old captures fail) and remember delivery ids it has
seen within that tolerance (an exact replay fails, and so does our own rare resend after a
crash — it is the same delivery).

2xx is delivered; 408, 425, 429, 5xx and network errors are temporary; any other status
(401, 404, 410, 422, …, and redirects, which are never followed) is the receiver saying no,
and is permanent. Where a webhook may point, and how the connection is pinned to the address
checked, is ``notify.adapters.channels.egress``; what the enterprise reads of a failure is coarse
(``notify.adapters.channels.errors``).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict
from collections.abc import Mapping
from collections.abc import MutableMapping

import certifi
import urllib3
from urllib3 import HTTPConnectionPool
from urllib3 import HTTPSConnectionPool

from notify.adapters.channels.egress import Address
from notify.adapters.channels.egress import EgressPolicy
from notify.adapters.channels.egress import Resolver
from notify.adapters.channels.egress import Target
from notify.adapters.channels.egress import TargetRefused
from notify.adapters.channels.egress import Unresolvable
from notify.adapters.channels.egress import parse_target
from notify.adapters.channels.egress import resolve
from notify.adapters.channels.egress import system_resolver
from notify.adapters.channels.errors import NOT_ALLOWED
from notify.adapters.channels.errors import REFUSED
from notify.adapters.channels.errors import TIMED_OUT
from notify.adapters.channels.errors import UNREACHABLE
from notify.adapters.channels.errors import DeliveryFailed

TIMESTAMP = "X-Yumiao-Timestamp"
SIGNATURE = "X-Yumiao-Signature"
DELIVERY = "X-Yumiao-Delivery"
IDEMPOTENCY = "Idempotency-Key"
TOLERANCE_SECONDS = 300
_TEMPORARY = {408, 425, 429}
_KEEP_BODY_BYTES = 64 * 1024
_MAX_POOLS = 64


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


def _finish(response: urllib3.BaseHTTPResponse) -> None:
    """Keep the connection for the next push only when the answer is small and delimited.

    The body is never read for its content; a large or endless one is not read at all.
    """
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) <= _KEEP_BODY_BYTES:
        response.drain_conn()
    else:
        response.close()
    response.release_conn()


class WebhookChannel:
    """Pushes signed webhooks over connections pinned to the address that was checked.

    Per push: parse and check the stored URL again (settings may have tightened since it was
    saved), resolve the name once, check every answer, then POST to that IP with the name in
    ``Host`` (and as TLS SNI and certificate name for https). No proxy, no redirects, no
    retries inside urllib3 (the sender's retry queues do that), no netrc credentials.
    One channel per sender thread; its keep-alive pools are keyed by the pinned address.
    """

    def __init__(self, timeout: float, policy: EgressPolicy | None = None,
                 resolver: Resolver = system_resolver, ca_certs: str | None = None) -> None:
        self.timeout = urllib3.Timeout(connect=timeout, read=timeout)
        self.policy = policy or EgressPolicy()
        self.resolver = resolver
        self.ca_certs = ca_certs or certifi.where()  #: trusted CAs (the public ones by default)
        self._pools: OrderedDict[tuple[str, str, int, str], HTTPConnectionPool] = OrderedDict()

    def send(self, *, url: str, secret: str, body: bytes, delivery_id: str) -> None:
        try:
            target = parse_target(url, self.policy)
            address = resolve(target, self.policy, self.resolver)
        except TargetRefused as exc:
            raise DeliveryFailed(NOT_ALLOWED, permanent=True, detail=str(exc)) from exc
        except Unresolvable as exc:
            raise DeliveryFailed(UNREACHABLE, permanent=False, detail=str(exc)) from exc
        headers = signed_headers(secret, body, delivery_id) | {"Host": target.host_header}
        try:
            response = self._pool(target, address).urlopen(
                "POST", target.path, body=body, headers=headers, redirect=False, retries=False,
                assert_same_host=False, preload_content=False)
        except urllib3.exceptions.NewConnectionError as exc:  # refused (a TimeoutError subclass)
            raise DeliveryFailed(UNREACHABLE, permanent=False,
                                 detail=f"{address}: {type(exc).__name__}") from exc
        except urllib3.exceptions.TimeoutError as exc:
            raise DeliveryFailed(TIMED_OUT, permanent=False,
                                 detail=f"{address}: {type(exc).__name__}") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise DeliveryFailed(UNREACHABLE, permanent=False,
                                 detail=f"{address}: {type(exc).__name__}") from exc
        status = response.status
        _finish(response)
        if 200 <= status < 300:
            return
        temporary = status >= 500 or status in _TEMPORARY
        raise DeliveryFailed(REFUSED, permanent=not temporary, detail=f"{address}: HTTP {status}")

    def _pool(self, target: Target, address: Address) -> HTTPConnectionPool:
        key = (target.scheme, str(address), target.port, target.host)
        pool = self._pools.get(key)
        if pool is not None:
            self._pools.move_to_end(key)
            return pool
        if target.scheme == "https":
            name = None if target.literal is not None else target.host
            pool = HTTPSConnectionPool(
                str(address), target.port, timeout=self.timeout, maxsize=1, retries=False,
                cert_reqs="CERT_REQUIRED", ca_certs=self.ca_certs, server_hostname=name,
                assert_hostname=name)
        else:
            pool = HTTPConnectionPool(str(address), target.port, timeout=self.timeout,
                                      maxsize=1, retries=False)
        self._pools[key] = pool
        while len(self._pools) > _MAX_POOLS:
            self._pools.popitem(last=False)[1].close()
        return pool

    def close(self) -> None:
        while self._pools:
            self._pools.popitem()[1].close()
