"""Re-evaluation jobs: preview the impact of a change, then activate it for everyone.

Both phases run outside the request (the jobs worker ``python -m scoring.jobs``, through
``handlers.reevaluation_jobs``, or the ``flask reevaluation-run`` command), persist their
progress, and read and write in bulk: profiles are streamed in chunks with Core, evaluations
are written with executemany.

Activation is two steps so progress can be committed while SQLite holds one writer:
(1) evaluate everyone with the new parameters (read-only, progress committed per chunk);
(2) one transaction applies the parameter overrides (audited) and writes every evaluation and
every ``scoring.eligibility.changed`` event — all of it or none of it. A profile the consumer
changed between (1) and (2) is re-evaluated inside (2), which first holds the profile table
against consumers' writes (any replica's), so nothing stale is written.

Parameters are never mixed. The preview records the overrides it was computed on
(``previewed_overrides``); the activation evaluates on exactly that set plus the job's change.
Step (2) first takes the parameter table in EXCLUSIVE mode — a ``PUT /parameters`` and any other
activation (another request, another jobs worker) wait for it, plain reads do not — and then
compares the overrides in force with that set: when they moved (a parameter was changed, or a
competing activation applied its change first) the job fails, writing nothing, with
``STALE_PARAMETERS``: preview again. So of two activations on the same overrides at most one
applies; the other waits and refuses as stale.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.adapters.sql.evaluations import Previous
from scoring.adapters.sql.evaluations import load_previous
from scoring.adapters.sql.overrides import overrides_in_force
from scoring.adapters.sql.reevaluations import record_progress
from scoring.adapters.sql.reevaluations import stream_profiles
from scoring.adapters.sql.reevaluations import write_impact
from scoring.domain.outcome import TierOutcome
from scoring.domain.outcome import criteria_moves
from scoring.domain.ranking import decimal_text
from scoring.handlers.evaluations import EvaluationRecord
from scoring.handlers.evaluations import Subject
from scoring.handlers.evaluations import evaluate_profile
from scoring.handlers.evaluations import evaluation_record
from scoring.handlers.evaluations import previous_outcomes
from scoring.handlers.evaluations import save_evaluations
from scoring.handlers.parameters import apply_parameter_changes
from scoring.models import EnterpriseProfile
from scoring.models import Reevaluation
from yumiao_common.clock import utcnow
from yumiao_common.contracts.profile import Profile

log = logging.getLogger(__name__)

#: Rows per executemany when no setting is passed (the Settings default).
DEFAULT_WRITE_BATCH = 1000

#: A previewed job's refusal when the overrides moved after its preview.
STALE_PARAMETERS = ("参数已变更，请重新预览 / parameters changed since the preview; "
                    "preview again")
#: A job queued without a preview (``PUT /parameters``) whose overrides moved while it ran; the
#: job queued with the newer change re-evaluates everyone.
MOVED_PARAMETERS = ("参数在重新评价期间已变更，以后续任务为准 / parameters changed while this "
                    "re-evaluation ran; the job of the newer change applies")


class ParametersChanged(Exception):
    """The overrides in force are not the set the job was computed on: nothing is written."""


@dataclass
class Computed:
    """Phase-1 output: evaluation rows and who they are about."""

    rows: list[EvaluationRecord] = field(default_factory=list)
    subjects: dict[str, Subject] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)


def proposed_overrides(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Current overrides with the job's changes applied (None restores a default)."""
    merged = dict(current)
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def evaluate_chunk(
    chunk: list[tuple[str, dict[str, Any], str]], overrides: Mapping[str, Any],
    as_of: date | None, tiers: list[str] | None, out: Computed,
) -> None:
    now = utcnow()
    for uscc, snapshot, digest in chunk:
        profile = Profile.model_validate(snapshot)
        if as_of is not None and as_of > profile.as_of:
            profile = profile.model_copy(update={"as_of": as_of})
        out.subjects[uscc] = Subject(profile.enterprise.name, profile.as_of)
        out.hashes[uscc] = digest
        for tier, result in evaluate_profile(profile, overrides=overrides, tiers=tiers).items():
            out.rows.append(evaluation_record(uscc, tier, result, digest, now))


def compute(factory: sessionmaker[Session], job: Reevaluation, overrides: Mapping[str, Any]
            ) -> Computed:
    """Evaluate every stored profile under ``overrides``, committing progress per chunk."""
    out = Computed()
    with factory() as reader:
        total = reader.query(EnterpriseProfile).count()
        record_progress(factory, job.id, total=total, processed=0)
        done = 0
        for chunk in stream_profiles(reader):
            evaluate_chunk(chunk, overrides, job.as_of, job.tiers, out)
            done += len(chunk)
            record_progress(factory, job.id, processed=done)
    return out


def classify(before: str | None, after: str) -> str | None:
    """gain / loss / change, or None when the verdict does not move."""
    if before == after:
        return None
    if after == "eligible":
        return "gain"
    if before == "eligible":
        return "loss"
    return "change"


def impact_rows(
    job_id: uuid.UUID,
    records: Sequence[EvaluationRecord],
    previous: Mapping[tuple[str, str], Previous],
    befores: Mapping[tuple[str, str], TierOutcome | None],
) -> list[dict[str, Any]]:
    """One impact row per enterprise × tier whose verdict the change would move; ``befores``:
    the held answers of those (``previous_outcomes``)."""
    out: list[dict[str, Any]] = []
    for record in records:
        held = previous.get((record.uscc, record.tier))
        before = held.verdict if held else None
        after = record.outcome
        kind = classify(before, after.verdict)
        if kind is None:
            continue
        held_outcome = befores.get((record.uscc, record.tier))
        met, lost = criteria_moves(held_outcome, after)
        out.append({
            "job_id": job_id, "uscc": record.uscc, "tier": record.tier, "kind": kind,
            "before": before, "after": after.verdict,
            "score_before": score_text(held_outcome), "score_after": score_text(after),
            "criteria_met": met, "criteria_lost": lost,
        })
    return out


