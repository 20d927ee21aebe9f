"""The SQL of leases: claim a queued step, renew, finish, release, and find expired leases.

Every statement is short and commits at once, so a lease never waits on a job's own (possibly
long) transaction. Claims are safe across processes: on PostgreSQL the candidate row is locked
with ``FOR UPDATE SKIP LOCKED`` (two workers never pick the same row, nor wait on each other);
SQLite has one writer, so one ``UPDATE … WHERE lease_owner IS NULL`` both picks and takes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from yumiao_common.clock import utcnow


@dataclass(frozen=True)
class Claim:
    """A step this worker holds."""

    job_id: uuid.UUID
    step: str
    attempts: int


@dataclass(frozen=True)
class Leases:
    """Lease statements over one job table (a model carrying ``JobLease``'s columns)."""

    table: Table
    factory: sessionmaker[Session]
    #: Column ordering the queue (oldest first).
    order_by: str = "created_at"

    @property
    def _c(self) -> Any:
        return self.table.c

    def claim(self, owner: str, lease: timedelta) -> Claim | None:
        """Take the oldest queued step nobody holds; None when there is none."""
        c = self._c
        with self.factory.begin() as session:
            until = utcnow() + lease
            free = (c.run_step.is_not(None), c.lease_owner.is_(None))
            if session.get_bind().dialect.name == "postgresql":
                picked = session.execute(
                    select(c.id).where(*free).order_by(c[self.order_by]).limit(1)
                    .with_for_update(skip_locked=True)).scalar()
                if picked is None:
                    return None
                target = c.id == picked
            else:
                target = c.id == (select(c.id).where(*free).order_by(c[self.order_by])
                                  .limit(1).scalar_subquery())
            taken = session.execute(
                update(self.table).where(target, *free)
                .values(lease_owner=owner, lease_until=until, run_attempts=c.run_attempts + 1)
                .returning(c.id, c.run_step, c.run_attempts)).first()
        return None if taken is None else Claim(taken[0], taken[1], taken[2])

    def renew(self, claim: Claim, owner: str, lease: timedelta) -> bool:
        """Move the lease forward; False when it is no longer this worker's."""
        c = self._c
        with self.factory.begin() as session:
            moved = session.execute(update(self.table).where(c.id == claim.job_id,
                                                             c.lease_owner == owner)
                                    .values(lease_until=utcnow() + lease))
            return bool(moved.rowcount)  # type: ignore[attr-defined]

    def finish(self, claim: Claim, owner: str) -> None:
        """The step ran: unqueue it (unless a new step was queued meanwhile), drop the lease."""
        c = self._c
        mine = (c.id == claim.job_id, c.lease_owner == owner)
        with self.factory.begin() as session:
            session.execute(update(self.table).where(*mine, c.run_step == claim.step)
                            .values(run_step=None))
            session.execute(update(self.table).where(*mine)
                            .values(lease_owner=None, lease_until=None))

    def release(self, claim: Claim, owner: str) -> None:
        """Give a step back to the queue unfinished (this try does not count as an attempt)."""
        c = self._c
        with self.factory.begin() as session:
            session.execute(update(self.table)
                            .where(c.id == claim.job_id, c.lease_owner == owner)
                            .values(lease_owner=None, lease_until=None,
                                    run_attempts=c.run_attempts - 1))

    def expired(self, now: datetime | None = None) -> list[Claim]:
        """Steps whose worker stopped renewing its lease (it died, or lost the database)."""
        c = self._c
        with self.factory() as session:
            rows = session.execute(select(c.id, c.run_step, c.run_attempts).where(
                c.run_step.is_not(None), c.lease_owner.is_not(None),
                c.lease_until < (now or utcnow())))
            return [Claim(r[0], r[1], r[2]) for r in rows]

    def take_expired(self, claim: Claim, owner: str, lease: timedelta,
                     now: datetime | None = None) -> bool:
        """Take over an expired lease (only one worker succeeds), to resume or fail the step."""
        c = self._c
        with self.factory.begin() as session:
            taken = session.execute(update(self.table).where(
                c.id == claim.job_id, c.run_step == claim.step, c.lease_owner.is_not(None),
                c.lease_until < (now or utcnow()))
                .values(lease_owner=owner, lease_until=utcnow() + lease))
            return bool(taken.rowcount)  # type: ignore[attr-defined]

    def requeue(self, claim: Claim, owner: str) -> None:
        """Put a taken-over step back in the queue, to be claimed (and counted) again."""
        c = self._c
        with self.factory.begin() as session:
            session.execute(update(self.table)
                            .where(c.id == claim.job_id, c.lease_owner == owner)
                            .values(lease_owner=None, lease_until=None))

    def drop(self, claim: Claim, owner: str) -> None:
        """Unqueue a taken-over step that will not run again (it was failed visibly)."""
        c = self._c
        with self.factory.begin() as session:
            session.execute(update(self.table)
                            .where(c.id == claim.job_id, c.lease_owner == owner)
                            .values(run_step=None, lease_owner=None, lease_until=None))
