"""notify's parking ledger: the shared ``parked_messages`` table on notify's metadata.

The columns, the keeper's SQL side and the ``/parking`` API are common
(``yumiao_common.parking``) so registry and scoring keep the same ledger; notify's sender runs
the keeper that fills this one.
"""

from __future__ import annotations

from notify.models.base import Base
from yumiao_common.parking.models import STATUSES
from yumiao_common.parking.models import ParkedMessageColumns

__all__ = ["STATUSES", "ParkedMessage"]


class ParkedMessage(ParkedMessageColumns, Base):
    """A message notify's consumers parked, as the bureau sees and replays it."""
