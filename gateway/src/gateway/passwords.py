"""Password hashing with argon2id (argon2-cffi; default cost = RFC 9106's low-memory profile).

Verification always runs a full argon2 computation, even for an unknown user name (against a
dummy hash made with the same cost), so response time does not reveal which user names exist.
Hashes made with another cost are upgraded on the next successful login (``needs_rehash``).
The cost comes from settings (``configure``, called by ``create_app``) so a test suite can
use a cheaper, still argon2id, profile without touching production's.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
from argon2.exceptions import VerifyMismatchError

MIN_PASSWORD_LENGTH = 8


class _Argon2:
    def __init__(self, hasher: PasswordHasher) -> None:
        self.hasher = hasher
        self.dummy = hasher.hash("yumiao-no-such-user")


_current = _Argon2(PasswordHasher())


def configure(*, time_cost: int, memory_kib: int, parallelism: int) -> None:
    """Set the argon2id cost for this process (every worker computes the same)."""
    global _current
    hasher = _current.hasher
    if (hasher.time_cost, hasher.memory_cost, hasher.parallelism) != (
        time_cost, memory_kib, parallelism
    ):
        _current = _Argon2(PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                                          parallelism=parallelism))


def hash_password(password: str) -> str:
    return _current.hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user (``None``) costs the same time."""
    state = _current
    try:
        return state.hasher.verify(stored_hash or state.dummy, password) and (
            stored_hash is not None)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _current.hasher.check_needs_rehash(stored_hash)


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
