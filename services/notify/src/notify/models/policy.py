"""The policy catalogue: what a tier, pool or certification opens, and its audit trail.

``trigger`` says which fact opens a policy: ``eligible`` (newly eligible for ``tier``),
``admitted`` (admitted to ``pool``) or ``renewal`` (certification in ``tier`` about to lapse).
An unknown amount is ``amount_yuan = None`` with ``amount_known = False`` so templates say
"金额待定 / amount unknown" instead of inventing one.
"""

from __future__ import annotations

import uuid
from datetime import date
from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import BigInteger
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Uuid
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from notify.models.base import Base
from yumiao_common.clock import utcnow


class Policy(Base):
    __tablename__ = "policies"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    summary_zh: Mapped[str] = mapped_column(Text)
    summary_en: Mapped[str] = mapped_column(Text)
    trigger: Mapped[str] = mapped_column(String(20), index=True)
    tier: Mapped[str | None] = mapped_column(String(40), index=True)
    pool: Mapped[str | None] = mapped_column(String(40))
    condition_zh: Mapped[str | None] = mapped_column(Text)
    condition_en: Mapped[str | None] = mapped_column(Text)
    benefit_zh: Mapped[str] = mapped_column(Text)
    benefit_en: Mapped[str] = mapped_column(Text)
    amount_yuan: Mapped[int | None] = mapped_column(BigInteger)
    amount_note: Mapped[str | None] = mapped_column(String(200))
    window_opens: Mapped[date | None] = mapped_column(Date)
    window_closes: Mapped[date | None] = mapped_column(Date)
    contact: Mapped[str | None] = mapped_column(String(200))
    source_document: Mapped[str] = mapped_column(String(300))
    source_mark: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="active")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __mapper_args__ = {"version_id_col": version}

    @property
    def amount_known(self) -> bool:
        return self.amount_yuan is not None


class PolicyAudit(Base):
    """Who changed a policy, why, and what it looked like before and after."""

    __tablename__ = "policy_audit"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    policy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("policies.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
