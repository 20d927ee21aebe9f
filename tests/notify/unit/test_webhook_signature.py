"""Webhook signatures: a receiver accepts ours and rejects forgeries, stale and replayed ones."""

from __future__ import annotations

import pytest

from notify.adapters.channels.webhook import DELIVERY
from notify.adapters.channels.webhook import SIGNATURE
from notify.adapters.channels.webhook import TIMESTAMP
from notify.adapters.channels.webhook import Rejected
from notify.adapters.channels.webhook import signed_headers
from notify.adapters.channels.webhook import verify

SECRET = "s3cret-s3cret-s3cret"
BODY = '{"notice":"高企减按15%"}'.encode()
NOW = 1_800_000_000.0


def test_a_genuine_request_verifies_and_yields_the_delivery_id() -> None:
    headers = signed_headers(SECRET, BODY, "d-1", now=NOW)
    assert verify(SECRET, headers, BODY, now=NOW + 5) == "d-1"


@pytest.mark.parametrize(("mutate", "why"), [
    (lambda h, b: (h, b + b" "), "bad signature"),                          # body changed
    (lambda h, b: (h | {SIGNATURE: "sha256=" + "0" * 64}, b), "bad signature"),
    (lambda h, b: (h | {TIMESTAMP: str(int(NOW) + 1)}, b), "bad signature"),  # ts swapped
    (lambda h, b: ({k: v for k, v in h.items() if k != TIMESTAMP}, b), "timestamp"),
])
def test_forgeries_are_rejected(mutate, why: str) -> None:  # type: ignore[no-untyped-def]
    headers, body = mutate(signed_headers(SECRET, BODY, "d-1", now=NOW), BODY)
    with pytest.raises(Rejected, match=why):
        verify(SECRET, headers, body, now=NOW)


def test_a_wrong_secret_is_a_forgery() -> None:
    headers = signed_headers("another-secret-value", BODY, "d-1", now=NOW)
    with pytest.raises(Rejected, match="bad signature"):
        verify(SECRET, headers, BODY, now=NOW)


def test_an_old_capture_is_rejected_as_stale() -> None:
    headers = signed_headers(SECRET, BODY, "d-1", now=NOW - 3600)
    with pytest.raises(Rejected, match="tolerance"):
        verify(SECRET, headers, BODY, now=NOW)


def test_an_exact_replay_is_rejected_by_the_seen_set() -> None:
    seen: dict[str, float] = {}
    headers = signed_headers(SECRET, BODY, "d-1", now=NOW)
    verify(SECRET, headers, BODY, seen=seen, now=NOW)
    with pytest.raises(Rejected, match="replayed"):
        verify(SECRET, headers, BODY, seen=seen, now=NOW + 1)
    assert headers[DELIVERY] == headers["Idempotency-Key"]
