"""Password hashing with argon2id (argon2-cffi; default cost = RFC 9106's low-memory profile).

Verification always runs a full argon2 computation, even for an unknown user name (against a
dummy hash made with the same cost), so response time does not reveal which user names exist.
Hashes made with another cost are upgraded on the next successful login (``needs_rehash``).
The cost comes from settings (``configure``, called by ``create_app``) so a test suite can
use a cheaper, still argon2id, profile without touching production's.

Each computation holds ``memory_kib`` (64 MiB by default) for its duration, and a gunicorn
worker runs many threads: eight sign-ins at once took 512 MiB. So at most ``max_concurrent``
computations run per process (a semaphore); the others wait up to ``wait_seconds`` and then
get a 503 with ``Retry-After``. Memory for hashing per process is therefore bounded by
``max_concurrent x memory_kib`` — the figure k8s/base/gateway.yaml sizes the pod from.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError
from argon2.exceptions import VerificationError
from argon2.exceptions import VerifyMismatchError

from yumiao_common.web.errors import DomainError

#: The stored "hash" of an account whose password is not set yet: no password matches it.
UNUSABLE = "!unset"


class PasswordCheckBusy(DomainError):
    """Every argon2 slot of this process stayed taken for ``wait_seconds``."""

    status, code = 503, "password_check_busy"
    retry_after = 5

    def __init__(self) -> None:
        super().__init__("登录繁忙，请稍后再试 / Sign-in is busy, please retry shortly",
                         details={"retry_after_seconds": self.retry_after})


class _Argon2:
    def __init__(self, hasher: PasswordHasher, max_concurrent: int, wait_seconds: float
                 ) -> None:
        self.hasher = hasher
        self.max_concurrent = max_concurrent
        self.wait_seconds = wait_seconds
        self.slots = threading.BoundedSemaphore(max_concurrent)
        self.dummy = hasher.hash("yumiao-no-such-user")

    @contextmanager
    def slot(self) -> Iterator[None]:
        if not self.slots.acquire(timeout=self.wait_seconds):
            raise PasswordCheckBusy()
        try:
            yield
        finally:
            self.slots.release()


_current = _Argon2(PasswordHasher(), max_concurrent=2, wait_seconds=10.0)


def configure(*, time_cost: int, memory_kib: int, parallelism: int, max_concurrent: int = 2,
              wait_seconds: float = 10.0) -> None:
    """Set the argon2id cost and concurrency for this process (every worker the same)."""
    global _current
    hasher = _current.hasher
    if (hasher.time_cost, hasher.memory_cost, hasher.parallelism, _current.max_concurrent,
            _current.wait_seconds) != (time_cost, memory_kib, parallelism, max_concurrent,
                                       wait_seconds):
        _current = _Argon2(PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                                          parallelism=parallelism),
                           max_concurrent=max_concurrent, wait_seconds=wait_seconds)


def hash_password(password: str) -> str:
    state = _current
    with state.slot():
        return state.hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user (``None``) costs the same time, and so
    does an account with no password yet (``UNUSABLE``: invited, the link not yet used)."""
    state = _current
    if stored_hash is not None and not stored_hash.startswith("$argon2"):
        stored_hash = None
    with state.slot():
        try:
            return state.hasher.verify(stored_hash or state.dummy, password) and (
                stored_hash is not None)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False


def needs_rehash(stored_hash: str) -> bool:
    return _current.hasher.check_needs_rehash(stored_hash)
