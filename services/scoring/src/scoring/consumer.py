"""``python -m scoring.consumer``: keep the profile read model in step with the registry.

The shared consumer base does the broker work (batches, inbox claim in the effect's
transaction, ack after commit, retry ladder, parking); this module gives it scoring's batch
handler. A batch of ``registry.enterprise.changed`` events is applied in one transaction by
``handlers.profiles.apply_enterprise_changes``, each produced event keeping the correlation id
of the change that caused it; events of other types on the queue are ignored.
A snapshot the ``Profile`` contract refuses raises, so the base retries it and then parks it
with the reason instead of silently dropping an enterprise; the consumer keeps scoring's
parking ledger (``/api/v1/parking/scoring``) when its queue is quiet.

The cyclic garbage collector is paused while a batch is applied: a batch of 500 snapshots
builds ~4,000 stored answers (~450,000 containers, freed by reference counting once written),
and the collector traversing them again and again as they aged through its generations was
~30 % of the consumer's CPU (issue 16). It runs again after the batch, so what cycles a
batch leaves are collected then.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager

from sqlalchemy.orm import Session

from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import inbox
from scoring.models.parked import ParkedMessage
from scoring.settings import Settings
from yumiao_common.contracts.base import Event
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.messaging.consumer import main as consumer_main

QUEUE = "scoring.profiles"


def handle_batch(session: Session, events: list[Event]) -> None:
    """Apply the batch's profile snapshots (never commits; the base owns the transaction)."""
    changes = [e for e in events if isinstance(e, EnterpriseChanged)]
    if changes:
        with collector_paused():
            apply_enterprise_changes(session, events=changes)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (it is re-enabled as it was found)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """``--prefetch`` defaults to ``SCORING_CONSUMER_PREFETCH``; the pool bounds are the
    service's (``SCORING_DB_POOL_SIZE`` …)."""
    settings = Settings()
    args = list(sys.argv[1:] if argv is None else argv)
    # argparse keeps the last occurrence: an explicit --prefetch on the command line wins.
    args = ["--prefetch", str(settings.consumer_prefetch), *args]
    return consumer_main(settings, QUEUE, handle_batch, inbox,
                         engine=engine_from_settings(settings), argv=args,
                         parked=ParkedMessage)


if __name__ == "__main__":
    raise SystemExit(main())
