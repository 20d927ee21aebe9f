"""notify's own outbox (delivery requests) and inbox (processed event ids) tables.

Both come from ``yumiao_common.messaging`` so the relay and the consumer base see exactly the
shape they expect; they live on notify's metadata so notify's migrations own them.
"""

from __future__ import annotations

from notify.models.base import Base
from yumiao_common.messaging.inbox import define_inbox_table
from yumiao_common.messaging.outbox import define_outbox_table

outbox_table = define_outbox_table(Base.metadata)
inbox_table = define_inbox_table(Base.metadata)
