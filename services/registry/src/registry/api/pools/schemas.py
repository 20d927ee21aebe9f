"""Schemas of pools, memberships and moves."""

from __future__ import annotations

from marshmallow import fields

from registry.api.fields import BaseSchema
from registry.api.fields import any_date
from registry.api.fields import choice
from registry.api.fields import integer
from registry.api.fields import past_date
from registry.api.fields import reason_field
from registry.api.fields import text
from registry.api.fields import uscc
from registry.api.fields import version_field
from registry.domain.pipeline import EXIT_REASONS
from registry.domain.pipeline import Stage
from registry.domain.tiers import CERT_LEVELS
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import cursor_field
from yumiao_common.web.pagination import limit_field
from yumiao_common.web.pagination import page_schema

STAGES = [s.value for s in Stage]


class NominateSchema(BaseSchema):
    """Nominate an enterprise (by credit code) to the pool."""

    uscc = uscc(required=True)
    cohort_year = integer(2000, 2100, allow_none=True)
    reason = reason_field()


class CertificateGivenSchema(BaseSchema):
    """The certificate a move to ``certified`` records (its title is the pool's)."""

    level = choice(CERT_LEVELS, allow_none=True)
    number = text(60, allow_none=True)
    issuer = text(200, allow_none=True)
    issued_on = past_date(required=True)
    expires_on = any_date(allow_none=True)


class MoveSchema(BaseSchema):
    """Move a member to another stage; ``reason`` is required, ``version`` (or If-Match) too.

    ``certificate`` records the title with a move to ``certified`` (which otherwise needs a
    valid certificate on record); ``exit_reason`` says why a move to ``withdrawn`` (退库)."""

    to_stage = choice(STAGES, required=True)
    reason = reason_field(required=True)
    version = version_field()
    exit_reason = choice(sorted(EXIT_REASONS), allow_none=True)
    certificate = fields.Nested(CertificateGivenSchema, allow_none=True)


class MembersArgs(BaseSchema):
    stage = choice(STAGES)
    limit = limit_field()
    cursor = cursor_field()


class StageMoveSchema(BaseSchema):
    id = fields.Integer()
    from_stage = fields.String(allow_none=True)
    to_stage = fields.String()
    actor = fields.String()
    reason = fields.String()
    moved_at = UtcDateTime()


StageMovePageSchema = page_schema(StageMoveSchema, name="StageMovePage")


class MembershipSchema(BaseSchema):
    id = fields.Integer()
    pool = fields.String()
    uscc = fields.Function(lambda m: m.enterprise.uscc)
    enterprise_name = fields.Function(lambda m: m.enterprise.name)
    stage = fields.String()
    cohort_year = fields.Integer(allow_none=True)
    nominated_by = fields.String()
    nominated_at = UtcDateTime()
    stage_changed_at = UtcDateTime()
    version = fields.Integer()
    allowed_moves = fields.Function(lambda m: m.allowed_moves)
    round_id = fields.Integer(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    exit_reason = fields.String(allow_none=True)
    curator = fields.String(allow_none=True, metadata={
        "description": "负责的服务专员（未指定为空）/ The firm's curator (null: none yet)"})


MembershipPageSchema = page_schema(MembershipSchema, name="MembershipPage")


class PoolSchema(BaseSchema):
    key = fields.String()
    label = fields.String()
    tier = fields.String(allow_none=True)
    ladder = fields.String(allow_none=True)
    requires_tier = fields.String(allow_none=True)
    members_by_stage = fields.Dict(keys=fields.String(), values=fields.Integer())


PoolPageSchema = page_schema(PoolSchema, name="PoolPage")
