"""The facts notify reacts to, normalised from the wire contracts.

Keeping the decision code on these small dataclasses (not on the pydantic events) means a
contract version 2 only changes ``notify.domain.event_facts``' translation, never the rules.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from datetime import datetime


@dataclass(frozen=True)
class EligibilityFact:
    event_id: uuid.UUID
    uscc: str
    enterprise_name: str | None
    tier: str
    became_eligible: bool
    rulebook_version: str
    criteria_met: tuple[str, ...]
    occurred_at: datetime
    #: Titles (zh, en) of the criteria met and the rulebook's documents, when the event has them.
    criteria_met_titles: tuple[tuple[str, str], ...] = ()
    rulebook_documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpiryFact:
    event_id: uuid.UUID
    uscc: str
    enterprise_name: str | None
    tier: str
    expires_on: date
    days_before: int
    certificate_number: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class AdmissionFact:
    event_id: uuid.UUID
    uscc: str
    enterprise_name: str | None
    pool: str
    admitted: bool
    reason: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class ReviewFact:
    """The bureau reviewed a firm's yearly report (issue 15): fields by path, with reasons."""

    event_id: uuid.UUID
    uscc: str
    enterprise_name: str | None
    submission_id: int
    year: int
    status: str
    #: (field path, the reviewer's reason) of every returned field, in the event's order.
    returned: tuple[tuple[str, str], ...]
    accepted: tuple[str, ...]
    note: str | None
    occurred_at: datetime


Fact = EligibilityFact | ExpiryFact | AdmissionFact | ReviewFact
