"""Schemas of ``POST /evaluate``: the tier selection (query) and the documented answer.

The answer schema documents the shape for OpenAPI and clients; the route returns JSON it built
itself, so marshmallow never re-serialises the engine's (large) result on the hot path.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validates

from yumiao_common.contracts.profile import TIER_KEYS


class TiersQuery(Schema):
    class Meta:
        unknown = RAISE

    tiers = fields.String(
        load_default=None,
        metadata={"description": "逗号分隔的等级键，缺省为全部 / Comma-separated tier keys; "
                  "default: all. One of: " + ", ".join(TIER_KEYS)},
    )

    @validates("tiers")
    def _known(self, value: str | None, **_kwargs: Any) -> None:
        if value is None:
            return
        unknown = [t for t in value.split(",") if t.strip() not in TIER_KEYS]
        if unknown or not value.strip():
            raise ValidationError(
                f"未知等级：{', '.join(unknown)} / Unknown tier(s); allowed: {', '.join(TIER_KEYS)}"
            )


class ScoreSchema(Schema):
    min = fields.String(allow_none=True)
    max = fields.String(allow_none=True)
    pass_mark = fields.String(allow_none=True)
    out_of = fields.String(allow_none=True)


class TierResultSchema(Schema):
    verdict = fields.String(metadata={"enum": ["eligible", "ineligible", "near", "unknown"]})
    route = fields.String(allow_none=True)
    score = fields.Nested(ScoreSchema, allow_none=True)
    criteria = fields.List(fields.Dict())
    next_steps = fields.List(fields.Raw())
    rulebook_version = fields.String()
    uses_local_parameter = fields.Boolean()


class EvaluateAnswer(Schema):
    as_of = fields.Date()
    results = fields.Dict(keys=fields.String(), values=fields.Nested(TierResultSchema))
