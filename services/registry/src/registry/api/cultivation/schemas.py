"""Schemas of cultivation: the curator, service records (and their shared view), problems."""

from __future__ import annotations

from marshmallow import fields
from marshmallow import validate

from registry.api.fields import BaseSchema
from registry.api.fields import any_date
from registry.api.fields import boolean
from registry.api.fields import choice
from registry.api.fields import past_date
from registry.api.fields import reason_field
from registry.api.fields import text
from registry.api.fields import version_field
from registry.domain.cultivation import CURATOR_PATTERN
from registry.domain.cultivation import PROBLEM_MOVES
from registry.domain.cultivation import PROBLEM_STATES
from registry.domain.cultivation import SERVICE_KINDS
from yumiao_common.clock import beijing_today
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import page_schema


def curator_field(**kw: object) -> fields.String:
    return fields.String(validate=validate.Regexp(CURATOR_PATTERN, error=(
        "须为局内账户，如 user:zhang.wei / must be a bureau account, e.g. user:zhang.wei")),
        metadata={"description": "局内账户 / Bureau account (X-Actor), e.g. user:zhang.wei"},
        **kw)  # type: ignore[arg-type]


class CuratorSetSchema(BaseSchema):
    """Make a bureau account responsible for the firm (包联 / 服务专员)."""

    curator = curator_field(required=True)
    version = version_field()
    reason = reason_field()


class CuratorSchema(BaseSchema):
    curator = fields.String()
    assigned_by = fields.String()
    assigned_at = UtcDateTime()
    version = fields.Integer()


def _service_fields(required: bool) -> dict[str, fields.Field]:
    return {
        "kind": choice(sorted(SERVICE_KINDS), required=required, metadata={
            "description": "visit 走访 | training 培训 | policy_briefing 政策宣讲 | "
                           "financing_match 融资对接 | expert_diagnosis 专家诊断"}),
        "served_on": past_date(required=required),
        "served_by": curator_field(),
        "summary": text(4000, required=required, min_length=1 if required else 0),
        "follow_up": text(2000, allow_none=True),
        "follow_up_due": any_date(allow_none=True),
        "follow_up_done_on": past_date(allow_none=True),
        "shared_with_firm": boolean(metadata={
            "description": "企业可见（默认否）/ The firm may see it (default false)"}),
    }


ServiceCreateSchema = BaseSchema.from_dict(
    {**_service_fields(True), "reason": reason_field()}, name="ServiceRecordCreate")
ServiceUpdateSchema = BaseSchema.from_dict(
    {**_service_fields(False), "version": version_field(), "reason": reason_field()},
    name="ServiceRecordUpdate")


class ServiceRecordSchema(BaseSchema):
    id = fields.Integer()
    kind = fields.String()
    served_on = fields.Date()
    served_by = fields.String()
    summary = fields.String()
    follow_up = fields.String(allow_none=True)
    follow_up_due = fields.Date(allow_none=True)
    follow_up_done_on = fields.Date(allow_none=True)
    shared_with_firm = fields.Boolean()
    created_by = fields.String()
    created_at = UtcDateTime()
    version = fields.Integer()


class SharedServiceSchema(BaseSchema):
    """What a firm sees of a service the bureau shared with it: no internal bookkeeping."""

    id = fields.Integer()
    kind = fields.String()
    served_on = fields.Date()
    summary = fields.String()
    follow_up = fields.String(allow_none=True)
    follow_up_due = fields.Date(allow_none=True)


ServicePageSchema = page_schema(ServiceRecordSchema, name="ServiceRecordPage")
SharedServicePageSchema = page_schema(SharedServiceSchema, name="SharedServicePage")


class ProblemCreateSchema(BaseSchema):
    """A problem the firm raised, put on its list (问题清单) as open."""

    title = text(200, required=True, min_length=1)
    detail = text(4000, allow_none=True)
    raised_on = past_date(required=True)
    due_on = any_date(allow_none=True, metadata={
        "description": "答复期限（不早于提出日期）/ Due (not before the day it was raised)"})
    shared_with_firm = boolean()
    reason = reason_field()


class ProblemUpdateSchema(BaseSchema):
    """Follow a problem up; ``resolved`` needs a ``resolution``."""

    title = text(200, min_length=1)
    detail = text(4000, allow_none=True)
    status = choice(sorted(PROBLEM_STATES))
    due_on = any_date(allow_none=True)
    resolution = text(4000, allow_none=True)
    shared_with_firm = boolean()
    version = version_field()
    reason = reason_field()


class ProblemSchema(BaseSchema):
    id = fields.Integer()
    title = fields.String()
    detail = fields.String(allow_none=True)
    status = fields.String()
    raised_on = fields.Date()
    raised_by = fields.String()
    due_on = fields.Date(allow_none=True)
    resolved_on = fields.Date(allow_none=True)
    resolution = fields.String(allow_none=True)
    shared_with_firm = fields.Boolean()
    version = fields.Integer()
    allowed_moves = fields.Function(
        lambda p: sorted(PROBLEM_MOVES[p.status]), metadata={
            "type": "array", "items": {"type": "string"},
            "description": "此状态可改为 / The statuses it may move to now"})


ProblemPageSchema = page_schema(ProblemSchema, name="ProblemPage")


class SharedProblemSchema(BaseSchema):
    """What a firm sees of a problem the bureau shared with it: where it stands."""

    id = fields.Integer()
    title = fields.String()
    status = fields.String()
    raised_on = fields.Date()
    due_on = fields.Date(allow_none=True, metadata={
        "description": "答复期限 / Due (the bureau answers by then)"})
    overdue = fields.Function(
        lambda p: p.status != "resolved" and p.due_on is not None
        and p.due_on < beijing_today(), metadata={
            "type": "boolean",
            "description": "逾期：已过答复期限且尚未解决 / Past its due date and not resolved"})
    resolved_on = fields.Date(allow_none=True)
    resolution = fields.String(allow_none=True)


SharedProblemPageSchema = page_schema(SharedProblemSchema, name="SharedProblemPage")
