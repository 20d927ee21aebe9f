"""How a channel says a push failed: temporary (retry with back-off) or permanent (park)."""

from __future__ import annotations


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
