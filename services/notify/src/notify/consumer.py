"""``python -m notify.consumer``: turns events on ``notify.events`` into notices.

The shared consumer base does the exactly-once plumbing (inbox claim in the batch's
transaction, one multiple-ack after commit, retry ladder, parking); notify supplies the batch
handler. Templates are validated before the first message is taken, so a broken template
file stops the process instead of failing notices.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sqlalchemy.orm import Session

from notify.adapters.queues import EVENTS_QUEUE
from notify.app import load_templates
from notify.handlers.notices import process_events
from notify.models.messaging import inbox_table
from notify.settings import Settings
from yumiao_common.contracts.base import Event
from yumiao_common.messaging.consumer import Handler
from yumiao_common.messaging.consumer import main as consumer_main


def make_handler(settings: Settings) -> Handler:
    templates = load_templates()

    def handle(session: Session, events: list[Event]) -> None:
        process_events(session, events, templates=templates,
                       weekly_cap=settings.weekly_push_cap)

    return handle


def main(argv: Sequence[str] | None = None) -> int:
    """Batch size and prefetch default to the settings; ``--batch-size``/``--prefetch`` win."""
    settings = Settings()
    defaults = ["--batch-size", str(settings.consumer_batch_size),
                "--prefetch", str(settings.consumer_prefetch)]
    args = list(sys.argv[1:] if argv is None else argv)
    return consumer_main(settings, EVENTS_QUEUE.name, make_handler(settings), inbox_table,
                         argv=[*defaults, *args])


if __name__ == "__main__":
    raise SystemExit(main())
