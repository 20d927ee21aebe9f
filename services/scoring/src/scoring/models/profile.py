"""The read model of enterprise profiles, fed by ``registry.enterprise.changed``.

scoring never reads registry's tables: the event carries the whole profile snapshot
(event-carried state). Besides the snapshot we keep the attributes rankings filter on (town,
industry, pools) as columns, and the registry's version of the snapshot, so a late, older
snapshot cannot overwrite a newer one.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from scoring.models.base import Base
from yumiao_common.clock import utcnow


class EnterpriseProfile(Base):
    """One enterprise's latest profile snapshot as registry last reported it."""

    __tablename__ = "enterprise_profile"
    __table_args__ = (Index("ix_enterprise_profile_town_uscc", "town_code", "uscc"),)

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    #: indexed with the key (``ix_enterprise_profile_town_uscc``): a town's firms are joined to
    #: their evaluations from the index alone (issue 16)
    town_code: Mapped[str | None] = mapped_column(String(32))
    industry_code: Mapped[str | None] = mapped_column(String(16), index=True)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: sha256 of the canonical profile JSON: an unchanged snapshot skips re-evaluation.
    profile_hash: Mapped[str] = mapped_column(String(64))
    source_event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    #: The registry's per-enterprise version of the snapshot (higher wins).
    source_version: Mapped[int] = mapped_column(Integer)
    source_occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EnterprisePool(Base):
    """Pool memberships (reserve pools) of an enterprise, for the rankings' pool filter."""

    __tablename__ = "enterprise_pool"

    uscc: Mapped[str] = mapped_column(
        String(18), ForeignKey("enterprise_profile.uscc", ondelete="CASCADE"), primary_key=True
    )
    pool: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
