"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile).

Verification always runs a full argon2 computation, even for an unknown user name (against a
fixed dummy hash), so response time does not reveal which user names exist. Hashes made
with older parameters are upgraded on the next successful login (``needs_rehash``).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
from argon2.exceptions import VerifyMismatchError

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("yumiao-no-such-user")
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user (``None``) costs the same time."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def password_problems(password: str) -> list[str]:
    """Reasons a new password is refused (bilingual), empty when acceptable."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            f"密码至少{MIN_PASSWORD_LENGTH}位 / at least {MIN_PASSWORD_LENGTH} characters"
        )
    if password.strip() != password or not password.strip():
        problems.append("密码不能以空白开头或结尾 / no leading or trailing spaces")
    return problems
