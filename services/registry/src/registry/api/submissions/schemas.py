"""HTTP schemas of firms' yearly reports (``/enterprises/{uscc}/submissions``, ``/submissions``).

Content is validated by the registry's own schemas of each record — the year's figures
(``FiguresSchema``: the edit API's fields and cross-field rules), the compliance flags
(``FlagsSchema``) and the IP, award, institution and standard fields of ``api/records`` — so a
report is refused for exactly what the edit API would refuse. A draft may leave anything out
(the update variants); submitting checks the stored content again with the create variants
(every required field present).
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest.fields import Upload
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import pre_load
from marshmallow import validate

from registry.api.enterprises.schemas import FlagsSchema
from registry.api.fields import MESSAGES
from registry.api.fields import BaseSchema
from registry.api.fields import choice
from registry.api.fields import integer
from registry.api.fields import text
from registry.api.financials.schemas import FiguresSchema
from registry.api.records.schemas import award_fields
from registry.api.records.schemas import institution_fields
from registry.api.records.schemas import ip_fields
from registry.api.records.schemas import standard_fields
from registry.domain import submissions as rules
from registry.domain.towns import is_town_code
from yumiao_common.web.errors import flatten_messages
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import cursor_field
from yumiao_common.web.pagination import limit_field
from yumiao_common.web.pagination import page_schema

_ITEM_SPECS = {"ip": ("Ip", ip_fields), "awards": ("Award", award_fields),
               "institutions": ("Institution", institution_fields),
               "standards": ("Standard", standard_fields)}


def _content_schema(*, complete: bool) -> type[Schema]:
    suffix = "" if complete else "Draft"
    items: dict[str, Any] = {}
    for section, (name, spec) in _ITEM_SPECS.items():
        item = BaseSchema.from_dict(spec(complete), name=f"Submitted{name}{suffix}")
        items[section] = fields.List(
            fields.Nested(item), validate=validate.Length(max=rules.MAX_ITEMS),
            error_messages=MESSAGES)
    return BaseSchema.from_dict({
        "financials": fields.Nested(FiguresSchema, error_messages=MESSAGES),
        "flags": fields.Nested(FlagsSchema, error_messages=MESSAGES),
        **items,
    }, name=f"SubmissionContent{suffix}")


ContentDraftSchema = _content_schema(complete=False)
ContentCompleteSchema = _content_schema(complete=True)


def content_errors(content: dict[str, Any]) -> dict[str, list[str]]:
    """Field errors of stored content against the complete schemas (path: why)."""
    try:
        ContentCompleteSchema().load(content)
    except ValidationError as exc:
        return flatten_messages(exc.messages)
    return {}


class SubmissionCreateSchema(BaseSchema):
    year = integer(2000, 2100, required=True, metadata={
        "description": "会计年度（2000 至今年）/ Fiscal year, 2000 to this year"})


class SubmissionSaveSchema(BaseSchema):
    content = fields.Nested(ContentDraftSchema, required=True, error_messages=MESSAGES,
                            metadata={"description": (
                                "给出的部分整体替换，未给出的保持不变 / Each section given "
                                "replaces the saved one; sections left out stay as saved")})


class EvidenceSchema(BaseSchema):
    id = fields.Integer()
    item = fields.String()
    kind = fields.String()
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    scanned = fields.Boolean()
    created_at = UtcDateTime()


class DecisionOutSchema(BaseSchema):
    field = fields.String()
    outcome = fields.String(metadata={"enum": ["accepted", "returned"]})
    reason = fields.String(allow_none=True)
    reviewer = fields.String()
    decided_at = fields.String(metadata={"format": "date-time"})


class ContentOutSchema(BaseSchema):
    financials = fields.Dict(metadata={"description": "年度数据 / The year's figures"})
    flags = fields.Dict(metadata={"description": "合规情况 / Compliance flags"})
    ip = fields.List(fields.Dict())
    awards = fields.List(fields.Dict())
    institutions = fields.List(fields.Dict())
    standards = fields.List(fields.Dict())


class SubmissionSchema(BaseSchema):
    id = fields.Integer()
    uscc = fields.String()
    enterprise_name = fields.String()
    year = fields.Integer()
    status = fields.String(metadata={"enum": list(rules.STATUSES)})
    content = fields.Nested(ContentOutSchema)
    evidence = fields.List(fields.Nested(EvidenceSchema))
    decisions = fields.List(fields.Nested(DecisionOutSchema))
    review_note = fields.String(allow_none=True)
    submitted_at = UtcDateTime(allow_none=True)
    reviewed_at = UtcDateTime(allow_none=True)
    version = fields.Integer()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()


class DifferenceSchema(BaseSchema):
    field = fields.String()
    label_zh = fields.String()
    label_en = fields.String()
    registry_value = fields.Raw(allow_none=True)
    submitted_value = fields.Raw(allow_none=True)
    unit = fields.String(allow_none=True)


class SubmissionReviewViewSchema(SubmissionSchema):
    differences = fields.List(fields.Nested(DifferenceSchema), metadata={"description": (
        "与登记数据不同的字段及全部新增项 / Fields that differ from the registry, and every "
        "new item not yet accepted")})


class SubmissionSummarySchema(BaseSchema):
    id = fields.Integer()
    uscc = fields.String()
    enterprise_name = fields.String()
    year = fields.Integer()
    status = fields.String(metadata={"enum": list(rules.STATUSES)})
    submitted_at = UtcDateTime(allow_none=True)
    reviewed_at = UtcDateTime(allow_none=True)
    version = fields.Integer()
    created_at = UtcDateTime()


SubmissionPageSchema = page_schema(SubmissionSummarySchema, name="SubmissionPage")


def _town(value: str) -> None:
    if not is_town_code(value):
        raise ValidationError("不是东昌府区的乡镇街道代码 / Not a Dongchangfu town code.")


class QueueArgs(BaseSchema):
    status = choice(list(rules.STATUSES), load_default="submitted")
    year = fields.Integer(validate=validate.Range(2000, 2100), error_messages=MESSAGES)
    town = fields.String(validate=[validate.Length(max=9), _town], error_messages=MESSAGES)
    limit = limit_field()
    cursor = cursor_field()


class DecisionInSchema(BaseSchema):
    field = text(40, min_length=1, required=True, metadata={
        "description": "字段路径 / Field path: financials.rd_expense, flags.tax_violation, ip.0"})
    outcome = choice(["accept", "return"], required=True)
    reason = text(300, allow_none=True, metadata={
        "description": "退回时必填 / Required when the field is returned"})


class SubmissionReviewSchema(BaseSchema):
    decisions = fields.List(fields.Nested(DecisionInSchema), required=True,
                            validate=validate.Length(max=rules.MAX_DECISIONS),
                            error_messages=MESSAGES)
    note = text(1000, allow_none=True)


class EvidenceUploadSchema(BaseSchema):
    """A multipart body: the file and the two text fields that say what it proves."""

    item = text(100, min_length=1, required=True, metadata={"description": (
        "所附字段 / The item it proves: general, financials.<figure>, flags.<flag>, ip.0 …")})
    kind = choice(list(rules.EVIDENCE_KINDS), required=True, metadata={
        "description": ", ".join(f"{k}: {v}" for k, v in rules.EVIDENCE_KINDS.items())})
    file = Upload(required=True, error_messages=MESSAGES, metadata={
        "description": "PDF、PNG、JPEG 或 XLSX（按内容识别）/ PDF, PNG, JPEG or XLSX, "
                       "recognised by content"})

    @pre_load
    def _with_text_fields(self, data: Any, **_: Any) -> dict[str, Any]:
        """webargs hands over the body's files; its text fields are in ``request.form``."""
        merged = {key: data.get(key) for key in data}
        for key, value in request.form.items():
            merged.setdefault(key, value)
        return merged
