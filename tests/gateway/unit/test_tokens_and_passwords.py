"""Access-token signing, API-key format and argon2 password hashing (pure, no I/O)."""

from __future__ import annotations

import pytest

from gateway.adapters.password_hashing import hash_password
from gateway.adapters.password_hashing import verify_password
from gateway.domain.passwords import password_problems
from gateway.domain.tokens import AccessClaims
from gateway.domain.tokens import AccessTokenSigner
from gateway.domain.tokens import TokenInvalid
from gateway.domain.tokens import new_api_key
from gateway.domain.tokens import split_api_key
from gateway.settings import Settings

CLAIMS = AccessClaims("id-1", "curator", "curator", None, "fam")


def test_signed_claims_round_trip_and_tampering_is_refused() -> None:
    signer = AccessTokenSigner("k" * 32, 900)
    token = signer.sign(CLAIMS)
    assert signer.verify(token) == CLAIMS
    body, _, sig = token.rpartition(".")
    with pytest.raises(TokenInvalid):
        signer.verify(body + "." + ("A" if sig[0] != "A" else "B") + sig[1:])


def test_api_keys_split_into_prefix_and_hash() -> None:
    key, prefix, secret_hash = new_api_key()
    assert split_api_key(key) == (prefix, secret_hash)
    assert secret_hash not in key


def test_argon2_hash_verifies_and_is_salted() -> None:
    first, second = hash_password("s3cret-pass"), hash_password("s3cret-pass")
    assert first != second and first.startswith("$argon2id$")
    assert verify_password(first, "s3cret-pass")
    assert not verify_password(first, "wrong")
    assert not verify_password(None, "s3cret-pass")


@pytest.mark.parametrize("password", ["short", " leading-space", "trailing-space "])
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problems(password)


def test_no_secret_key_outside_demo_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GATEWAY_SECRET_KEY", raising=False)
    with pytest.raises(ValueError, match="GATEWAY_SECRET_KEY"):
        Settings(demo_mode=False)
    assert Settings(demo_mode=True).signing_key
