"""Store a registry profile snapshot only if it is newer than the one held: one conditional write.

Several scoring consumers may run (the prod overlay runs two). Reading the held version and
then updating is a race: two consumers read version 1, one stores 3 and commits, the other then
overwrites it with 2. So the version check lives in the write itself, ``INSERT … ON CONFLICT
(uscc) DO UPDATE … WHERE stored.source_version < excluded.source_version RETURNING uscc``: on
PostgreSQL the conflicting row is locked and the condition re-checked against the latest
committed row, so an older snapshot never replaces a newer one whatever the interleaving;
SQLite (one writer at a time) gets the same statement. No row returned = a stale snapshot that
changed nothing, not even the pools.

Whether the evaluations must be redone is decided after the write (the row lock is then held
until commit), from the profile hash the stored evaluations were computed from, not from a
version read before the write that another consumer may have changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session

from scoring.models import EnterprisePool
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation

_CHUNK = 500


def store_if_newer(session: Session, values: Mapping[str, Any], pools: Sequence[str]) -> bool:
    """Insert or replace the snapshot unless a newer or equal version is stored; True if stored.

    ``values`` are the ``enterprise_profile`` columns (``uscc`` and ``source_version`` among
    them); the pools are replaced only when the snapshot was stored.
    """
    return bool(store_newer(session, [(values, pools)]))


def store_newer(
    session: Session, snapshots: Sequence[tuple[Mapping[str, Any], Sequence[str]]]
) -> set[str]:
    """``store_if_newer`` for a batch: one conditional multi-row write per chunk, then the
    pools of the stored ones replaced in two statements; returns the credit codes stored.

    Each credit code may appear once (a batch keeps one snapshot per enterprise); rows are
    written in the order given (callers sort them: one lock order for replicas).
    """
    stored: set[str] = set()
    if not snapshots:
        return stored
    dialect = session.get_bind().dialect.name
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    names = list(snapshots[0][0])
    for start in range(0, len(snapshots), _CHUNK):
        chunk = snapshots[start:start + _CHUNK]
        stmt = dialect_insert(EnterpriseProfile).values([dict(v) for v, _pools in chunk])
        stmt = stmt.on_conflict_do_update(
            index_elements=[EnterpriseProfile.uscc],
            set_={name: stmt.excluded[name] for name in names if name != "uscc"},
            where=EnterpriseProfile.source_version < stmt.excluded.source_version,
        )
        stored.update(session.execute(stmt.returning(EnterpriseProfile.uscc)).scalars())
    written = [(v["uscc"], pools) for v, pools in snapshots if v["uscc"] in stored]
    for start in range(0, len(written), _CHUNK):
        chunk = written[start:start + _CHUNK]
        session.execute(delete(EnterprisePool).where(
            EnterprisePool.uscc.in_([uscc for uscc, _pools in chunk])))
        rows = [{"uscc": uscc, "pool": p} for uscc, pools in chunk for p in dict.fromkeys(pools)]
        if rows:
            session.execute(insert(EnterprisePool), rows)
    return stored


def evaluated_hashes(session: Session, usccs: Iterable[str]) -> dict[str, set[str]]:
    """The profile hashes the stored evaluations of these enterprises were computed from."""
    wanted = list(dict.fromkeys(usccs))
    found: dict[str, set[str]] = {}
    for start in range(0, len(wanted), _CHUNK):
        stmt = select(Evaluation.uscc, Evaluation.profile_hash).where(
            Evaluation.uscc.in_(wanted[start:start + _CHUNK])
        )
        for uscc, digest in session.execute(stmt):
            found.setdefault(uscc, set()).add(digest)
    return found


def held_versions(session: Session, usccs: list[str]) -> dict[str, int]:
    """A cheap early skip of snapshots already superseded (the conditional write decides)."""
    stmt = select(EnterpriseProfile.uscc, EnterpriseProfile.source_version).where(
        EnterpriseProfile.uscc.in_(usccs)
    )
    return {uscc: version for uscc, version in session.execute(stmt)}
