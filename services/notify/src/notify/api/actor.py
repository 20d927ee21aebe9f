"""Writes must name who acts: the gateway propagates the principal as ``X-Actor``."""

from __future__ import annotations

from yumiao_common.http_errors import Forbidden
from yumiao_common.web import current_actor

ACTOR_REQUIRED = "须提供操作人（X-Actor）/ The acting principal (X-Actor) is required"


def require_actor() -> str:
    actor = current_actor()
    if actor == "anonymous" or not actor.strip():
        raise Forbidden(ACTOR_REQUIRED, code="actor_required")
    return actor
