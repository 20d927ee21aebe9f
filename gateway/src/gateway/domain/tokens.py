"""Secrets the gateway hands out: signed access tokens and opaque random tokens.

Access tokens are stateless (itsdangerous, HMAC-SHA256, timestamped): verifying one costs a
hash, not a database read, which keeps authenticated proxying fast. They live ~15 minutes;
revocation happens at refresh (the refresh token is stateful and rotating). Refresh tokens,
browser sessions and API keys are random 256-bit strings stored only as SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature
from itsdangerous import SignatureExpired
from itsdangerous import URLSafeTimedSerializer

ACCESS_SALT = "yumiao.gateway.access.v1"


@dataclass(frozen=True)
class AccessClaims:
    """What an access token asserts: who, which role, which enterprise, which login."""

    account_id: str
    username: str
    role: str
    uscc: str | None
    family_id: str


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


class AccessTokenSigner:
    def __init__(self, secret_key: str, ttl_seconds: int) -> None:
        self.ttl_seconds = ttl_seconds
        self._serializer = URLSafeTimedSerializer(
            secret_key, salt=ACCESS_SALT, signer_kwargs={"digest_method": hashlib.sha256}
        )

    def sign(self, claims: AccessClaims) -> str:
        payload: dict[str, Any] = {
            "a": claims.account_id, "u": claims.username, "r": claims.role,
            "e": claims.uscc, "f": claims.family_id,
        }
        return str(self._serializer.dumps(payload))

    def verify(self, token: str) -> AccessClaims:
        try:
            data = self._serializer.loads(token, max_age=self.ttl_seconds)
        except SignatureExpired as exc:
            raise TokenExpired from exc
        except BadSignature as exc:
            raise TokenInvalid from exc
        try:
            return AccessClaims(data["a"], data["u"], data["r"], data["e"], data["f"])
        except (KeyError, TypeError) as exc:
            raise TokenInvalid from exc


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_api_key() -> tuple[str, str, str]:
    """A fresh API key: (full key shown once, public prefix, secret hash)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"ymk_{prefix}_{secret}", prefix, token_hash(secret)


def split_api_key(key: str) -> tuple[str, str] | None:
    """(prefix, secret hash) of a presented key, or None when it is not shaped like one."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "ymk" or not parts[1] or not parts[2]:
        return None
    return parts[1], token_hash(parts[2])
