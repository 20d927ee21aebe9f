"""scoring's parking ledger: the shared ``parked_messages`` table on scoring's metadata.

The profiles consumer (``scoring.profiles``) parks a message after its attempts
run out; its parking keeper drains the parking queue into this table so the bureau can list,
inspect and replay it through ``/api/v1/parking/scoring`` (``yumiao_common.parking``, the same
ledger notify keeps).
"""

from __future__ import annotations

from scoring.models.base import Base
from yumiao_common.parking.models import ParkedMessageColumns


class ParkedMessage(ParkedMessageColumns, Base):
    """A message scoring's consumer parked, as the bureau sees and replays it."""
