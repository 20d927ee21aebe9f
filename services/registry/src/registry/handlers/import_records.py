"""Importing the record sheets (certifications, IP items, pool memberships) through the API's
own rules, all or nothing.

Each accepted row is matched to a registered firm by credit code. Pool rows go through exactly
the handlers a single API call uses — ``nominate`` and ``move`` (the state machine,
prerequisites, "certified needs a valid certificate"). Certificates and IP items take
``create_record``'s steps for the whole file at once (``_records``): the kind's own rules and
defaults, the audit row, the kind's ``after_change`` hook — for certificates
``reconcile_titles``, the certificate↔pipeline rules the API enforces — and a
``registry.enterprise.changed`` snapshot per firm (``profiles_changed``); only the round trips
are batched (10,000 certificates: ~25 s instead of ~400 s one handler call at a time). A rule
refusing a row (``DomainError``) becomes a row error naming the row and column; any row error
rolls the whole file back.

A dry run runs the very same pass and rolls back, so its counts and errors are what a commit
would do. Choices (documented in the template and docs/operations.md):

* a firm not in the registry: the row is skipped and listed (official lists are province-wide);
* a name differing from the registry's: imported (the credit code decides) and listed;
* a certificate (IP item) already on file — same firm, title (kind) and number: skipped and
  listed, so importing the same list twice changes nothing;
* a member already at the stage given: skipped and listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.files.reading import open_rows
from registry.adapters.files.record_sheets import SHEETS
from registry.adapters.files.record_sheets import SheetBatch
from registry.adapters.files.record_sheets import SheetRow
from registry.adapters.files.record_sheets import SheetSpec
from registry.adapters.files.record_sheets import SheetValidator
from registry.adapters.files.record_sheets import map_sheet_header
from registry.adapters.files.upload_limits import UploadLimits
from registry.domain.pipeline import STAGE_LABELS
from registry.domain.pipeline import IllegalMove
from registry.domain.pipeline import Stage
from registry.domain.pipeline import path_to
from registry.handlers.common import profiles_changed
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import diff
from registry.handlers.journal import snapshot
from registry.handlers.kinds import CERTIFICATIONS
from registry.handlers.kinds import IP
from registry.handlers.pipeline import move
from registry.handlers.pipeline import nominate
from registry.handlers.records import RecordKind
from registry.handlers.records import checked_values
from registry.models import Certification
from registry.models import Enterprise
from registry.models import IpAsset
from registry.models import PoolMembership
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import DomainError

CHUNK = 5000


@dataclass
class Outcome:
    """What applying a sheet did (or, in a dry run, would do)."""

    created: int = 0  # records added, firms nominated
    updated: int = 0  # members moved on
    counts: dict[str, int] = field(default_factory=dict)


def validate_sheet(data: bytes, kind: str, sheet: str, *, limits: UploadLimits | None,
                   today: date | None = None,
                   on_progress: Callable[[int], None] | None = None) -> SheetBatch:
    """Stream-parse and check every cell of a record sheet (no database)."""
    spec = SHEETS[sheet]
    opened = open_rows(data, kind, limits)
    validator = SheetValidator(spec, map_sheet_header(spec, opened.header), today=today)
    for count, (number, cells) in enumerate(opened.rows, start=1):
        validator.add(number, cells)
        if on_progress is not None and count % 2000 == 0:
            on_progress(count)
    return validator.batch


def _firms(session: Session, codes: list[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(codes), CHUNK):
        rows = session.execute(select(Enterprise.uscc, Enterprise.id, Enterprise.name)
                               .where(Enterprise.uscc.in_(codes[start:start + CHUNK])))
        found.update((code, (eid, name)) for code, eid, name in rows)
    return found


def _on_file(session: Session, sheet: str, ids: list[int]) -> dict[tuple[Any, ...], Any]:
    """The records already on file that a row may repeat, by (firm id, identity…)."""
    found: dict[tuple[Any, ...], Any] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        if sheet == "certifications":
            rows = session.execute(select(Certification.enterprise_id, Certification.tier,
                                          Certification.number)
                                   .where(Certification.enterprise_id.in_(chunk)))
            found.update(((e, t, n), True) for e, t, n in rows)
        elif sheet == "ip":
            rows = session.execute(select(IpAsset.enterprise_id, IpAsset.kind, IpAsset.number)
                                   .where(IpAsset.enterprise_id.in_(chunk)))
            found.update(((e, k, n), True) for e, k, n in rows)
        else:
            rows = session.execute(select(PoolMembership.enterprise_id, PoolMembership.pool,
                                          PoolMembership.stage)
                                   .where(PoolMembership.enterprise_id.in_(chunk)))
            found.update(((e, p), s) for e, p, s in rows)
    return found


def _column_of(spec: SheetSpec, exc: DomainError) -> str:
    """The column a handler's refusal names (``expires_on`` → its header), else the row."""
    for name in (exc.fields or {}):
        key = name.rsplit(".", 1)[-1]
        if key in spec.by_key:
            return spec.by_key[key].header
    return ""


