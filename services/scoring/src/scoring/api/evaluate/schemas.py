"""Schemas of ``POST /evaluate``: the tier selection and view (query), the documented answer.

The answer schema documents the shape for OpenAPI and clients; the route returns JSON it built
itself, so marshmallow never re-serialises the engine's (large) result on the hot path.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate
from marshmallow import validates

from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.web.openapi import decimal_string

VIEWS = ("full", "summary")
VIEW_HELP = (
    "full（缺省）：列出每条标准；summary：只列未通过或待定的标准及差距，"
    "通过的只计数 / full (default): every criterion of every tier; summary: only the "
    "criteria that failed or are unknown, with their gaps, passing ones counted in `counts` "
    "— the compact answer for phones and the anonymous self-check"
)


class EvaluateQuery(Schema):
    class Meta:
        unknown = RAISE

    tiers = fields.String(
        load_default=None,
        metadata={"description": "逗号分隔的等级键，缺省为全部 / Comma-separated tier keys; "
                  "default: all. One of: " + ", ".join(TIER_KEYS)},
    )
    view = fields.String(
        load_default="full",
        validate=validate.OneOf(VIEWS),
        metadata={"description": VIEW_HELP},
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
    min = decimal_string(allow_none=True)
    max = decimal_string(allow_none=True)
    pass_mark = decimal_string(allow_none=True)
    out_of = decimal_string(allow_none=True)
    estimate = fields.Boolean()


class TitleSchema(Schema):
    zh = fields.String()
    en = fields.String()


class CountsSchema(Schema):
    pass_ = fields.Integer(data_key="pass")
    fail = fields.Integer()
    unknown_ = fields.Integer(data_key="unknown")
    review = fields.Integer(metadata={"description": "tiers with review criteria, or with a "
                                                     "criterion left to review (an undefined "
                                                     "ratio or growth rate) only"})


class TierResultSchema(Schema):
    tier = fields.String()
    title = fields.Nested(TitleSchema)
    verdict = fields.String(metadata={
        "enum": ["eligible", "ineligible", "near", "unknown"],
        "description": "`near` (差距较小 / near miss) means within reach this year: at most 2 "
                       "criteria not met, each closable within one fiscal year (money, staff "
                       "or IP) and short by at most 25 % of its requirement (or 1 IP item), "
                       "and a failing score at most 10 % of the pass mark below it (6 points "
                       "under 60). A `near` answer states this rule in `near_rule`."})
    near_rule = fields.Dict(metadata={
        "description": "only when verdict is `near`: the rule that made it near (max_failed, "
                       "max_shortfall_pct, max_ip_items, score_margin_pct, text_zh, text_en)"})
    route = fields.String(allow_none=True)
    score = fields.Nested(ScoreSchema, allow_none=True)
    criteria = fields.List(fields.Dict(), metadata={
        "description": "full: every criterion (status pass / fail / unknown / review); "
                       "summary: only those that failed, are unknown or need review, "
                       "without points, points_max, uses_local_parameter, local_parameters. "
                       "Each criterion carries what a person reads, in words and units, one "
                       "language per side: actual_text, requirement_text and note_text as "
                       "{zh, en} (是/否, ¥1,234,567, 12.50 %, field names; never a machine "
                       "expression); citation names the document and article only; "
                       "confirmed false marks an unconfirmed criterion (待核实)"})
    counts = fields.Nested(CountsSchema, metadata={
        "description": "summary view only: criteria per status (pass / fail / unknown, and "
                       "review when the rulebook has review criteria)"})
    next_steps = fields.List(fields.Raw())
    pending_review = fields.List(fields.String(), metadata={
        "description": "only for rulebooks with review criteria (status `review`: official "
                       "conditions not computable from a profile), or when a criterion is "
                       "`review` because its value is undefined (a ratio over zero, growth "
                       "from a zero base; the note says which). Ids of those the verdict "
                       "waits for; a tier whose only open items are these is `unknown` with "
                       "the route they would confirm — never `eligible` (须经评审确认 / "
                       "subject to review)"})
    rulebook_version = fields.String()
    rulebook_basis = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "only when a rulebook other than the one in force on `as_of` applied: "
                       "{zh, en, citation}. A 2026 re-review of 小巨人 (the firm holds the "
                       "title on `as_of`) is judged on the 2022 standard (复核：按2022年标准 / "
                       "re-review: 2022 standard; 工信厅企业函〔2026〕117号)"})
    uses_local_parameter = fields.Boolean()
    local_parameters = fields.List(fields.String())


class EvaluateAnswer(Schema):
    as_of = fields.Date()
    view = fields.String(metadata={"description": "\"summary\" in the summary view; absent "
                                                  "in the full view"})
    results = fields.Dict(keys=fields.String(), values=fields.Nested(TierResultSchema))
