"""Parse any message on ``yumiao.events`` into its contract model, with one TypeAdapter.

The union is discriminated on ``(type, schema_version)`` rather than ``type`` alone, so a
breaking version 2 can be published beside version 1 (style.md point 6) and both parse.
To add an event: define it in ``contracts/<producer>.py`` and add one tagged line to
``AnyEvent``; ``tests/contracts`` checks every tag matches its class.
"""

from __future__ import annotations

from typing import Annotated
from typing import Any

from pydantic import Discriminator
from pydantic import Tag
from pydantic import TypeAdapter

from yumiao_common.contracts.base import Event
from yumiao_common.contracts.registry import CertificationExpiring
from yumiao_common.contracts.registry import ContactsChanged
from yumiao_common.contracts.registry import CultivationChanged
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.contracts.registry import RoundChanged
from yumiao_common.contracts.registry import SubmissionReviewed
from yumiao_common.contracts.registry import SubmissionSubmitted
from yumiao_common.contracts.scoring import EligibilityChanged


def event_tag(value: Any) -> str | None:
    """``"<type>@<schema_version>"`` for raw dicts (parsing) and models (serialising)."""
    if isinstance(value, dict):
        return f"{value.get('type')}@{value.get('schema_version')}"
    return f"{getattr(value, 'type', None)}@{getattr(value, 'schema_version', None)}"


AnyEvent = Annotated[
    Annotated[EnterpriseChanged, Tag("registry.enterprise.changed@1")]
    | Annotated[PipelineMoved, Tag("registry.pipeline.moved@1")]
    | Annotated[CertificationExpiring, Tag("registry.certification.expiring@1")]
    | Annotated[EligibilityChanged, Tag("scoring.eligibility.changed@1")]
    | Annotated[ContactsChanged, Tag("registry.contacts.changed@1")]
    | Annotated[RoundChanged, Tag("registry.round.changed@1")]
    | Annotated[CultivationChanged, Tag("registry.cultivation.changed@1")]
    | Annotated[SubmissionSubmitted, Tag("registry.submission.submitted@1")]
    | Annotated[SubmissionReviewed, Tag("registry.submission.reviewed@1")],
    Discriminator(event_tag),
]

EVENT_ADAPTER: TypeAdapter[AnyEvent] = TypeAdapter(AnyEvent)


def parse_event(body: bytes | str) -> Event:
    """Validate a message body; raises ``pydantic.ValidationError`` for anything unknown."""
    return EVENT_ADAPTER.validate_json(body)


def event_types() -> tuple[type[Event], ...]:
    """Every concrete event class in the union (for tests, topology checks and docs)."""
    return (EnterpriseChanged, PipelineMoved, CertificationExpiring, EligibilityChanged,
            ContactsChanged, RoundChanged, CultivationChanged, SubmissionSubmitted,
            SubmissionReviewed)
