"""Who is calling: the principal every authorization decision and every X-Actor comes from.

Kept free of Flask and SQLAlchemy so the tenancy rules can be tested as pure functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Via(StrEnum):
    """How the principal proved itself; only ``cookie`` needs CSRF protection."""

    BEARER = "bearer"
    COOKIE = "cookie"
    API_KEY = "apikey"
    NONE = "none"


@dataclass(frozen=True)
class Principal:
    kind: str  # "user" (bureau staff), "enterprise", "apikey", "anonymous"
    name: str
    role: str | None  # admin / curator / viewer / enterprise; None when anonymous
    uscc: str | None = None
    account_id: str | None = None
    via: Via = Via.NONE
    session_id: str | None = None  # browser session row, for CSRF and logout

    @property
    def actor(self) -> str:
        """The X-Actor value: ``user:curator``, ``enterprise:<uscc>``, ``apikey:<name>``."""
        return "anonymous" if self.kind == "anonymous" else f"{self.kind}:{self.name}"

    @property
    def is_authenticated(self) -> bool:
        return self.kind != "anonymous"

    @property
    def is_enterprise(self) -> bool:
        return self.role == "enterprise"

    @property
    def is_bureau(self) -> bool:
        return self.role in ("admin", "curator", "viewer")

    def public(self) -> dict[str, str | None]:
        return {"actor": self.actor, "kind": self.kind, "name": self.name, "role": self.role,
                "uscc": self.uscc, "via": self.via.value}


ANONYMOUS = Principal(kind="anonymous", name="anonymous", role=None)


def principal_for_account(
    *, account_id: str, username: str, role: str, uscc: str | None, via: Via,
    session_id: str | None = None,
) -> Principal:
    if role == "enterprise":
        assert uscc is not None
        return Principal("enterprise", uscc, role, uscc, account_id, via, session_id)
    return Principal("user", username, role, None, account_id, via, session_id)