def score_text(outcome: TierOutcome | None) -> str | None:
    """The score's mid-point as plain digits (None without a score)."""
    mid = outcome.score.mid if outcome is not None and outcome.score is not None else None
    return None if mid is None else decimal_text(mid)


def run_preview(factory: sessionmaker[Session], job_id: uuid.UUID) -> None:
    """Compute and store the impact of a job's change without activating anything."""
    job = _start(factory, job_id, "previewing")
    try:
        with factory() as session:
            base = overrides_in_force(session)
        computed = compute(factory, job, proposed_overrides(base, job.parameters))
        with factory.begin() as session:
            previous = load_previous(session, computed.subjects)
            befores = previous_outcomes(session, computed.rows, previous)
            impacts = impact_rows(job.id, computed.rows, previous, befores)
            summary = write_impact(session, job.id, impacts, len(computed.rows))
            session.execute(update(Reevaluation).where(Reevaluation.id == job.id).values(
                status="previewed", summary=summary, previewed_overrides=base))
    except Exception as exc:  # noqa: BLE001 - a failed job says why instead of hanging
        _fail(factory, job_id, exc)


def run_activation(factory: sessionmaker[Session], job_id: uuid.UUID, actor: str,
                   write_batch: int = DEFAULT_WRITE_BATCH) -> None:
    """Apply the job's change and re-evaluate everyone, atomically (see the module text).

    Evaluations are written ``write_batch`` rows per executemany
    (``SCORING_REEVALUATION_WRITE_BATCH``).
    """
    job = _start(factory, job_id, "activating")
    try:
        with factory() as session:
            base = _base_overrides(job, overrides_in_force(session))
        overrides = proposed_overrides(base, job.parameters)
        computed = compute(factory, job, overrides)
        with factory.begin() as session:
            _hold_parameters(session)
            _base_overrides(job, overrides_in_force(session), expected=base)
            _hold_profiles(session)
            _refresh_changed_profiles(session, computed, overrides, job)
            apply_parameter_changes(session, changes=job.parameters, actor=actor,
                                    reason=job.reason, job_id=job.id)
            previous = load_previous(session, computed.subjects)
            moves = save_evaluations(session, computed.rows, previous,
                                     subjects=computed.subjects, correlation_id=str(job.id),
                                     write_batch=write_batch)
            session.execute(update(Reevaluation).where(Reevaluation.id == job.id).values(
                status="activated", activated_by=actor, activated_at=utcnow(),
                summary={**(job.summary or {}), "events": moves}))
    except Exception as exc:  # noqa: BLE001 - a failed job says why instead of hanging
        _fail(factory, job_id, exc)


def _base_overrides(job: Reevaluation, in_force: dict[str, Any],
                    expected: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The overrides the job's change applies on: ``in_force`` if it is still the set the job
    was previewed (or first computed) on; else ``ParametersChanged``."""
    if expected is None:
        expected = job.previewed_overrides
    if expected is not None and dict(expected) != in_force:
        raise ParametersChanged(
            STALE_PARAMETERS if job.previewed_overrides is not None else MOVED_PARAMETERS)
    return in_force


def _hold_parameters(session: Session) -> None:
    """Keep parameter writes and other activations out until this transaction ends (PostgreSQL).

    EXCLUSIVE mode, taken before the profile lock so two activations queue here in one order:
    it conflicts with the row locks of ``set_parameter`` (SELECT … FOR UPDATE) and with itself,
    while plain reads (the consumers', what-if's) go on. SQLite has one writer anyway.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE parameter_override IN EXCLUSIVE MODE"))


def _hold_profiles(session: Session) -> None:
    """Keep consumers from storing profiles until this transaction ends (PostgreSQL).

    Without it a consumer (any replica) could commit a new profile and its evaluations after
    ``_refresh_changed_profiles`` read the hashes, and this transaction would then write the
    old profile's results over them. SHARE mode lets readers through and makes a consumer's
    write wait (or this wait for a consumer's open write); SQLite has one writer anyway.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE enterprise_profile IN SHARE MODE"))


def _refresh_changed_profiles(
    session: Session, computed: Computed, overrides: Mapping[str, Any], job: Reevaluation
) -> None:
    """Re-evaluate, inside the writing transaction, profiles that changed since phase 1."""
    stmt = select(EnterpriseProfile.uscc, EnterpriseProfile.profile_hash)
    moved = [u for u, h in session.execute(stmt) if computed.hashes.get(u) != h]
    if not moved:
        return
    gone = set(moved)
    computed.rows = [r for r in computed.rows if r.uscc not in gone]
    for chunk in stream_profiles(session, moved):
        evaluate_chunk(chunk, overrides, job.as_of, job.tiers, computed)


def _start(factory: sessionmaker[Session], job_id: uuid.UUID, status: str) -> Reevaluation:
    with factory.begin() as session:
        job = session.get(Reevaluation, job_id)
        if job is None:
            raise LookupError(job_id)
        job.status = status
        session.flush()
        session.expunge(job)
        return job


def _fail(factory: sessionmaker[Session], job_id: uuid.UUID, exc: Exception) -> None:
    if isinstance(exc, ParametersChanged):
        log.warning("re-evaluation %s refused: %s", job_id, exc)
        record_progress(factory, job_id, status="failed", error=str(exc))
        return
    log.exception("re-evaluation %s failed", job_id, exc_info=exc)
    record_progress(factory, job_id, status="failed", error=f"{type(exc).__name__}: {exc}"[:2000])
