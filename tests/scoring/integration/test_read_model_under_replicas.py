"""Two scoring consumers racing on one enterprise: the newer snapshot stays, evaluations follow it.

The interleaving is forced on PostgreSQL with two real sessions: one consumer's transaction
stores a snapshot and holds it uncommitted while the other (in a thread) has already read the
old version and writes behind it; then the first commits. SQLite gets the same conditional
write, sequentially (it has one writer at a time). A re-evaluation activating in another pod
while a consumer stores a newer profile evaluates that profile, not the one it read before.
"""

from __future__ import annotations

import copy
import threading
import uuid
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from pg_locks import wait_until_blocked
from sqlalchemy import create_engine
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.adapters.sql.profiles import store_if_newer
from scoring.handlers import reevaluations
from scoring.handlers.profiles import apply_enterprise_changes
from scoring.handlers.profiles import profile_hash
from scoring.models import Base
from scoring.models import EnterprisePool
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration

SALES = "agri_leader_municipal.n3_sales.value"  # a local parameter


def _held(factory: sessionmaker[Session], uscc: str) -> tuple[int, str, set[str]]:
    with factory() as session:
        row = session.get(EnterpriseProfile, uscc)
        assert row is not None
        hashes = set(session.execute(
            select(Evaluation.profile_hash).where(Evaluation.uscc == uscc)
        ).scalars())
        return row.source_version, row.profile_hash, hashes


def _race(
    factory: sessionmaker[Session], first: EnterpriseChanged, second: EnterpriseChanged
) -> None:
    """``first`` is applied and held uncommitted; ``second`` is applied in another session
    meanwhile (it read the version before ``first``) and blocks; ``first`` commits, then
    ``second`` finishes and commits."""
    holder = factory()
    holder.begin()
    apply_enterprise_changes(holder, events=[first])
    errors: list[BaseException] = []

    def late() -> None:
        try:
            with factory.begin() as session:
                apply_enterprise_changes(session, events=[second])
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    worker = threading.Thread(target=late)
    worker.start()
    wait_until_blocked(factory, "the late writer")
    holder.commit()
    holder.close()
    worker.join(timeout=30)
    assert not worker.is_alive() and not errors, errors


def test_an_older_snapshot_racing_a_newer_one_never_overwrites_it(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile, version=1)])
    newer = copy.deepcopy(profile)
    newer["enterprise"]["name"] = "聊城第三版有限公司"
    older = copy.deepcopy(profile)
    older["enterprise"]["name"] = "聊城第二版有限公司"
    older["enterprise"]["flags"]["serious_dishonesty_list"] = True
    _race(factory, enterprise_changed(newer, version=3, pools=["hnte_reserve"]),
          enterprise_changed(older, version=2, pools=[]))
    version, digest, hashes = _held(factory, uscc)
    assert version == 3 and hashes == {digest}
    with factory() as session:
        row = session.get(EnterpriseProfile, uscc)
        assert row is not None and row.name == "聊城第三版有限公司"
        pools = session.execute(select(EnterprisePool.pool).where(EnterprisePool.uscc == uscc))
        assert list(pools.scalars()) == ["hnte_reserve"]


def test_evaluations_follow_the_stored_profile_when_a_newer_one_lands_behind_another(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    """v1 held; consumer A stores v2 (changed), consumer B read v1 and stores v3, whose profile
    equals v1's: B must still re-evaluate, because the evaluations were computed from v2."""
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile, version=1)])
    v1_digest = _held(factory, uscc)[1]
    changed = copy.deepcopy(profile)
    changed["enterprise"]["flags"]["serious_dishonesty_list"] = True
    _race(factory, enterprise_changed(changed, version=2),
          enterprise_changed(copy.deepcopy(profile), version=3))
    version, digest, hashes = _held(factory, uscc)
    assert version == 3 and digest == v1_digest and hashes == {v1_digest}


