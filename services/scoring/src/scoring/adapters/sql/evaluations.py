"""Stored evaluations in bulk: what is held per enterprise × tier, and the executemany writes.

A re-evaluation touches every enterprise × tier, so rows are written with one INSERT and one
UPDATE executemany per batch, not the ORM unit of work (architecture.md: ORM ``add_all`` is
~14× slower than Core); reads go in chunks of bounded IN lists.

The answer column is bound as JSON text encoded here with orjson, not by the driver's
``json.dumps``: an answer is ~19 kB, and encoding them was a fifth of the consumer's CPU per
event (issue 16); orjson is several times faster and writes UTF-8 instead of ``\\u`` escapes
(a quarter fewer bytes for the database to take in). The stored JSON reads back the same.

Each row keeps the digest of that text (``result_digest``). Diffing reads verdicts and digests,
not answers; the previous answer is read only where a verdict moved (the event's ``before``),
and a row whose answer did not change is updated without ``result``, so PostgreSQL keeps its
TOAST value rather than writing a new one and leaving the old as bloat (issue 16).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from typing import cast

import orjson
from sqlalchemy import JSON
from sqlalchemy import ColumnElement
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import bindparam
from sqlalchemy import cast as sql_cast
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import tuple_
from sqlalchemy import update
from sqlalchemy.orm import Session

from scoring.domain.outcome import TierOutcome
from scoring.models import Evaluation

_CHUNK = 500
_KEY = frozenset({"uscc", "tier"})


@dataclass(frozen=True, slots=True)
class Previous:
    """What is stored now for one enterprise × tier, for diffing: its verdict and the digest
    of its answer (None: written before digests were kept). The answer itself is read only
    where a verdict moved (``load_outcomes``)."""

    verdict: str
    result_digest: str | None


def load_previous(session: Session, usccs: Iterable[str]) -> dict[tuple[str, str], Previous]:
    """The stored verdicts and answer digests of these enterprises, in chunks of bounded IN
    lists; not the answers (~19 kB each, issue 16)."""
    wanted = list(dict.fromkeys(usccs))
    found: dict[tuple[str, str], Previous] = {}
    for start in range(0, len(wanted), _CHUNK):
        stmt = select(Evaluation.uscc, Evaluation.tier, Evaluation.verdict,
                      Evaluation.result_digest)
        stmt = stmt.where(Evaluation.uscc.in_(wanted[start:start + _CHUNK]))
        for uscc, tier, verdict, digest in session.execute(stmt):
            found[(uscc, tier)] = Previous(verdict, digest)
    return found


def load_outcomes(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], TierOutcome | None]:
    """The stored answers of these enterprise × tier keys, typed (None when empty), in chunks
    of bounded IN lists of (uscc, tier): read only for the verdicts that moved."""
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[str, str], TierOutcome | None] = {}
    for start in range(0, len(wanted), _CHUNK):
        stmt = select(Evaluation.uscc, Evaluation.tier, Evaluation.result).where(
            tuple_(Evaluation.uscc, Evaluation.tier).in_(wanted[start:start + _CHUNK]))
        for uscc, tier, result in session.execute(stmt):
            found[(uscc, tier)] = TierOutcome.from_json(result) if result else None
    return found


def write_evaluations(
    session: Session, new: Sequence[dict[str, Any]], held: Sequence[dict[str, Any]],
    *, previous: Mapping[tuple[str, str], Previous] | None = None, batch: int | None = None,
) -> None:
    """Insert the rows not stored yet and update the ones held: executemany statements of at
    most ``batch`` rows each (None: one statement each), so a re-evaluation of every firm
    does not hand the driver one parameter list of every row at once.

    A held row whose answer's digest equals the one in ``previous`` is updated without
    ``result``: PostgreSQL then keeps its TOAST value instead of writing a new ~19 kB one
    (issue 16: most tiers of a firm's second event come out the same).

    Core statements on the table, not the ORM's bulk methods: those split the rows into one
    statement per pattern of NULL columns (five INSERTs for one firm's eight tiers), each a
    round trip; here every row carries every column (issue 16: the drain of an import)."""
    step = batch or max(len(new), len(held), 1)
    table = cast(Table, Evaluation.__table__)
    dialect = session.get_bind().dialect.name
    if new:
        inserts = insert(table).values(result=_json_param("result_json", dialect))
        for start in range(0, len(new), step):
            session.execute(inserts, [_encoded(row, "") for row in new[start:start + step]])
    if not held:
        return
    columns = [name for name in held[0] if name not in _KEY]
    same, changed = _split_unchanged(held, columns, previous or {})
    for rows, names in ((changed, columns), (same, [c for c in columns if c != "result"])):
        stmt = update(table).where(
            table.c.uscc == bindparam("key_uscc"), table.c.tier == bindparam("key_tier")
        ).values({name: _json_param("set_result_json", dialect) if name == "result"
                  else bindparam(f"set_{name}") for name in [*names, "result_digest"]})
        for start in range(0, len(rows), step):
            session.execute(stmt, rows[start:start + step])


def _split_unchanged(
    held: Sequence[dict[str, Any]], columns: Sequence[str],
    previous: Mapping[tuple[str, str], Previous],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The update parameters of the held rows: those whose answer is unchanged (no
    ``set_result_json``), then the others. No digest held (None) counts as changed."""
    same: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for row in held:
        params = {"key_uscc": row["uscc"], "key_tier": row["tier"],
                  **_encoded({name: row[name] for name in columns}, "set_")}
        before = previous.get((row["uscc"], row["tier"]))
        if before is not None and before.result_digest == params["set_result_digest"]:
            del params["set_result_json"]
            same.append(params)
        else:
            changed.append(params)
    return same, changed


def answer_json(answer: Any) -> str:
    """An answer as stored JSON text: orjson, or ``json.dumps`` for what orjson refuses (an
    integer beyond 64 bits), so nothing json.dumps accepted is refused now."""
    try:
        return orjson.dumps(answer).decode()
    except TypeError:
        return json.dumps(answer)


def _json_param(name: str, dialect: str) -> ColumnElement[Any]:
    """A bound parameter of JSON text for the ``result`` column (SQLite stores the text)."""
    param = bindparam(name, type_=Text)
    return sql_cast(param, JSON) if dialect == "postgresql" else param


def answer_digest(text: str) -> str:
    """The ``result_digest`` of an answer's stored JSON text: blake2b-128, hex."""
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _encoded(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A row's parameters with ``result`` replaced by its JSON text (``<prefix>result_json``)
    and that text's digest (``<prefix>result_digest``)."""
    params = {f"{prefix}{name}": value for name, value in row.items() if name != "result"}
    text = answer_json(row["result"])
    params[f"{prefix}result_json"] = text
    params[f"{prefix}result_digest"] = answer_digest(text)
    return params
