"""scoring's outbox (events it produces) and inbox (events it has consumed), from the shared
definitions so the relay and the consumer base work on them unchanged."""

from __future__ import annotations

from scoring.models.base import Base
from yumiao_common.messaging.inbox import define_inbox_table
from yumiao_common.messaging.outbox import define_outbox_table

outbox = define_outbox_table(Base.metadata)
inbox = define_inbox_table(Base.metadata)
