"""Events the registry publishes on ``yumiao.events`` (``type`` is also the routing key).

Models are frozen and ignore unknown fields, so the registry may add payload fields within
schema version 1 without breaking consumers; a breaking change is a version 2 class published
beside this one (see ``contracts/events.py`` for how both parse side by side).
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from typing import Any
from typing import Literal

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field

from yumiao_common.contracts.base import Event

Stage = Literal[
    "nominated", "screened", "admitted", "cultivating", "applied", "certified",
    "rejected", "withdrawn",
]


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class EnterpriseChangedPayload(_Payload):
    """Event-carried state: the whole profile.md snapshot, so scoring never calls back.

    ``profile`` stays a dict on the wire contract on purpose: ``contracts.profile.Profile`` is
    strict (``extra="forbid"``) for HTTP input, and a strict wire model would make every field
    the registry adds a breaking change. Scoring validates it with ``Profile`` at its boundary.
    ``version`` increases with every change of the enterprise, so a consumer can drop a snapshot
    older than the one it holds (the relay does not promise order across batches).

    ``town_code`` (the township-level division code) and ``pools`` (the pools the enterprise is
    an active member of: not rejected or withdrawn) are registry facts outside profile.md that
    scoring's rankings filter on; a pipeline move therefore also emits this event.
    """

    profile: dict[str, Any]
    change: str
    version: int = Field(ge=0)
    town_code: str | None = None
    pools: tuple[str, ...] = ()


class EnterpriseChanged(Event):
    type: Literal["registry.enterprise.changed"] = "registry.enterprise.changed"
    schema_version: Literal[1] = 1
    producer: str = "registry"
    payload: EnterpriseChangedPayload


ExitReason = Literal["certified", "lapsed", "withdrew", "disqualified"]


class PipelineMovedPayload(_Payload):
    """One pipeline move. ``exit_reason`` (added within version 1, optional) says why a member
    left (退库: a move to ``withdrawn``); ``round_id`` names the reserve round it belongs to."""

    uscc: str
    enterprise_name: str
    pool: str
    from_stage: Stage | None
    to_stage: Stage
    actor: str
    reason: str | None = None
    moved_at: datetime
    exit_reason: ExitReason | None = None
    round_id: int | None = None


class PipelineMoved(Event):
    type: Literal["registry.pipeline.moved"] = "registry.pipeline.moved"
    schema_version: Literal[1] = 1
    producer: str = "registry"
    payload: PipelineMovedPayload


class CertificationExpiringPayload(_Payload):
    uscc: str
    enterprise_name: str
    tier: str
    level: str | None = None
    number: str | None = None
    expires_on: date
    days_before: Literal[90, 30, 7]


class CertificationExpiring(Event):
    type: Literal["registry.certification.expiring"] = "registry.certification.expiring"
    schema_version: Literal[1] = 1
    producer: str = "registry"
    payload: CertificationExpiringPayload


class Contact(_Payload):
    """One contact person of an enterprise, with consent and opt-out per channel.

    A channel may be used only when consent is given and no opt-out is recorded; the
    registry sends the flags, not a verdict, so notify decides with the facts in hand.
    """

    id: int
    name: str
    role: str | None = None
    mobile: str | None = None  #: normalised 11-digit mainland number
    email: str | None = None
    sms_consent: bool = False
    sms_opt_out: bool = False
    email_consent: bool = False
    email_opt_out: bool = False


class ContactsChangedPayload(_Payload):
    """Event-carried state: the enterprise's whole contact list after a change.

    A separate event rather than a field of ``registry.enterprise.changed``: that snapshot
    goes to scoring, which must never receive personal data it does not need, and a contact
    edit is no reason to re-score. ``version`` grows with every contact change of the
    enterprise, so a consumer drops a snapshot older than the one it holds.

    ``change`` is ``changed`` for an edit and ``republished`` when the registry sends the
    current list again (``flask --app registry.app republish-snapshots``, after a restore):
    same version, nothing changed, so a consumer stores it like any snapshot and tells no one.
    Added within schema version 1 with a default, so older samples still parse.
    """

    uscc: str
    enterprise_name: str
    version: int = Field(ge=0)
    contacts: tuple[Contact, ...] = ()
    change: str = "changed"


class ContactsChanged(Event):
    type: Literal["registry.contacts.changed"] = "registry.contacts.changed"
    schema_version: Literal[1] = 1
    producer: str = "registry"
    payload: ContactsChangedPayload


class RoundChangedPayload(_Payload):
    """A reserve round opened, changed or published (its 入库名单 final); issue 12 item 4.
    The firms' own moves are ``registry.pipeline.moved`` events with ``round_id``."""

    round_id: int
    pool: str
    year: int
    quota: int
    status: Literal["open", "published"]
    action: Literal["opened", "updated", "published"]
    admitted: int = Field(ge=0)
    actor: str
    reason: str | None = None
    at: datetime


class RoundChanged(Event):
    type: Literal["registry.round.changed"] = "registry.round.changed"
    schema_version: Literal[1] = 1
    producer: str = "registry"
    payload: RoundChangedPayload


class CultivationChangedPayload(_Payload):
    """A firm's curator, service record or problem was recorded or changed (issue 12 item 5).

    The notes themselves stay in the registry (they are the bureau's, and a firm sees one only
    when it is shared): the event says what changed, who did it, whether the firm may see it.
    """

    uscc: str
    enterprise_name: str
    record: Literal["curator", "service", "problem"]
    record_id: int
    action: Literal["create", "update"]
    actor: str
    at: datetime
    curator: str | None = None
    shared_with_firm: bool = False
    kind: str | None = None  #: the service's kind (visit, training, …)
    status: str | None = None  #: the problem's status (open, in_progress, resolved)


class CultivationChanged(Event):
    type: Literal["registry.cultivation.changed"] = "registry.cultivation.changed"
    schema_version: Literal[1] = 1
    producer: str = "registry"
    payload: CultivationChangedPayload


class SubmissionSubmittedPayload(_Payload):
    """A firm submitted its yearly report (自报, issue 15) for the bureau's review."""

    uscc: str
    enterprise_name: str = ""
    submission_id: int
    year: int
    status: Literal["submitted"] = "submitted"


class SubmissionSubmitted(Event):
    type: Literal["registry.submission.submitted"] = "registry.submission.submitted"
    schema_version: Literal[1] = 1
    producer: str = "registry"
    payload: SubmissionSubmittedPayload


class SubmissionReviewedPayload(_Payload):
    """The bureau reviewed a firm's yearly report (issue 15 item 3): which fields it accepted
    (now in the registry) and which it returned for the firm to correct.

    ``returned_fields`` and ``accepted_fields`` are content field paths (``financials.rd_expense``,
    ``ip.0``; ``vocabulary.submission_fields`` names them in words). ``reasons`` carries the
    reviewer's reason for each returned field, so notify tells the firm why without calling
    back; ``note`` is the review's note to the firm.
    """

    uscc: str
    enterprise_name: str = ""
    submission_id: int
    year: int
    status: Literal["accepted", "partially_accepted", "returned"]
    returned_fields: tuple[str, ...] = ()
    accepted_fields: tuple[str, ...] = ()
    reasons: dict[str, str] = Field(default_factory=dict)
    note: str | None = None
    reviewer: str | None = None


class SubmissionReviewed(Event):
    type: Literal["registry.submission.reviewed"] = "registry.submission.reviewed"
    schema_version: Literal[1] = 1
    producer: str = "registry"
    payload: SubmissionReviewedPayload
