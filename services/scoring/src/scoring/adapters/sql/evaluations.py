"""Stored evaluations in bulk: what is held per enterprise × tier, and the executemany writes.

A re-evaluation touches every enterprise × tier, so rows are written with one INSERT and one
UPDATE executemany per batch, not the ORM unit of work (architecture.md: ORM ``add_all`` is
~14× slower than Core); reads go in chunks of bounded IN lists.

The answer column is bound as JSON text encoded here with orjson, not by the driver's
``json.dumps``: an answer is ~19 kB, and encoding them was a fifth of the consumer's CPU per
event (issue 16); orjson is several times faster and writes UTF-8 instead of ``\\u`` escapes
(a quarter fewer bytes for the database to take in). The stored JSON reads back the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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
from sqlalchemy import update
from sqlalchemy.orm import Session

from scoring.domain.outcome import TierOutcome
from scoring.models import Evaluation

_CHUNK = 500
_KEY = frozenset({"uscc", "tier"})


@dataclass(frozen=True, slots=True)
class Previous:
    """What is stored now for one enterprise × tier (for diffing and for the event)."""

    verdict: str
    result: dict[str, Any]

    def outcome(self) -> TierOutcome | None:
        """The stored answer, typed (read only when a verdict moved); None when it is empty."""
        return TierOutcome.from_json(self.result) if self.result else None


def load_previous(session: Session, usccs: Iterable[str]) -> dict[tuple[str, str], Previous]:
    """The stored verdicts and results of these enterprises, in chunks of bounded IN lists."""
    wanted = list(dict.fromkeys(usccs))
    found: dict[tuple[str, str], Previous] = {}
    for start in range(0, len(wanted), _CHUNK):
        stmt = select(Evaluation.uscc, Evaluation.tier, Evaluation.verdict, Evaluation.result)
        stmt = stmt.where(Evaluation.uscc.in_(wanted[start:start + _CHUNK]))
        for uscc, tier, verdict, result in session.execute(stmt):
            found[(uscc, tier)] = Previous(verdict, result)
    return found


def write_evaluations(
    session: Session, new: Sequence[dict[str, Any]], held: Sequence[dict[str, Any]],
    *, batch: int | None = None,
) -> None:
    """Insert the rows not stored yet and update the ones held: executemany statements of at
    most ``batch`` rows each (None: one statement each), so a re-evaluation of every firm
    does not hand the driver one parameter list of every row at once.

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
    stmt = update(table).where(
        table.c.uscc == bindparam("key_uscc"), table.c.tier == bindparam("key_tier")
    ).values({name: _json_param("set_result_json", dialect) if name == "result"
              else bindparam(f"set_{name}") for name in columns})
    for start in range(0, len(held), step):
        session.execute(stmt, [
            {"key_uscc": row["uscc"], "key_tier": row["tier"],
             **_encoded({name: row[name] for name in columns}, "set_")}
            for row in held[start:start + step]])


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


def _encoded(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A row's parameters with ``result`` replaced by its JSON text (``<prefix>result_json``)."""
    params = {f"{prefix}{name}": value for name, value in row.items() if name != "result"}
    params[f"{prefix}result_json"] = answer_json(row["result"])
    return params
