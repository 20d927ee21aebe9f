"""Use cases of the policy catalogue: create, edit, retire, seed; each one audited.

Every change writes a ``PolicyAudit`` row with the actor (the gateway's ``X-Actor``), the
reason and the before/after snapshots, in the caller's transaction. Edits are optimistic:
the caller names the version it read, a stale one is a 409. Retiring keeps the row (notices
already sent cite it) and stops new notices. Never commits.

Windows (application batches) travel as a list of dicts; a write that names ``windows``
replaces the stored batches whole, and the audit snapshot carries them, so the trail shows
which dates moved. The legacy single window pair mirrors the batch that is open or next.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.domain.windows import current_or_next
from notify.models.policy import Policy
from notify.models.policy import PolicyAudit
from notify.models.window import PolicyWindow
from yumiao_common.clock import beijing_day
from yumiao_common.clock import utcnow
from yumiao_common.web.concurrency import check_version
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import NotFound

EDITABLE = (
    "name_zh", "name_en", "summary_zh", "summary_en", "trigger", "tier", "pool", "condition_zh",
    "condition_en", "benefit_zh", "benefit_en", "amount_yuan", "amount_note", "window_opens",
    "window_closes", "contact", "source_document", "source_mark",
)


def snapshot(policy: Policy) -> dict[str, Any]:
    out: dict[str, Any] = {"code": policy.code, "status": policy.status}
    for name in EDITABLE:
        value = getattr(policy, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    out["windows"] = [{"batch_zh": w.batch_zh, "batch_en": w.batch_en,
                       "opens_on": w.opens_on.isoformat(), "closes_on": w.closes_on.isoformat(),
                       "note": w.note} for w in policy.windows]
    return out


def _set_windows(policy: Policy, windows: list[dict[str, Any]]) -> None:
    """Replace the batches and mirror the open-or-next one into the legacy pair."""
    policy.windows = [PolicyWindow(**w) for w in sorted(windows, key=lambda w: w["opens_on"])]
    live = current_or_next(policy.windows, beijing_day(utcnow()))
    if live is None and policy.windows:
        live = policy.windows[-1]
    policy.window_opens = live.opens_on if live else None
    policy.window_closes = live.closes_on if live else None


def get_policy(session: Session, code: str) -> Policy:
    policy = session.scalar(select(Policy).where(Policy.code == code))
    if policy is None:
        raise NotFound(f"政策不存在 / Policy not found: {code}")
    return policy


def _audit(session: Session, policy: Policy, action: str, actor: str, reason: str,
           before: dict[str, Any] | None) -> None:
    session.add(PolicyAudit(policy_id=policy.id, action=action, actor=actor, reason=reason,
                            before=before, after=snapshot(policy)))


def create_policy(session: Session, *, data: dict[str, Any], actor: str, reason: str) -> Policy:
    if session.scalar(select(Policy.id).where(Policy.code == data["code"])) is not None:
        raise Conflict(f"政策编码已存在 / Policy code already exists: {data['code']}",
                       fields={"code": ["已存在 / already exists"]})
    data = dict(data)
    windows = data.pop("windows", None)
    policy = Policy(**data)
    if windows is not None:
        _set_windows(policy, windows)
    session.add(policy)
    session.flush()
    _audit(session, policy, "create", actor, reason, None)
    return policy


def update_policy(session: Session, *, code: str, changes: dict[str, Any], version: int,
                  actor: str, reason: str) -> Policy:
    policy = get_policy(session, code)
    check_version(policy.version, version)
    if policy.status == "retired":
        raise Conflict("已废止的政策不可编辑 / A retired policy cannot be edited")
    before = snapshot(policy)
    changes = dict(changes)
    if "windows" in changes:
        _set_windows(policy, changes.pop("windows"))
    for name, value in changes.items():
        setattr(policy, name, value)
    policy.updated_at = utcnow()
    session.flush()
    _audit(session, policy, "update", actor, reason, before)
    return policy


def retire_policy(session: Session, *, code: str, version: int, actor: str,
                  reason: str) -> Policy:
    policy = get_policy(session, code)
    check_version(policy.version, version)
    if policy.status == "retired":
        return policy
    before = snapshot(policy)
    policy.status = "retired"
    policy.updated_at = utcnow()
    session.flush()
    _audit(session, policy, "retire", actor, reason, before)
    return policy


def policy_audit(session: Session, code: str) -> list[PolicyAudit]:
    policy = get_policy(session, code)
    stmt = select(PolicyAudit).where(PolicyAudit.policy_id == policy.id)
    return list(session.scalars(stmt.order_by(PolicyAudit.at)))


def seed_data() -> list[dict[str, Any]]:
    """The catalogue of criteria.md §7, shipped with the package."""
    text = resources.files("notify").joinpath("seed/policies.json").read_text("utf-8")
    rows: list[dict[str, Any]] = json.loads(text)
    for row in rows:
        for key in ("window_opens", "window_closes"):
            if row.get(key):
                row[key] = date.fromisoformat(row[key])
        for window in row.get("windows", ()):
            for key in ("opens_on", "closes_on"):
                window[key] = date.fromisoformat(window[key])
    return rows


def seed_policies(session: Session, *, actor: str) -> int:
    """Insert the §7 policies that are missing (idempotent: existing codes are left alone).

    A policy seeded before windows existed and still without any gets the shipped batches
    (audited like any edit); one whose batches the bureau set is never touched.
    """
    added = 0
    for row in seed_data():
        policy = session.scalar(select(Policy).where(Policy.code == row["code"]))
        if policy is None:
            create_policy(session, data=row, actor=actor,
                          reason="初始数据：criteria.md §7 / seeded from criteria.md §7")
            added += 1
        elif row.get("windows") and not policy.windows and policy.status == "active":
            update_policy(session, code=policy.code, changes={"windows": row["windows"]},
                          version=policy.version, actor=actor,
                          reason="初始数据：申报批次 / seeded application windows")
    return added
