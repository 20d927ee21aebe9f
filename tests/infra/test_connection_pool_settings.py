"""The pool bounds the connection budget (k8s/README.md) counts are the ones a process opens."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import QueuePool
from sqlalchemy import text
from sqlalchemy.exc import TimeoutError as PoolTimeout

from yumiao_common.db.engine import engine_from_settings
from yumiao_common.settings import CommonSettings


class _Svc(CommonSettings):
    """A service's settings as the four services declare them (prefix REGISTRY_)."""

    model_config = {"env_prefix": "REGISTRY_", "extra": "ignore"}


def test_pool_bounds_come_from_the_environment(
    make_pg_database: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_pg_database("pool")
    mp = monkeypatch
    mp.setenv("REGISTRY_DATABASE_URL", url)
    mp.setenv("REGISTRY_DB_POOL_SIZE", "3")
    mp.setenv("REGISTRY_DB_MAX_OVERFLOW", "1")
    mp.setenv("REGISTRY_DB_POOL_TIMEOUT_SECONDS", "0.5")
    engine = engine_from_settings(_Svc())
    try:
        pool = engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.size() == 3
        held = [engine.connect() for _ in range(4)]  # 3 pooled + 1 overflow
        for conn in held:
            assert conn.execute(text("select 1")).scalar() == 1
        # A fifth checkout waits pool_timeout and fails instead of opening a fifth connection.
        with pytest.raises(PoolTimeout, match="limit of size 3 overflow 1 reached"):
            engine.connect()
        for conn in held:
            conn.close()
    finally:
        engine.dispose()


def test_defaults_keep_a_process_within_ten_connections() -> None:
    settings = CommonSettings()
    assert settings.db_pool_size + settings.db_max_overflow == 10
