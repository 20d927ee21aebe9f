"""Typed client for scoring: what-if evaluation and stored evaluations (rankings: web.upstream)."""

from __future__ import annotations

from typing import Any

import requests

from gateway.adapters.http.base import ServiceClient

API = "/api/v1"


class ScoringClient(ServiceClient):
    service = "scoring"

    def evaluate_raw(self, body: bytes, *, content_type: str = "application/json",
                     params: dict[str, str] | None = None) -> requests.Response:
        """POST a profile to ``/evaluate`` as-is; it stores nothing, so retrying is safe."""
        return self.request("POST", f"{API}/evaluate", data=body, params=params,
                            headers={"Content-Type": content_type}, idempotent=True)

    def evaluate(self, profile: dict[str, Any], *, view: str = "full") -> dict[str, Any]:
        """What-if evaluation of a profile (profile.md) — every tier's verdict and gaps.

        ``view="summary"`` lists only failing and unknown criteria (with gaps and next steps):
        half the bytes, for the self-check and phones.
        """
        response = self.request("POST", f"{API}/evaluate", json=profile, params={"view": view},
                                idempotent=True)
        return dict(self.json_or_raise(response))

    def evaluations(self, uscc: str, **params: Any) -> Any:
        return self.json_or_raise(
            self.request("GET", f"{API}/enterprises/{uscc}/evaluations", params=params))
