"""``python -m registry.consumer``: scoring's eligibility events into the readiness read model.

The shared consumer base does the exactly-once plumbing (inbox claim in the batch's
transaction, multiple-ack after commit, retry ladder, parking); the registry supplies the
batch handler (``handlers.readiness.apply_eligibility``) and its parking ledger, which
the consumer fills and replays from when its queue is quiet (``/api/v1/parking/registry``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sqlalchemy.orm import Session

from registry.handlers.readiness import apply_eligibility
from registry.models.parked import ParkedMessage
from registry.models.readiness import inbox_table
from registry.settings import Settings
from yumiao_common.contracts.base import Event
from yumiao_common.messaging.consumer import main as consumer_main

QUEUE = "registry.readiness"


def handle(session: Session, events: list[Event]) -> None:
    apply_eligibility(session, events)


def main(argv: Sequence[str] | None = None) -> int:
    return consumer_main(Settings(), QUEUE, handle, inbox_table,
                         argv=list(sys.argv[1:] if argv is None else argv),
                         parked=ParkedMessage)


if __name__ == "__main__":
    raise SystemExit(main())
