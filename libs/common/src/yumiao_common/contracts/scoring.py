"""Events the scoring service publishes on ``yumiao.events``.

Scores are ``Decimal`` (serialised as decimal strings by pydantic), never float, so a band
edge survives the wire exactly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel
from pydantic import ConfigDict

from yumiao_common.contracts.base import Event

Verdict = Literal["eligible", "ineligible", "near", "unknown"]


class Score(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    min: Decimal
    max: Decimal
    pass_mark: Decimal | None = None
    out_of: Decimal | None = None


class EligibilityChangedPayload(BaseModel):
    """``before`` is None on an enterprise's first evaluation for the tier."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    uscc: str
    enterprise_name: str
    tier: str
    before: Verdict | None
    after: Verdict
    score: Score | None = None
    criteria_gained: tuple[str, ...] = ()
    criteria_lost: tuple[str, ...] = ()
    rulebook_version: str
    as_of: date


class EligibilityChanged(Event):
    type: Literal["scoring.eligibility.changed"] = "scoring.eligibility.changed"
    schema_version: Literal[1] = 1
    producer: str = "scoring"
    payload: EligibilityChangedPayload
