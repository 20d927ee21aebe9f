"""A batch of registry changes from different requests: each verdict move scoring emits keeps
the correlation id of the change that caused it, not the batch's last one (issue 10 item 3)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.consumer import handle_batch
from scoring.models import outbox
from yumiao_common.contracts.base import Event
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration


def test_each_emitted_event_keeps_the_correlation_id_of_its_own_change(
    factory: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    first, second = make_profile(), make_profile()
    with factory.begin() as session:
        handle_batch(session, [enterprise_changed(first), enterprise_changed(second)])
    with factory() as session:
        seen = set(session.execute(select(outbox.c.id)).scalars())
    batch: list[Event] = []
    for profile, request_id in ((first, "req-first-0001"), (second, "req-second-0002")):
        worse = copy.deepcopy(profile)
        worse["enterprise"]["flags"]["serious_dishonesty_list"] = True  # a gate of every tier
        event = enterprise_changed(worse, version=2)
        batch.append(event.model_copy(update={"correlation_id": request_id}))
    with factory.begin() as session:
        handle_batch(session, batch)
    with factory() as session:
        rows = session.execute(
            select(outbox.c.payload, outbox.c.correlation_id).where(outbox.c.id.not_in(seen))
        ).all()
    ids: dict[str, set[tuple[str, str]]] = {}
    for payload, column in rows:
        ids.setdefault(payload["payload"]["uscc"], set()).add((payload["correlation_id"], column))
    assert ids == {
        first["enterprise"]["uscc"]: {("req-first-0001", "req-first-0001")},
        second["enterprise"]["uscc"]: {("req-second-0002", "req-second-0002")},
    }
