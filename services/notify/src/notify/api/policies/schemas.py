"""marshmallow schemas of the policy catalogue (unknown fields are refused: 422).

A policy's ``windows`` are its application batches; on a write the list replaces the stored
one whole (send the batches you keep). Their rules (closing on or after opening, no overlap,
sane years) live in ``notify.domain.windows`` and come back as ``windows.<i>.<field>`` errors.
"""

from __future__ import annotations

from datetime import date

from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate
from marshmallow import validates_schema

from notify.api.fields import MAX_YUAN
from notify.api.fields import version_field
from notify.domain.windows import WindowDates
from notify.domain.windows import days_left
from notify.domain.windows import status_on
from notify.domain.windows import window_problems
from yumiao_common.clock import beijing_day
from yumiao_common.clock import utcnow
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema

TRIGGERS = ("eligible", "admitted", "renewal")
_TEXT = validate.Length(min=1, max=2000)
_REASON = fields.String(required=True, validate=validate.Length(min=2, max=1000),
                        metadata={"description": "变更原因 / why (audited)"})


class WindowSchema(Schema):
    """One application batch: opens_on … closes_on, both days included (Beijing dates)."""

    batch_zh = fields.String(required=True, validate=validate.Length(min=1, max=100),
                             metadata={"description": "批次名称，如“2026年第一批”"})
    batch_en = fields.String(required=True, validate=validate.Length(min=1, max=100),
                             metadata={"description": "Batch name, e.g. '2026 first batch'"})
    opens_on = fields.Date(required=True, metadata={"description": "开始申报 / opens (inclusive)"})
    closes_on = fields.Date(required=True,
                            metadata={"description": "截止申报 / closes (inclusive)"})
    note = fields.String(allow_none=True, load_default=None,
                         validate=validate.Length(max=300))


def _today() -> date:
    return beijing_day(utcnow())


class WindowOut(WindowSchema):
    status = fields.Function(lambda w: status_on(w, _today()), metadata={
        "type": "string", "enum": ["upcoming", "open", "closed"],
        "description": "今日状态：未开始 / 申报中 / 已截止 (upcoming | open | closed)"})
    days_left = fields.Function(lambda w: days_left(w, _today()), metadata={
        "type": "integer", "description": "距截止天数，已截止为负 / days until it closes"})


class PolicyFields(Schema):
    name_zh = fields.String(validate=validate.Length(min=1, max=200))
    name_en = fields.String(validate=validate.Length(min=1, max=200))
    summary_zh = fields.String(validate=_TEXT)
    summary_en = fields.String(validate=_TEXT)
    trigger = fields.String(validate=validate.OneOf(TRIGGERS))
    tier = fields.String(allow_none=True, validate=validate.Length(max=40))
    pool = fields.String(allow_none=True, validate=validate.Length(max=40))
    condition_zh = fields.String(allow_none=True, validate=_TEXT)
    condition_en = fields.String(allow_none=True, validate=_TEXT)
    benefit_zh = fields.String(validate=_TEXT)
    benefit_en = fields.String(validate=_TEXT)
    amount_yuan = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(min=0, max=MAX_YUAN),
        metadata={"description": "整数元；未知为 null / yuan, null = unknown"},
    )
    amount_note = fields.String(allow_none=True, validate=validate.Length(max=200))
    window_opens = fields.Date(allow_none=True)
    window_closes = fields.Date(allow_none=True, metadata={"description": "申报截止 / deadline"})
    contact = fields.String(allow_none=True, validate=validate.Length(max=200))
    source_document = fields.String(validate=validate.Length(min=1, max=300))
    source_mark = fields.String(allow_none=True, validate=validate.Length(max=60))
    windows = fields.List(fields.Nested(WindowSchema), metadata={
        "description": "申报批次（写入时整体替换） / application batches (a write replaces them)"})

    @validates_schema
    def _windows(self, data: dict[str, object], **_: object) -> None:
        windows = data.get("windows")
        if isinstance(windows, list):
            problems = window_problems([WindowDates(w["opens_on"], w["closes_on"])
                                        for w in windows])
            if problems:
                raise ValidationError(problems)  # type: ignore[arg-type]

    @validates_schema
    def _consistent(self, data: dict[str, object], **_: object) -> None:
        opens, closes = data.get("window_opens"), data.get("window_closes")
        if opens and closes and closes < opens:  # type: ignore[operator]
            raise ValidationError("截止早于开始 / closes before it opens", "window_closes")
        trigger = data.get("trigger")
        if trigger in ("eligible", "renewal") and "tier" in data and not data["tier"]:
            raise ValidationError("须指定梯度 / a tier is required", "tier")
        if trigger == "admitted" and "pool" in data and not data["pool"]:
            raise ValidationError("须指定库 / a pool is required", "pool")


class PolicyCreate(PolicyFields):
    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,79}$"))
    reason = _REASON

    class Meta:
        fields_required = ("name_zh", "name_en", "summary_zh", "summary_en", "trigger",
                           "benefit_zh", "benefit_en", "source_document")

    @validates_schema
    def _required(self, data: dict[str, object], **_: object) -> None:
        missing = [f for f in self.Meta.fields_required if f not in data]
        if missing:
            raise ValidationError({f: ["必填 / required"] for f in missing})
        if data["trigger"] in ("eligible", "renewal") and not data.get("tier"):
            raise ValidationError("须指定梯度 / a tier is required", "tier")
        if data["trigger"] == "admitted" and not data.get("pool"):
            raise ValidationError("须指定库 / a pool is required", "pool")


class PolicyUpdate(PolicyFields):
    version = version_field(required=True)
    reason = _REASON


class PolicyRetire(Schema):
    version = version_field(required=True)
    reason = _REASON


class PolicyOut(PolicyFields):
    windows = fields.List(fields.Nested(WindowOut))
    id = fields.UUID()
    code = fields.String()
    status = fields.String()
    version = fields.Integer()
    amount_known = fields.Boolean()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class PolicyListArgs(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(("active", "retired")))
    tier = fields.String(validate=validate.Length(min=1, max=40))
    trigger = fields.String(validate=validate.OneOf(TRIGGERS))


class AuditOut(Schema):
    id = fields.UUID()
    action = fields.String()
    actor = fields.String()
    reason = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    at = UtcDateTime()


PolicyPage = page_schema(PolicyOut, name="PolicyPage")


class CalendarArgs(Schema):
    tier = fields.String(validate=validate.Length(min=1, max=40),
                         metadata={"description": "只含此梯度的政策 / only this tier's policies"})


class MatchOut(Schema):
    policy = fields.Nested(PolicyOut)
    verdict = fields.String(metadata={
        "description": "本企业在该梯度的结论：eligible 已符合 / near 接近符合"})
    live_windows = fields.List(fields.Nested(WindowOut), metadata={
        "description": "申报中或未开始的批次，先截止的在前 / open and upcoming batches, "
                       "the one closing first on top"})


class MatchesOut(Schema):
    uscc = fields.String()
    standings = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "梯度 → 最新结论 / tier → latest verdict"})
    items = fields.List(fields.Nested(MatchOut))
    total = fields.Integer()


class PolicyAuditArgs(PageQuerySchema):
    """``limit`` and ``cursor`` of a policy's audit trail (it grows with every change)."""


PolicyAuditPage = page_schema(AuditOut, name="PolicyAuditPage")
