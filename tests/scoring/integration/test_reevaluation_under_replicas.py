"""An activation applies exactly the parameters its preview saw, or refuses; of two activations
on the same parameters at most one applies — with real PostgreSQL sessions, jobs workers and
locks (issue 11: correctness under replicas)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.handlers.parameters import set_parameter
from scoring.handlers.reevaluations import MOVED_PARAMETERS
from scoring.handlers.reevaluations import STALE_PARAMETERS
from scoring.handlers.reevaluations import run_activation
from scoring.models import ParameterAudit
from scoring.models import ParameterOverride
from scoring.models import outbox
from tests.job_workers import service_worker
from tests.job_workers import worker_thread
from tests.pg_locks import wait_until_blocked
from tests.scoring.integration.test_reevaluation import ACTOR
from tests.scoring.integration.test_reevaluation import SALES
from tests.scoring.integration.test_reevaluation import farms  # noqa: F401 - fixture
from tests.scoring.integration.test_reevaluation import verdict

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("clean_db")]

#: Another local parameter of the same tier (changed by a second editor).
OTHER = "agri_leader_municipal.n3_assets.value"

_WAITING = text("SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'")


def previewed(client: FlaskClient, wait_for: Callable[..., Any], value: Any) -> str:
    """A job proposing ``SALES = value``, once its preview is done."""
    resp = client.post("/api/v1/reevaluations", headers=ACTOR,
                       json={"parameters": {SALES: value}, "reason": "试行 / trial"})
    assert resp.status_code == 202, resp.json
    job_id: str = resp.json["id"]
    wait_for(lambda: client.get(f"/api/v1/reevaluations/{job_id}").json["status"] == "previewed")
    return job_id


def settled(client: FlaskClient, job_id: str) -> Callable[[], dict[str, Any] | None]:
    def check() -> dict[str, Any] | None:
        body: dict[str, Any] = client.get(f"/api/v1/reevaluations/{job_id}").json
        return body if body["status"] in ("activated", "failed") else None
    return check


def written_by(factory: sessionmaker[Session], job_id: str) -> tuple[list[Any], list[Any]]:
    """The audited parameter changes and the events a job wrote."""
    with factory() as session:
        audits = [a.new_value for a in session.scalars(select(ParameterAudit))
                  if str(a.reevaluation_id) == job_id]
        events = [p for p in session.execute(select(outbox.c.payload)).scalars()
                  if p["correlation_id"] == job_id]
    return audits, events


def override(factory: sessionmaker[Session]) -> Any:
    with factory() as session:
        held = session.get(ParameterOverride, SALES)
        return None if held is None else held.value


def test_activation_after_a_parameter_change_is_refused_at_once(
    client: FlaskClient, farms: dict[str, str],  # noqa: F811 - the fixture
    factory: sessionmaker[Session], wait_for: Callable[..., Any],
) -> None:
    job_id = previewed(client, wait_for, 17_000_000)
    put = client.put(f"/api/v1/parameters/{SALES}", headers=ACTOR,
                     json={"value": "19000000", "reason": "局务会 / bureau decision"})
    assert put.status_code == 200
    wait_for(settled(client, str(put.json["reevaluation_id"])))
    resp = client.post(f"/api/v1/reevaluations/{job_id}/activate", headers=ACTOR)
    assert resp.status_code == 409
    assert STALE_PARAMETERS in resp.get_data(as_text=True)
    assert client.get(f"/api/v1/reevaluations/{job_id}").json["status"] == "previewed"
    assert override(factory) == "19000000"
    assert written_by(factory, job_id) == ([], [])
    assert verdict(factory, farms["B"]) != "eligible"  # the preview's gain was not applied


def test_a_parameter_change_committed_while_the_activation_runs_fails_it_visibly(
    client: FlaskClient, farms: dict[str, str],  # noqa: F811 - the fixture
    factory: sessionmaker[Session], wait_for: Callable[..., Any],
) -> None:
    """The change is written (uncommitted) before the activation starts, so the activation
    computes on the old parameters and meets the change at its lock: it must not write the
    results it computed, nor its own change on top of the new value."""
    job_id = previewed(client, wait_for, 17_000_000)
    editor = factory()
    set_parameter(editor, parameter_id=SALES, value="35000000", actor="director-wang",
                  reason="局务会 / bureau decision")
    editor.flush()
    try:
        assert client.post(f"/api/v1/reevaluations/{job_id}/activate",
                           headers=ACTOR).status_code == 202
        wait_until_blocked(factory, "the activation")
        editor.commit()
    finally:
        editor.close()
    job = wait_for(settled(client, job_id))
    assert job["status"] == "failed" and job["error"] == STALE_PARAMETERS
    assert override(factory) == "35000000"
    assert written_by(factory, job_id) == ([], [])
    assert verdict(factory, farms["A"]) == "eligible"  # evaluated on neither 17M nor 35M
    assert verdict(factory, farms["B"]) != "eligible"


def test_of_two_activations_in_two_workers_one_applies_the_other_refuses_as_stale(
    client: FlaskClient, farms: dict[str, str],  # noqa: F811 - the fixture
    factory: sessionmaker[Session], wait_for: Callable[..., Any], database_url: str,
) -> None:
    """Both previews saw the defaults; a held profile lock keeps both activations at their
    writing step — one holding the parameter lock, the other waiting for it — in two workers."""
    raise_bar = previewed(client, wait_for, 35_000_000)  # A loses
    lower_bar = previewed(client, wait_for, 17_000_000)  # B gains
    holder = factory()
    holder.execute(text("LOCK TABLE enterprise_profile IN EXCLUSIVE MODE"))
    try:
        with worker_thread(service_worker("scoring", database_url)):
            for job_id in (raise_bar, lower_bar):
                assert client.post(f"/api/v1/reevaluations/{job_id}/activate",
                                   headers=ACTOR).status_code == 202
            wait_for(lambda: waiting(factory) >= 2)
            holder.rollback()
            jobs = {j: wait_for(settled(client, j)) for j in (raise_bar, lower_bar)}
    finally:
        holder.close()
    applied = [j for j, body in jobs.items() if body["status"] == "activated"]
    refused = [j for j, body in jobs.items() if body["status"] == "failed"]
    assert len(applied) == 1 and len(refused) == 1, jobs
    assert jobs[refused[0]]["error"] == STALE_PARAMETERS
    assert written_by(factory, refused[0]) == ([], [])
    winner = "35000000" if applied == [raise_bar] else "17000000"
    assert override(factory) == winner
    assert written_by(factory, applied[0])[0] == [winner]
    lowered = winner == "17000000"  # A stays eligible, B gains; raised: A loses, B stays out
    assert (verdict(factory, farms["A"]) == "eligible") is lowered
    assert (verdict(factory, farms["B"]) == "eligible") is lowered


def waiting(factory: sessionmaker[Session]) -> int:
    """How many sessions of this database wait on a lock now."""
    with factory() as session:
        return int(session.execute(_WAITING).scalar_one())


def test_threads_racing_to_activate_write_one_parameter_set(
    client: FlaskClient, farms: dict[str, str],  # noqa: F811 - the fixture
    factory: sessionmaker[Session], wait_for: Callable[..., Any],
) -> None:
    """The same race through the handler, two threads calling ``run_activation`` at once."""
    ids = [uuid.UUID(previewed(client, wait_for, v)) for v in (35_000_000, 17_000_000)]
    holder = factory()
    holder.execute(text("LOCK TABLE enterprise_profile IN EXCLUSIVE MODE"))
    threads = [threading.Thread(target=run_activation, args=(factory, i, "analyst-li"))
               for i in ids]
    try:
        for thread in threads:
            thread.start()
        wait_for(lambda: waiting(factory) >= 2)
    finally:
        holder.rollback()
        holder.close()
    for thread in threads:
        thread.join(30)
    jobs = [wait_for(settled(client, str(i))) for i in ids]
    assert sorted(j["status"] for j in jobs) == ["activated", "failed"]
    refused = next(j for j in jobs if j["status"] == "failed")
    assert refused["error"] == STALE_PARAMETERS
    assert written_by(factory, refused["id"]) == ([], [])


def test_a_parameter_put_during_the_activations_write_waits_and_applies_after_it(
    client: FlaskClient, farms: dict[str, str],  # noqa: F811 - the fixture
    factory: sessionmaker[Session], wait_for: Callable[..., Any],
) -> None:
    """The other order: the activation already holds the parameters when the PUT comes. The PUT
    waits, then lands on top of the activated change, and its own re-evaluation follows."""
    job_id = previewed(client, wait_for, 17_000_000)
    holder = factory()
    holder.execute(text("LOCK TABLE enterprise_profile IN EXCLUSIVE MODE"))
    answers: list[Any] = []
    put = threading.Thread(target=lambda: answers.append(client.put(
        f"/api/v1/parameters/{SALES}", headers=ACTOR,
        json={"value": "35000000", "reason": "局务会 / bureau decision"})))
    try:
        assert client.post(f"/api/v1/reevaluations/{job_id}/activate",
                           headers=ACTOR).status_code == 202
        wait_until_blocked(factory, "the activation")  # holds the parameters, waits on profiles
        put.start()
        wait_for(lambda: waiting(factory) >= 2)
    finally:
        holder.rollback()
        holder.close()
    put.join(30)
    assert wait_for(settled(client, job_id))["status"] == "activated"
    assert answers and answers[0].status_code == 200, answers
    follow_up = wait_for(settled(client, str(answers[0].json["reevaluation_id"])))
    assert follow_up["status"] == "activated", follow_up
    with factory() as session:
        history = [(a.old_value, a.new_value) for a in session.scalars(
            select(ParameterAudit).where(ParameterAudit.parameter_id == SALES)
            .order_by(ParameterAudit.id))]
    assert history == [(None, "17000000"), ("17000000", "35000000")]
    assert override(factory) == "35000000"
    assert verdict(factory, farms["A"]) != "eligible"  # evaluated on 35M at the end
    assert verdict(factory, farms["B"]) != "eligible"


def test_an_unpreviewed_reevaluation_whose_parameters_moved_leaves_it_to_the_newer_job(
    client: FlaskClient, farms: dict[str, str],  # noqa: F811 - the fixture
    factory: sessionmaker[Session], wait_for: Callable[..., Any],
) -> None:
    """A PUT's own re-evaluation (queued without a preview) meets a later change at its lock:
    it fails saying so, writing nothing computed on the older parameters."""
    editor = factory()
    set_parameter(editor, parameter_id=OTHER, value="1", actor="director-wang",
                  reason="局务会 / bureau decision")
    editor.flush()
    try:
        put = client.put(f"/api/v1/parameters/{SALES}", headers=ACTOR,
                         json={"value": "35000000", "reason": "局务会 / bureau decision"})
        assert put.status_code == 200
        wait_until_blocked(factory, "the PUT's re-evaluation")
        editor.commit()
    finally:
        editor.close()
    job_id = str(put.json["reevaluation_id"])
    job = wait_for(settled(client, job_id))
    assert job["status"] == "failed" and job["error"] == MOVED_PARAMETERS
    assert written_by(factory, job_id) == ([], [])
    assert verdict(factory, farms["A"]) == "eligible"  # not re-evaluated on a mix
