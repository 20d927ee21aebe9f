"""Which notices a fact owes an enterprise: the bureau's rules, pure and unit-tested.

* newly eligible for a tier → one notice per open policy that tier opens; losing eligibility
  (or staying eligible) owes nothing, so flapping never spams;
* a certification about to lapse → one renewal reminder per registry milestone (90/30/7
  days before), with the deadline; reminders bypass the weekly cap, because missing one
  costs the enterprise its benefits;
* admitted to a pool → one welcome listing that pool's open support;
* a policy whose window has closed on the event's date owes nothing;
* the bureau reviewed the firm's yearly report → one notice of the outcome per review (what
  was accepted, what was returned and why); it bypasses the weekly cap, because a returned
  field waits for the firm to correct it.

Every draft carries its deterministic key: sha256 of (enterprise, policy, cause, rulebook
version). The same fact can never yield two notices, whatever happens upstream.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from notify.domain.facts import AdmissionFact
from notify.domain.facts import EligibilityFact
from notify.domain.facts import ExpiryFact
from notify.domain.facts import Fact
from notify.domain.facts import ReviewFact

NO_RULEBOOK = "-"


@dataclass(frozen=True)
class PolicyView:
    """The slice of a policy the rules and templates need (detached from the ORM)."""

    code: str
    trigger: str
    tier: str | None
    pool: str | None
    name_zh: str
    name_en: str
    benefit_zh: str
    benefit_en: str
    amount_yuan: int | None
    amount_note: str | None
    window_opens: date | None
    window_closes: date | None
    contact: str | None
    source_document: str

    def is_open(self, on: date) -> bool:
        return self.window_closes is None or self.window_closes >= on


@dataclass(frozen=True)
class Draft:
    key: str
    kind: str
    fact: Fact
    policy: PolicyView | None
    cause: dict[str, Any]
    rulebook_version: str
    deadline: date | None
    bypasses_cap: bool
    support: tuple[PolicyView, ...] = field(default=())


def notice_key(uscc: str, policy: str, cause: str, rulebook_version: str) -> str:
    raw = "\x1f".join((uscc, policy, cause, rulebook_version))
    return hashlib.sha256(raw.encode()).hexdigest()


def decide(fact: Fact, policies: list[PolicyView], today: date) -> list[Draft]:
    """Drafts owed for ``fact``; windows are judged on the later of the fact's day and today."""
    on = max(fact.occurred_at.date(), today)
    if isinstance(fact, EligibilityFact):
        return _eligibility(fact, policies, on)
    if isinstance(fact, ExpiryFact):
        return _renewal(fact, policies, on)
    if isinstance(fact, ReviewFact):
        return _review(fact)
    return _welcome(fact, policies, on)


def _eligibility(fact: EligibilityFact, policies: list[PolicyView], on: date) -> list[Draft]:
    if not fact.became_eligible:
        return []
    cause = f"eligible:{fact.tier}"
    return [
        Draft(
            key=notice_key(fact.uscc, p.code, cause, fact.rulebook_version),
            kind="eligibility", fact=fact, policy=p,
            cause={"type": cause, "criteria_met": list(fact.criteria_met)},
            rulebook_version=fact.rulebook_version, deadline=p.window_closes,
            bypasses_cap=False,
        )
        for p in policies
        if p.trigger == "eligible" and p.tier == fact.tier and p.is_open(on)
    ]


def _renewal(fact: ExpiryFact, policies: list[PolicyView], on: date) -> list[Draft]:
    days_left = (fact.expires_on - on).days
    if days_left < 0:
        return []
    mark = fact.days_before
    cause = f"expiring:{fact.tier}:{fact.expires_on.isoformat()}:{mark}d"
    related = tuple(p for p in policies if p.tier == fact.tier and p.trigger != "admitted")
    return [
        Draft(
            key=notice_key(fact.uscc, f"renewal:{fact.tier}", cause, NO_RULEBOOK),
            kind="renewal", fact=fact, policy=None,
            cause={"type": cause, "days_left": days_left, "milestone_days": mark},
            rulebook_version=NO_RULEBOOK, deadline=fact.expires_on, bypasses_cap=True,
            support=related,
        )
    ]


def _welcome(fact: AdmissionFact, policies: list[PolicyView], on: date) -> list[Draft]:
    if not fact.admitted:
        return []
    cause = f"admitted:{fact.pool}:{fact.occurred_at.date().isoformat()}"
    support = tuple(
        p for p in policies if p.trigger == "admitted" and p.pool == fact.pool and p.is_open(on)
    )
    deadlines = [p.window_closes for p in support if p.window_closes]
    return [
        Draft(
            key=notice_key(fact.uscc, f"pool:{fact.pool}", cause, NO_RULEBOOK),
            kind="welcome", fact=fact, policy=None,
            cause={"type": cause, "reason": fact.reason},
            rulebook_version=NO_RULEBOOK, deadline=min(deadlines) if deadlines else None,
            bypasses_cap=False, support=support,
        )
    ]


def _review(fact: ReviewFact) -> list[Draft]:
    """One notice per review event: a second review of the same report is news again."""
    cause = f"reviewed:{fact.submission_id}:{fact.event_id}"
    return [
        Draft(
            key=notice_key(fact.uscc, f"submission:{fact.submission_id}", cause, NO_RULEBOOK),
            kind="review", fact=fact, policy=None,
            cause={"type": cause, "submission_id": fact.submission_id, "year": fact.year,
                   "status": fact.status, "returned_fields": [f for f, _ in fact.returned],
                   "accepted_fields": list(fact.accepted)},
            rulebook_version=NO_RULEBOOK, deadline=None, bypasses_cap=True,
        )
    ]