def test_sqlite_keeps_the_newest_version_with_the_same_conditional_write(
    make_sqlite_url: Callable[[str], str],
    make_profile: Callable[..., dict[str, Any]],
) -> None:
    engine = create_engine(make_sqlite_url("replicas"))
    Base.metadata.create_all(engine)
    factory = sessionmaker(engine)
    uscc = make_profile()["enterprise"]["uscc"]

    def write(version: int, name: str, pools: list[str]) -> bool:
        snapshot = {"enterprise": {"uscc": uscc, "name": name}}
        values = {
            "uscc": uscc, "name": name, "profile": snapshot, "profile_hash": profile_hash(snapshot),
            "source_event_id": uuid.uuid4(), "source_version": version,
            "source_occurred_at": datetime.now(UTC),
        }
        with factory.begin() as session:
            return store_if_newer(session, values, pools)

    assert write(1, "一", ["a"]) and write(3, "三", ["b"])
    assert not write(2, "二", ["c"]) and not write(3, "三又", ["d"])
    with factory() as session:
        row = session.get(EnterpriseProfile, uscc)
        assert row is not None and (row.source_version, row.name) == (3, "三")
        pools = session.execute(select(EnterprisePool.pool).where(EnterprisePool.uscc == uscc))
        assert list(pools.scalars()) == ["b"]
    engine.dispose()


def _status(client: FlaskClient, job_id: str) -> str:
    body = client.get(f"/api/v1/reevaluations/{job_id}").json
    assert body is not None
    return str(body["status"])


@pytest.mark.usefixtures("clean_db")
def test_an_activation_racing_the_consumer_evaluates_the_profile_the_consumer_stored(
    factory: sessionmaker[Session],
    client: FlaskClient,
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
    wait_for: Callable[..., Any],
) -> None:
    """A consumer stores v2 (uncommitted) while a re-evaluation (another pod) activates: the
    activation waits for it and evaluates v2, instead of writing v1's results over v2's."""
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile, version=1)])
    resp = client.post("/api/v1/reevaluations", headers={"X-Actor": "analyst-li"}, json={
        "parameters": {SALES: "17000000"}, "reason": "试行下调 / trial lower bar"})
    assert resp.status_code == 202 and resp.json is not None, resp.json
    job_id = str(resp.json["id"])
    wait_for(lambda: _status(client, job_id) == "previewed")
    changed = copy.deepcopy(profile)
    changed["enterprise"]["flags"]["serious_dishonesty_list"] = True
    holder = factory()
    holder.begin()
    apply_enterprise_changes(holder, events=[enterprise_changed(changed, version=2)])
    worker = threading.Thread(
        target=reevaluations.run_activation, args=(factory, uuid.UUID(job_id), "analyst-li"))
    worker.start()
    wait_until_blocked(factory, "the late writer")
    holder.commit()
    holder.close()
    worker.join(timeout=60)
    assert not worker.is_alive()
    assert _status(client, job_id) == "activated"
    version, digest, hashes = _held(factory, uscc)
    assert version == 2 and hashes == {digest}


def test_sqlite_consumer_keeps_the_newer_profile_and_its_evaluations(
    make_sqlite_url: Callable[[str], str],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    engine = create_engine(make_sqlite_url("consumer"))
    Base.metadata.create_all(engine)
    factory = sessionmaker(engine)
    profile = make_profile()
    uscc = profile["enterprise"]["uscc"]
    older = copy.deepcopy(profile)
    older["enterprise"]["flags"]["serious_dishonesty_list"] = True
    with factory.begin() as session:  # the registry's versions start at 0
        apply_enterprise_changes(session, events=[enterprise_changed(older, 0)])
    assert _held(factory, uscc)[0] == 0
    for version, snapshot in ((3, profile), (2, older)):
        with factory.begin() as session:
            apply_enterprise_changes(session, events=[enterprise_changed(snapshot, version)])
    version, digest, hashes = _held(factory, uscc)
    assert version == 3 and hashes == {digest}
    engine.dispose()
