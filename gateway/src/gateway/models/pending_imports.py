"""Files whose import was checked but not yet written: the "validate, then commit" flow.

The registry's check (a dry run) writes nothing and keeps nothing, so the gateway keeps the
checked file for a day; "确认导入" then hands the very same bytes to the registry for the
real import — the curator never uploads it twice. A row is removed once it is committed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import LargeBinary
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from gateway.models import Base
from yumiao_common.clock import utcnow


class PendingImport(Base):
    __tablename__ = "pending_imports"

    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)
