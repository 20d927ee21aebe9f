"""notify's own message: a delivery request, published through notify's outbox and relay.

Internal to notify (the only producer and consumer), so it lives here rather than in
``yumiao_common.contracts``. Its routing key binds it to the ``notify.deliveries`` work queue;
the body carries ids only: the sender reads the current delivery row, so a replayed or
duplicated message can never resend with stale content.
"""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel
from pydantic import ConfigDict

from yumiao_common.contracts.base import Event

DELIVERY_ROUTING_KEY = "notify.delivery.requested"


class DeliveryRequestedPayload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    delivery_id: uuid.UUID
    notice_id: uuid.UUID
    channel: Literal["email", "webhook", "sms"]


class DeliveryRequested(Event):
    type: Literal["notify.delivery.requested"] = "notify.delivery.requested"
    schema_version: Literal[1] = 1
    producer: str = "notify"
    payload: DeliveryRequestedPayload


def parse_delivery(body: bytes) -> DeliveryRequested:
    """Raises ``pydantic.ValidationError`` for a poison message (the sender parks it)."""
    return DeliveryRequested.model_validate_json(body)
