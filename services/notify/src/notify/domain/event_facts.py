"""Translate wire contracts (``yumiao_common.contracts``) into the facts the rules decide on.

Only this module knows the contract shapes: "newly eligible" is ``after == "eligible"`` with
``before`` anything else (first evaluation included); "admitted" is ``to_stage == "admitted"``.
"""

from __future__ import annotations

from notify.domain.facts import AdmissionFact
from notify.domain.facts import EligibilityFact
from notify.domain.facts import ExpiryFact
from notify.domain.facts import Fact
from notify.domain.facts import ReviewFact
from yumiao_common.contracts.base import Event
from yumiao_common.contracts.registry import CertificationExpiring
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.contracts.registry import SubmissionReviewed
from yumiao_common.contracts.scoring import EligibilityChanged


def to_fact(event: Event) -> Fact | None:
    """The fact an event carries, or None for events notify does not act on."""
    if isinstance(event, EligibilityChanged):
        p = event.payload
        return EligibilityFact(
            event_id=event.id, uscc=p.uscc, enterprise_name=p.enterprise_name, tier=p.tier,
            became_eligible=p.after == "eligible" and p.before != "eligible",
            rulebook_version=p.rulebook_version, criteria_met=tuple(p.criteria_gained),
            occurred_at=event.occurred_at,
            criteria_met_titles=tuple((t.zh, t.en) for t in p.criteria_gained_titles),
            rulebook_documents=tuple(p.rulebook_documents),
        )
    if isinstance(event, CertificationExpiring):
        c = event.payload
        return ExpiryFact(
            event_id=event.id, uscc=c.uscc, enterprise_name=c.enterprise_name, tier=c.tier,
            expires_on=c.expires_on, days_before=c.days_before, certificate_number=c.number,
            occurred_at=event.occurred_at,
        )
    if isinstance(event, PipelineMoved):
        m = event.payload
        return AdmissionFact(
            event_id=event.id, uscc=m.uscc, enterprise_name=m.enterprise_name, pool=m.pool,
            admitted=m.to_stage == "admitted", reason=m.reason, occurred_at=m.moved_at,
        )
    if isinstance(event, SubmissionReviewed):
        r = event.payload
        return ReviewFact(
            event_id=event.id, uscc=r.uscc, enterprise_name=r.enterprise_name or None,
            submission_id=r.submission_id, year=r.year, status=r.status,
            returned=tuple((f, r.reasons.get(f, "")) for f in r.returned_fields),
            accepted=tuple(r.accepted_fields), note=r.note, occurred_at=event.occurred_at,
        )
    return None