def _message(exc: DomainError) -> tuple[str, str]:
    texts = [str(m) for msgs in (exc.fields or {}).values() for m in msgs] or [str(exc.message)]
    zh, _, en = "；".join(texts).partition(" / ")
    allowed = (exc.details or {}).get("allowed_moves")
    if allowed is not None:
        names = "、".join(STAGE_LABELS[Stage(s)].partition(" / ")[0] for s in allowed) or "无"
        return f"{zh}（当前可流转至：{names}）", f"{en} (allowed moves: {', '.join(allowed)})"
    return zh, en or zh


def apply_sheet(session: Session, sheet: str, batch: SheetBatch, *, who: Who) -> Outcome:
    """Apply every accepted row in ``session`` (the caller commits or rolls back); row
    errors and notices go into ``batch``."""
    spec = SHEETS[sheet]
    firms = _firms(session, sorted({r.uscc for r in batch.rows}))
    on_file = _on_file(session, sheet, sorted({eid for eid, _ in firms.values()}))
    outcome = Outcome()
    matched: list[tuple[SheetRow, int]] = []
    for row in sorted(batch.rows, key=lambda r: (r.uscc, r.row)):  # one lock order
        firm = firms.get(row.uscc)
        if firm is None:
            batch.notice(row.row, spec.by_key["uscc"].header, "登记库中没有该企业，已跳过",
                         "no firm with this credit code in the registry; skipped")
            continue
        if firm[1] != row.name:
            batch.remark(row.row, spec.by_key["name"].header,
                         f"名称与登记库不一致（登记库：{firm[1]}），已按信用代码导入",
                         f"the registry names this firm {firm[1]}; imported by credit code")
        matched.append((row, firm[0]))
    if sheet == "pools":
        for row, firm_id in matched:
            try:
                _membership(session, spec, row, firm_id, on_file, outcome, batch, who)
            except DomainError as exc:
                batch.error(row.row, _column_of(spec, exc), *_message(exc))
    else:
        _records(session, spec, matched, on_file, outcome, batch, who)
    return outcome


_KINDS: dict[str, RecordKind] = {"certifications": CERTIFICATIONS, "ip": IP}
_IDENTITY = {"certifications": "tier", "ip": "kind"}
_IP_DEFAULTS = {"high_value": False, "in_force": True, "in_dispute": False}


