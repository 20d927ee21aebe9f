"""Read queries of the rankings: filters, readiness order and keyset (cursor) pagination.

Order is ``(rank_group, rank_a, rank_b, uscc)`` ascending (see ``scoring.domain.ranking``),
backed by the ``ix_evaluation_ranking`` index; the cursor is the last row's key, so pages are
stable while evaluations change between requests (no skipped or repeated rows from OFFSET
drift).

A page shows only a few parts of each stored answer (``domain.ranking.ranking_parts``: score,
gaps, what to collect). The answer (``result``, ~19 kB of JSON) is read only for the rows whose
parts this process does not hold yet: ``ranking_page`` reads the page's columns without it,
then the answers of the rows not kept, decoded with orjson (the driver's ``json.loads`` was a
third of a page's time at province scale; issue 16). The parts are kept per process by
(database, credit code, tier, ``evaluated_at``): every write of an evaluation stamps a new
``evaluated_at``, so a re-evaluated row is never shown with its old parts. The export reads
every answer whole (``ranking_stream``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from threading import Lock
from typing import Any

import orjson
from sqlalchemy import Select
from sqlalchemy import Text
from sqlalchemy import cast
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import tuple_
from sqlalchemy.orm import Session

from scoring.domain.ranking import ranking_parts
from scoring.models import EnterprisePool
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation
from yumiao_common.web.pagination import decode_cursor as decode_position
from yumiao_common.web.pagination import encode_cursor as encode_position

#: A ranking row's columns, its answer aside (``COLUMNS`` adds it).
ROW_COLUMNS: tuple[Any, ...] = (
    Evaluation.uscc, EnterpriseProfile.name, EnterpriseProfile.town_code,
    EnterpriseProfile.industry_code, Evaluation.verdict, Evaluation.route, Evaluation.failing,
    Evaluation.rank_group, Evaluation.rank_a, Evaluation.rank_b, Evaluation.rulebook_version,
    Evaluation.uses_local_parameter, Evaluation.evaluated_at,
)
COLUMNS: tuple[Any, ...] = (*ROW_COLUMNS, cast(Evaluation.result, Text).label("result"))
#: How many rows' parts a process keeps (a few kB each; least recently shown go first).
PARTS_KEPT = 10_000
_PartsKey = tuple[str, str, str, Any]  # database, credit code, tier, evaluated_at
_parts: OrderedDict[_PartsKey, dict[str, Any]] = OrderedDict()
_parts_lock = Lock()


def _row(row: Any) -> dict[str, Any]:
    """A ranking row as a dict, its answer decoded (None stays None)."""
    found = row._asdict()
    if found["result"] is not None:
        found["result"] = orjson.loads(found["result"])
    return found


@dataclass(frozen=True, slots=True)
class RankingFilter:
    tier: str
    verdicts: tuple[str, ...] = ()
    town: str | None = None
    industry: str | None = None
    pool: str | None = None


#: The keyset position of a ranking row: its sort key and its 1-based place in the ranking.
CURSOR_SHAPE = {"g": int, "a": int, "b": int, "u": str, "p": int}


def encode_cursor(key: tuple[int, int, int, str], position: int) -> str:
    group, a, b, uscc = key
    return encode_position({"g": group, "a": a, "b": b, "u": uscc, "p": position})


def decode_cursor(cursor: str) -> tuple[tuple[int, int, int, str], int]:
    """The key and position a cursor carries, or a 422 naming ``cursor`` on anything else."""
    pos = decode_position(cursor, CURSOR_SHAPE)
    assert pos is not None
    key = (int(pos["g"]), int(pos["a"]), int(pos["b"]), str(pos["u"]))
    return key, max(0, int(pos["p"]))


def ranking_select(flt: RankingFilter, columns: tuple[Any, ...] = COLUMNS) -> Select[Any]:
    """The filtered, ordered ranking of one tier (no pagination)."""
    stmt = select(*columns).join(EnterpriseProfile, EnterpriseProfile.uscc == Evaluation.uscc)
    stmt = stmt.where(Evaluation.tier == flt.tier)
    if flt.verdicts:
        stmt = stmt.where(Evaluation.verdict.in_(flt.verdicts))
    if flt.town:
        stmt = stmt.where(EnterpriseProfile.town_code == flt.town)
    if flt.industry:
        stmt = stmt.where(EnterpriseProfile.industry_code.startswith(flt.industry, autoescape=True))
    if flt.pool:
        stmt = stmt.where(exists().where(
            EnterprisePool.uscc == Evaluation.uscc, EnterprisePool.pool == flt.pool))
    return stmt.order_by(Evaluation.rank_group, Evaluation.rank_a, Evaluation.rank_b,
                         Evaluation.uscc)


def ranking_page(
    session: Session, flt: RankingFilter, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of ranked rows (with their 1-based position and their answer's ``parts``) and
    the next cursor, if any."""
    stmt = ranking_select(flt, ROW_COLUMNS)
    position = 0
    if cursor:
        key, position = decode_cursor(cursor)
        stmt = stmt.where(tuple_(Evaluation.rank_group, Evaluation.rank_a, Evaluation.rank_b,
                                 Evaluation.uscc) > tuple_(*key))
    rows = _with_parts(session, flt.tier, [r._asdict() for r in session.execute(
        stmt.limit(limit + 1))])
    for offset, row in enumerate(rows, start=1):
        row["position"] = position + offset
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    key = (last["rank_group"], last["rank_a"], last["rank_b"], last["uscc"])
    return rows[:limit], encode_cursor(key, last["position"])


