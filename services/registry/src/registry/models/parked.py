"""registry's parking ledger: the shared ``parked_messages`` table on registry's metadata.

The readiness consumer (``registry.readiness``) parks a message after its attempts
run out; its parking keeper drains the parking queue into this table so the bureau can list,
inspect and replay it through ``/api/v1/parking/registry`` (``yumiao_common.parking``, the same
ledger notify keeps).
"""

from __future__ import annotations

from registry.models.base import Base
from yumiao_common.parking.models import ParkedMessageColumns


class ParkedMessage(ParkedMessageColumns, Base):
    """A message registry's consumer parked, as the bureau sees and replays it."""
