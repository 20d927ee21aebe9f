"""Accounts: bureau staff (admin / curator / viewer) and enterprise accounts bound to one USCC.

An enterprise account's user name is its credit code and its ``uscc`` is set; a bureau
account never has one. The check constraint makes that a database fact, so no code path can
create an enterprise account that sees everything or a bureau account scoped to one firm.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean
from sqlalchemy import CheckConstraint
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Uuid
from sqlalchemy import false
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.models import Base
from yumiao_common.clock import utcnow


class Role(StrEnum):
    ADMIN = "admin"
    CURATOR = "curator"
    VIEWER = "viewer"
    ENTERPRISE = "enterprise"


BUREAU_ROLES = frozenset({Role.ADMIN, Role.CURATOR, Role.VIEWER})


class Account(Base):
    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(
            "role IN ('admin', 'curator', 'viewer', 'enterprise')", name="role_known"
        ),
        CheckConstraint(
            "(role = 'enterprise' AND uscc IS NOT NULL) OR (role <> 'enterprise' AND uscc IS NULL)",
            name="enterprise_has_uscc",
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Made by ``create-demo-accounts``: signs in only while the gateway runs in demo mode.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    #: Optimistic concurrency: a stale edit of an account is a 409, not a lost update.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_bureau(self) -> bool:
        return self.role != Role.ENTERPRISE
