"""Registry snapshots into the read model: ``apply_enterprise_changes`` (the consumer's use case).

A batch of ``registry.enterprise.changed`` events (already claimed in the inbox by the caller):
store the newest snapshot per enterprise, re-evaluate the ones whose profile really changed,
write events for moved verdicts. Keyword-only, never commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from scoring.adapters.sql.evaluations import load_previous
from scoring.adapters.sql.overrides import overrides_in_force
from scoring.adapters.sql.profiles import evaluated_hashes
from scoring.adapters.sql.profiles import held_versions
from scoring.adapters.sql.profiles import store_newer
from scoring.handlers.evaluations import EvaluationRecord
from scoring.handlers.evaluations import Subject
from scoring.handlers.evaluations import evaluate_profile
from scoring.handlers.evaluations import evaluation_record
from scoring.handlers.evaluations import save_evaluations
from yumiao_common.clock import utcnow
from yumiao_common.contracts.profile import Profile
from yumiao_common.contracts.registry import EnterpriseChanged


def newest_per_enterprise(events: Sequence[EnterpriseChanged]) -> list[EnterpriseChanged]:
    """One event per enterprise: the highest registry version (then the latest occurrence)."""
    best: dict[str, EnterpriseChanged] = {}
    for event in events:
        uscc = str(event.payload.profile["enterprise"]["uscc"])
        held = best.get(uscc)
        if held is None or _order(event) > _order(held):
            best[uscc] = event
    return list(best.values())


def _order(event: EnterpriseChanged) -> tuple[int, datetime]:
    return event.payload.version, event.occurred_at


def apply_enterprise_changes(session: Session, *, events: Sequence[EnterpriseChanged]) -> int:
    """Store the snapshots and re-evaluate changed profiles; returns verdict moves emitted.

    Each emitted event carries the correlation id of the change that caused it, not one id
    for the whole batch: a notice must lead back to its own registry request."""
    fresh = sorted(newest_per_enterprise(events), key=_uscc)  # one lock order for replicas
    held = held_versions(session, [_uscc(e) for e in fresh])
    candidates: list[tuple[EnterpriseChanged, Profile, dict[str, Any], str]] = []
    for event in fresh:
        if held.get(_uscc(event), -1) >= event.payload.version:  # versions start at 0
            continue  # an older (or the same) snapshot arrived late: keep what we hold
        profile = Profile.model_validate(event.payload.profile)
        snapshot = stored_snapshot(profile)
        candidates.append((event, profile, snapshot, profile_hash(snapshot)))
    # one conditional write for the batch (not one per snapshot: issue 16's drain)
    written = store_newer(session, [_snapshot_row(event, profile, snapshot, digest)
                                    for event, profile, snapshot, digest in candidates])
    stored = [(event, profile, digest) for event, profile, _snapshot, digest in candidates
              if profile.enterprise.uscc in written]
    # Decided after the conditional write (its row lock is held until commit): another
    # consumer may have stored and evaluated a different version since ``held`` was read.
    evaluated = evaluated_hashes(session, [_uscc(e) for e, _p, _d in stored])
    return _reevaluate(session, [s for s in stored if evaluated.get(_uscc(s[0])) != {s[2]}])


def _uscc(event: EnterpriseChanged) -> str:
    return str(event.payload.profile["enterprise"]["uscc"])


def registry_attributes(event: EnterpriseChanged) -> tuple[str | None, tuple[str, ...]]:
    """Town and active pools, registry facts the rankings filter on (absent in old events)."""
    return event.payload.town_code, tuple(event.payload.pools)


def profile_hash(snapshot: Mapping[str, Any]) -> str:
    """A stable digest of a profile snapshot (key order and spacing do not matter)."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored_snapshot(profile: Profile) -> dict[str, Any]:
    """The profile as stored: only what the payload gave (a list left out stays left out, so
    a re-evaluation reads it as unknown, not as ``[]`` = none; profile.md), with its date."""
    return {**profile.model_dump(mode="json", exclude_unset=True),
            "as_of": profile.as_of.isoformat()}  # fmt: skip


def _snapshot_row(
    event: EnterpriseChanged, profile: Profile, snapshot: dict[str, Any], digest: str,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The ``enterprise_profile`` columns of a snapshot and its pools (``store_newer``)."""
    town, pools = registry_attributes(event)
    values = {
        "uscc": profile.enterprise.uscc, "name": profile.enterprise.name, "town_code": town,
        "industry_code": profile.enterprise.industry_code,
        "profile": snapshot, "profile_hash": digest,
        "source_event_id": event.id, "source_version": event.payload.version,
        "source_occurred_at": event.occurred_at, "updated_at": utcnow(),
    }
    return values, pools


def _reevaluate(
    session: Session,
    changed: Sequence[tuple[EnterpriseChanged, Profile, str]],
) -> int:
    if not changed:
        return 0
    overrides = overrides_in_force(session)
    now = utcnow()
    records: list[EvaluationRecord] = []
    subjects: dict[str, Subject] = {}
    for event, profile, digest in changed:
        uscc = profile.enterprise.uscc
        subjects[uscc] = Subject(profile.enterprise.name, profile.as_of, event.correlation_id)
        for tier, result in evaluate_profile(profile, overrides=overrides).items():
            records.append(evaluation_record(uscc, tier, result, digest, now))
    previous = load_previous(session, subjects)
    return save_evaluations(session, records, previous, subjects=subjects)
