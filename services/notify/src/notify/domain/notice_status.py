"""A notice's status, derived from its deliveries' states (one rule, used everywhere).

created → queued (deliveries pending) → sent (all pushes accepted, e-mail at least) →
delivered (every push confirmed: webhook 2xx; in-app-only notices are delivered on storage),
or failed: ``permanent`` when a push can never succeed, ``temporary`` while a retry waits.
"""

from __future__ import annotations


def derive(states: list[tuple[str, str | None, str | None]]) -> tuple[str, str | None, str | None]:
    """(status, failure, reason) from each delivery's (state, failure, last_error)."""
    if not states:
        return "delivered", None, None
    for state, failure, error in states:
        if state == "failed" and failure == "permanent":
            return "failed", "permanent", error
    if any(s in ("queued", "sending") for s, _, _ in states):
        return "queued", None, None
    for state, failure, error in states:
        if state == "failed":
            return "failed", failure or "temporary", error
    if all(s == "delivered" for s, _, _ in states):
        return "delivered", None, None
    return "sent", None, None
