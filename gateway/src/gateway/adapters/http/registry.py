"""Typed client for the registry (enterprises, pools, pipeline, imports, exports, reference)."""

from __future__ import annotations

from typing import Any
from typing import TypedDict
from urllib.parse import quote

from gateway.adapters.http.base import ServiceClient

API = "/api/v1"


class EnterpriseSummary(TypedDict, total=False):
    uscc: str
    name: str


def items_of(body: Any) -> list[dict[str, Any]]:
    """List endpoints answer a bare list or ``{"items": [...]}``; accept both."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in ("items", "data", "results", "enterprises"):
            if isinstance(body.get(key), list):
                return list(body[key])
    return []


class RegistryClient(ServiceClient):
    service = "registry"

    def list_enterprises(self, *, limit: int = 20, cursor: str | None = None, **filters: Any
                         ) -> list[EnterpriseSummary]:
        """One page of enterprises in the registry's stable order (``cursor`` from the last)."""
        params = {"limit": limit, **filters}
        if cursor is not None:
            params["cursor"] = cursor
        body = self.json_or_raise(self.request("GET", f"{API}/enterprises", params=params))
        return [EnterpriseSummary(uscc=row["uscc"], name=row.get("name", ""))
                for row in items_of(body) if "uscc" in row]

    def get_enterprise(self, uscc: str) -> dict[str, Any]:
        return dict(self.json_or_raise(self.request("GET", f"{API}/enterprises/{uscc}")))

    def get_profile(self, uscc: str) -> dict[str, Any]:
        """The enterprise's profile in the shared vocabulary (profile.md)."""
        return dict(self.json_or_raise(self.request("GET", f"{API}/enterprises/{uscc}/profile")))

    def overview(self, uscc: str) -> dict[str, Any]:
        """Everything the bureau's enterprise page shows from the registry, in one read: the
        firm, its profile, memberships with their stage histories, audit trail, service
        records, problems, curator and yearly reports (issue 16)."""
        return dict(self.json_or_raise(
            self.request("GET", f"{API}/enterprises/{quote(uscc, safe='')}/overview")))

    def pools(self) -> list[dict[str, Any]]:
        """Every pool with its member count per stage (all pages: a short catalogue)."""
        return self.every_item(f"{API}/pools")

    def reference(self, kind: str) -> Any:
        """Reference lists (towns, industries, tiers)."""
        return self.json_or_raise(self.request("GET", f"{API}/reference/{kind}"))
