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


class CriterionTitle(BaseModel):
    """A criterion's id and its title in both languages (what a notice names)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    zh: str
    en: str


class EligibilityChangedPayload(BaseModel):
    """``before`` is None on an enterprise's first evaluation for the tier.

    ``criteria_gained_titles`` and ``rulebook_documents`` (the rulebook's official documents,
    e.g. 国科发政〔2017〕115号) were added later and are optional: a message without them still
    parses (empty), so readers fall back to the ids and the version.
    """

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
    criteria_gained_titles: tuple[CriterionTitle, ...] = ()
    rulebook_documents: tuple[str, ...] = ()


class EligibilityChanged(Event):
    type: Literal["scoring.eligibility.changed"] = "scoring.eligibility.changed"
    schema_version: Literal[1] = 1
    producer: str = "scoring"
    payload: EligibilityChangedPayload
