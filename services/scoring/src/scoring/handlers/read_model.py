"""Empty scoring's read model, so the registry's re-published snapshots rebuild it.

scoring stores a profile snapshot only if it is newer than the one it holds
(``adapters.sql.profiles.store_if_newer``). After the registry is restored from a backup older
than scoring's database, the registry's versions are *behind* scoring's, and every snapshot it
sends would be dropped. The recovery (docs/operations.md) therefore empties the read model —
profiles, their pools and the evaluations computed from them — and then has the registry
re-publish every snapshot (``flask --app registry.app republish-snapshots``).

Parameters, their audit trail, rulebooks, re-evaluation jobs and their impact rows stay: they
are scoring's own records, not derived from the registry. The inbox stays too, so an old
delivery arriving late is still recognised as already handled.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session

from scoring.models import EnterprisePool
from scoring.models import EnterpriseProfile
from scoring.models import Evaluation
from scoring.models import Reevaluation

#: Phases that read and write the read model while they run.
RUNNING_PHASES = ("previewing", "activating")


class ReevaluationRunning(RuntimeError):
    """A re-evaluation is reading or writing the read model; emptying it now would race it."""


@dataclass(frozen=True)
class Emptied:
    profiles: int
    evaluations: int


def reset_read_model(session: Session) -> Emptied:
    """Delete every profile, pool membership and evaluation (never commits).

    Refuses while a re-evaluation phase runs. On PostgreSQL the three tables are locked
    first, so a consumer's write waits for this transaction instead of interleaving with it.
    """
    running = session.scalar(select(func.count()).select_from(Reevaluation)
                             .where(Reevaluation.status.in_(RUNNING_PHASES)))
    if running:
        raise ReevaluationRunning(
            f"{running} 个重新评价任务正在运行，请等待其结束 / {running} re-evaluation job(s) "
            "running: wait until they finish (or fail) first")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE enterprise_profile, enterprise_pool, evaluation "
                             "IN ACCESS EXCLUSIVE MODE"))
    profiles = session.scalar(select(func.count()).select_from(EnterpriseProfile)) or 0
    evaluations = session.scalar(select(func.count()).select_from(Evaluation)) or 0
    session.execute(delete(Evaluation))
    session.execute(delete(EnterprisePool))
    session.execute(delete(EnterpriseProfile))
    return Emptied(profiles=profiles, evaluations=evaluations)
