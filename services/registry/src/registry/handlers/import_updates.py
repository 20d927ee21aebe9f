"""Import rows for enterprises already on file: update them the way the API would.

Existing enterprises are the minority of an import (the yearly refresh of figures), so they go
through the ORM one by one, locked in credit-code order, reusing the registry handlers' size
class, audit and profile-event helpers: the audit diff and the snapshot are then exactly what
a manual edit would leave. A blank cell keeps the value on file (it means "not given", so a
blank compliance flag never clears a known one); a new fiscal year is added, an existing one
is overwritten field by field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.files.columns import ENTERPRISE_SCOPE_KEYS
from registry.adapters.files.row_validation import Batch
from registry.handlers.common import get_enterprise
from registry.handlers.common import profile_changed
from registry.handlers.enterprises import AUDITED_FIELDS
from registry.handlers.enterprises import refresh_size_class
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.journal import diff
from registry.handlers.journal import snapshot
from registry.models import AnnualFinancials
from registry.models import Enterprise
from registry.models.financials import FIGURE_FIELDS


def update_existing(
    session: Session, batch: Batch, codes: set[str],
    by_code: dict[str, list[dict[str, Any]]], *, who: Who,
) -> int:
    """Apply the batch to enterprises already registered; returns how many changed."""
    changed = 0
    for code in sorted(codes):  # one lock order for every job: no deadlock between two imports
        enterprise = get_enterprise(session, code, lock=True)
        before = snapshot(enterprise, AUDITED_FIELDS)
        _apply_enterprise(enterprise, batch.enterprises[code])
        year_changes = _apply_years(session, enterprise, by_code.get(code, []))
        refresh_size_class(session, enterprise)
        changes = diff(before, snapshot(enterprise, AUDITED_FIELDS))
        if changes:
            enterprise.version += 1
        changes.update(year_changes)
        if not changes:
            continue
        audit(session, enterprise=enterprise, entity="enterprise", entity_id=enterprise.id,
              action="import", changes=changes, who=who)
        profile_changed(session, enterprise, change="enterprise.imported", who=who)
        changed += 1
    return changed


def _apply_enterprise(enterprise: Enterprise, record: dict[str, Any]) -> None:
    for key in ENTERPRISE_SCOPE_KEYS:  # compliance flags too: 否 (False) is a value
        value = record.get(key)
        if key != "uscc" and value is not None:
            setattr(enterprise, key, value)
    if record.get("town_code"):
        enterprise.division_code = record["town_code"][:6]


def _apply_years(
    session: Session, enterprise: Enterprise, years: list[dict[str, Any]]
) -> dict[str, Any]:
    on_file = {
        row.year: row for row in session.scalars(
            select(AnnualFinancials).where(AnnualFinancials.enterprise_id == enterprise.id))
    }
    changes: dict[str, Any] = {}
    for figures in years:
        row = on_file.get(figures["year"])
        before = snapshot(row, FIGURE_FIELDS) if row is not None else None
        if row is None:
            row = AnnualFinancials(enterprise_id=enterprise.id, year=figures["year"])
            session.add(row)
        for field in FIGURE_FIELDS:
            if figures.get(field) is not None:
                setattr(row, field, figures[field])
        after = snapshot(row, FIGURE_FIELDS)
        if after != before:
            changes[f"financials.{figures['year']}"] = {"from": before, "to": after}
    session.flush()
    return changes