def _with_parts(session: Session, tier: str, rows: list[dict[str, Any]]
                ) -> list[dict[str, Any]]:
    """``rows`` with their answer's parts: kept ones, or read for the rest in one statement.

    A row re-evaluated between the page's read and its answer's (another writer committed in
    between) is read again whole, so that its columns and parts are one evaluation's."""
    missing: dict[str, int] = {}
    database = str(getattr(session.get_bind(), "url", ""))
    with _parts_lock:
        for index, row in enumerate(rows):
            key = (database, row["uscc"], tier, row["evaluated_at"])
            kept = _parts.get(key)
            if kept is None:
                missing[row["uscc"]] = index
            else:
                _parts.move_to_end(key)
                row["parts"] = kept
    if not missing:
        return rows
    answers = session.execute(
        select(Evaluation.uscc, Evaluation.evaluated_at, cast(Evaluation.result, Text))
        .where(Evaluation.tier == tier, Evaluation.uscc.in_(list(missing))))
    for uscc, evaluated_at, text in answers:
        row = rows[missing[uscc]]
        if evaluated_at == row["evaluated_at"]:
            row["parts"] = _keep((database, uscc, tier, evaluated_at), text)
    moved = [uscc for uscc, index in missing.items() if "parts" not in rows[index]]
    if moved:
        again = ranking_select(RankingFilter(tier=tier)).where(Evaluation.uscc.in_(moved))
        for found in session.execute(again.order_by(None)):
            fresh = _row(found)
            fresh["parts"] = ranking_parts(fresh.pop("result"))
            read = rows[missing[fresh["uscc"]]]
            # its place in this page is where the page's read found it (the cursor's key)
            fresh.update({k: read[k] for k in ("rank_group", "rank_a", "rank_b")})
            rows[missing[fresh["uscc"]]] = fresh
    return [row for row in rows if "parts" in row]  # a row deleted meanwhile is left out


def _parts_of(text: str | None) -> dict[str, Any]:
    """The ranking parts of an answer as stored JSON text (None: no answer)."""
    return ranking_parts(orjson.loads(text) if text is not None else None)


def _keep(key: _PartsKey, text: str | None) -> dict[str, Any]:
    parts = _parts_of(text)
    with _parts_lock:
        _parts[key] = parts
        while len(_parts) > PARTS_KEPT:
            _parts.popitem(last=False)
    return parts


def ranking_count(session: Session, flt: RankingFilter) -> int:
    """How many firms the ranking holds with these filters (the page's "共 N 家").

    Without a town or industry filter the firms are counted on ``evaluation`` alone: every
    evaluation has its profile (foreign key), so the join changes no count, and skipping it
    keeps the first page of a province-sized ranking from visiting every profile (issue 16:
    the join made the count 3× slower at 10,000 firms and it grows with them)."""
    if flt.town or flt.industry:
        counted = ranking_select(flt).order_by(None).subquery()
        return int(session.scalar(select(func.count()).select_from(counted)) or 0)
    stmt = select(func.count()).select_from(Evaluation).where(Evaluation.tier == flt.tier)
    if flt.verdicts:
        stmt = stmt.where(Evaluation.verdict.in_(flt.verdicts))
    if flt.pool:
        stmt = stmt.where(exists().where(
            EnterprisePool.uscc == Evaluation.uscc, EnterprisePool.pool == flt.pool))
    return int(session.scalar(stmt) or 0)


def ranking_stream(session: Session, flt: RankingFilter, *, cap: int) -> Iterator[dict[str, Any]]:
    """Every ranked row in order (for the export), streamed in chunks, at most ``cap`` rows,
    each with its answer's ``parts`` instead of the answer (not kept: an export would push
    every page's rows out of ``_parts``)."""
    result = session.execute(ranking_select(flt).limit(cap).execution_options(yield_per=1000))
    for position, row in enumerate(result, start=1):
        found = row._asdict()
        text = found.pop("result")
        found["parts"] = _parts_of(text)
        found["position"] = position
        yield found


def pools_of(session: Session, usccs: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {u: [] for u in usccs}
    stmt = select(EnterprisePool.uscc, EnterprisePool.pool).where(EnterprisePool.uscc.in_(usccs))
    for uscc, pool in session.execute(stmt.order_by(EnterprisePool.pool)):
        found[uscc].append(pool)
    return found
