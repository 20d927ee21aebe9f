"""Reserve rounds (年度集中遴选): batch actions, the quota, how long an admission lasts.

A round belongs to one pool and one year. Its batches move many firms at once with one
reason: ``nominate`` (a new member, or re-nominating one that left), ``screen``, ``admit``
(counted against the quota), ``reject``, and ``exit`` (退库 with a structured reason). The
plan's figure for the high-tech reserve is about 20 a year (item 9); other pools name theirs.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from registry.domain.pipeline import Stage

#: The quota a new round gets when none is given (plan item 9: 每年动态储备20家左右).
DEFAULT_QUOTAS: dict[str, int] = {"hnte_reserve": 20}


@dataclass(frozen=True)
class BatchAction:
    """One batch action: the stage it moves firms to and whether an open round is needed."""

    key: str
    label: str
    target: Stage
    needs_open_round: bool = True


BATCH_ACTIONS: dict[str, BatchAction] = {a.key: a for a in (
    BatchAction("nominate", "提名 / Nominate", Stage.NOMINATED),
    BatchAction("screen", "遴选 / Screen", Stage.SCREENED),
    BatchAction("admit", "入库 / Admit", Stage.ADMITTED),
    BatchAction("reject", "未通过 / Reject", Stage.REJECTED),
    BatchAction("exit", "退库 / Exit", Stage.WITHDRAWN, needs_open_round=False),
)}

#: Readiness verdicts a candidate list can ask for, strongest first.
CANDIDATE_VERDICTS: tuple[str, ...] = ("eligible", "near")


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (the last day of a shorter month)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def valid_until(admitted_on: date, valid_months: int) -> date:
    """The last day an admission counts: the day before its ``valid_months`` anniversary."""
    return date.fromordinal(add_months(admitted_on, valid_months).toordinal() - 1)


def quota_left(quota: int, admitted: int) -> int:
    return max(quota - admitted, 0)


def exit_reason_on_lapse(stage: Stage | str) -> str:
    """Why a member leaves when its admission period ends: certified if it got the title."""
    return "certified" if Stage(stage) == Stage.CERTIFIED else "lapsed"
