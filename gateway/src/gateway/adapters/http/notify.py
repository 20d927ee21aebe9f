"""Typed client for notify (policies, notices and preferences per enterprise, and the
account messages: invitation links and reset links or codes, sent by notify's sender)."""

from __future__ import annotations

from typing import Any

from gateway.adapters.http.base import ServiceClient

API = "/api/v1"


class NotifyClient(ServiceClient):
    service = "notify"

    def notices(self, uscc: str, **params: Any) -> Any:
        return self.json_or_raise(
            self.request("GET", f"{API}/enterprises/{uscc}/notices", params=params))

    def mark_read(self, uscc: str, notice_id: str, *, read: bool = True) -> Any:
        """Mark one of ``uscc``'s notices read (or unread); notify checks it is theirs."""
        return self.json_or_raise(self.request(
            "PATCH", f"{API}/enterprises/{uscc}/notices/{notice_id}", json={"read": read}))

    def preferences(self, uscc: str) -> dict[str, Any]:
        return dict(self.json_or_raise(
            self.request("GET", f"{API}/enterprises/{uscc}/preferences")))

    def put_preferences(self, uscc: str, preferences: dict[str, Any]) -> dict[str, Any]:
        response = self.request("PUT", f"{API}/enterprises/{uscc}/preferences",
                                json=preferences)
        return dict(self.json_or_raise(response))

    def policies(self, **params: Any) -> Any:
        return self.json_or_raise(self.request("GET", f"{API}/policies", params=params))

    def send_account_messages(self, messages: list[dict[str, Any]], *, actor: str
                              ) -> list[dict[str, Any]]:
        """Queue account messages (one consenting contact each; idempotent by ``key``)."""
        response = self.request("POST", f"{API}/messages/batch", json={"messages": messages},
                                actor=actor, idempotent=True)
        return list(self.json_or_raise(response)["items"])

    def message_state(self, message_id: str) -> dict[str, Any]:
        return dict(self.json_or_raise(self.request("GET", f"{API}/messages/{message_id}")))