def _records(session: Session, spec: SheetSpec, matched: list[tuple[SheetRow, int]],
             on_file: dict[tuple[Any, ...], Any], outcome: Outcome, batch: SheetBatch,
             who: Who) -> None:
    """Certificates or IP items, as ``create_record`` adds them but for the whole file at once.

    Per record the same steps: the kind's rules and defaults (``checked_values``), the row,
    its audit row, the kind's ``after_change`` hook (certificates: ``reconcile_titles``, the
    certificate↔pipeline rules — run for every firm that has a pool membership, the only
    firms it can move), and a profile snapshot event per firm (``profiles_changed``: one per
    firm, its profile after all its rows). Only the round trips are batched.
    """
    kind = _KINDS[spec.key]
    firms = _locked(session, sorted({row.uscc for row, _ in matched}))
    added: list[tuple[Enterprise, Any]] = []
    for row, firm in matched:
        values = row.values
        if (firm, values[_IDENTITY[spec.key]], values["number"]) in on_file:
            what = ("该证书", "the certificate") if spec.key == "certifications" else (
                "该知识产权", "the item")
            batch.notice(row.row, spec.by_key["number"].header,
                         f"{what[0]}已登记（编号相同），已跳过",
                         f"{what[1]} already on file (same number); skipped")
            continue
        data = {k: values.get(k) for k in kind.fields}
        if kind is IP:
            for key, default in _IP_DEFAULTS.items():  # the API's defaults for a blank cell
                if data[key] is None:
                    data[key] = default
        try:
            checked = checked_values(kind, data)
        except DomainError as exc:
            batch.error(row.row, _column_of(spec, exc), *_message(exc))
            continue
        record = kind.model(enterprise_id=firm, **checked)
        session.add(record)
        added.append((firms[firm], record))
    if batch.error_count or not added:
        return
    session.flush()
    for enterprise, record in added:
        audit(session, enterprise=enterprise, entity=kind.entity, entity_id=record.id,
              action="create", changes=diff({}, snapshot(record, kind.fields)), who=who)
    outcome.created = len(added)
    touched = list({e.id: e for e, _ in added}.values())
    if kind.after_change is not None:
        members = _with_memberships(session, [e.id for e in touched])
        last = {e.id: r for e, r in added}
        for enterprise in touched:
            if enterprise.id in members:
                kind.after_change(session, enterprise, last[enterprise.id], who)
    profiles_changed(session, touched, change=f"{kind.entity}.created", who=who)


def _locked(session: Session, codes: list[str]) -> dict[int, Enterprise]:
    """The firms by id, locked for the transaction in credit-code order — the order the
    enterprise import locks in, so two imports of overlapping firms never deadlock."""
    found: dict[int, Enterprise] = {}
    for start in range(0, len(codes), CHUNK):
        stmt = (select(Enterprise).where(Enterprise.uscc.in_(codes[start:start + CHUNK]))
                .order_by(Enterprise.uscc).with_for_update()
                .execution_options(populate_existing=True))
        found.update((e.id, e) for e in session.scalars(stmt))
    return found


def _with_memberships(session: Session, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(session.scalars(select(PoolMembership.enterprise_id).distinct().where(
            PoolMembership.enterprise_id.in_(ids[start:start + CHUNK]))))
    return found


def _membership(session: Session, spec: SheetSpec, row: SheetRow, firm: int,
                on_file: dict[tuple[Any, ...], Any], outcome: Outcome, batch: SheetBatch,
                who: Who) -> None:
    """Nominate a firm not in the pool, then walk the legal moves to the stage given."""
    values = row.values
    pool, target, decided = values["pool"], Stage(values["stage"]), values["decided_on"]
    row_who = Who(actor=who.actor, request_id=who.request_id,
                  reason=f"{values['reason']}（{decided.isoformat()}；{who.reason}）")
    current = on_file.get((firm, pool))
    if current == target.value:
        batch.notice(row.row, spec.by_key["stage"].header, "已在该阶段，已跳过",
                     "already at this stage; skipped")
        return
    if current is None:
        membership = nominate(session, pool=pool, uscc=row.uscc, cohort_year=decided.year,
                              who=row_who)
        outcome.created += 1
    else:
        membership = session.scalars(select(PoolMembership).where(
            PoolMembership.enterprise_id == firm, PoolMembership.pool == pool)).one()
        outcome.updated += 1
    try:
        steps = path_to(membership.stage, target)
    except IllegalMove as exc:
        raise _no_path(exc, target) from None
    for step in steps:
        move(session, pool=pool, uscc=row.uscc, to_stage=step.value,
             version=membership.version, who=row_who)


def _no_path(exc: IllegalMove, target: Stage) -> DomainError:
    return Conflict(f"不能从“{exc.from_stage.value}”流转到“{target.value}” / no legal moves "
                    f"lead from {exc.from_stage.value} to {target.value}", code="illegal_move",
                    details={"allowed_moves": exc.allowed})

