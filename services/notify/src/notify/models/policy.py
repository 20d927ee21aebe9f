"""The policy catalogue: what a tier, pool or certification opens, and its audit trail.

``trigger`` says which fact opens a policy: ``eligible`` (newly eligible for ``tier``),
``admitted`` (admitted to ``pool``) or ``renewal`` (certification in ``tier`` about to lapse).
An unknown amount is ``amount_yuan = None`` with ``amount_known = False`` so templates say
"金额待定 / amount unknown" instead of inventing one.

``windows`` are the application batches (``notify.models.window.PolicyWindow``), earliest
first. The older single ``window_opens``/``window_closes`` pair is kept (expand-only schema)
and now mirrors the window that is open or comes next, which is what a notice's deadline
quotes.
"""

from __future__ import annotations

import uuid
from datetime import date
from datetime import datetime
from typing import TYPE_CHECKING
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
from sqlalchemy.orm import relationship

from notify.models.base import Base
from yumiao_common.clock import utcnow

if TYPE_CHECKING:
    from notify.models.window import PolicyWindow


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

    windows: Mapped[list[PolicyWindow]] = relationship(
        order_by="PolicyWindow.opens_on", cascade="all, delete-orphan", lazy="selectin")

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
