"""Schemas of reserve rounds: the round, its batches, candidates and roster."""

from __future__ import annotations

from marshmallow import fields
from marshmallow import validate

from registry.api.fields import BaseSchema
from registry.api.fields import any_date
from registry.api.fields import choice
from registry.api.fields import decimal
from registry.api.fields import integer
from registry.api.fields import reason_field
from registry.api.fields import text
from registry.api.fields import uscc
from registry.api.fields import version_field
from registry.api.pools.schemas import MembershipSchema
from registry.domain.pipeline import EXIT_REASONS
from registry.domain.pipeline import POOLS
from registry.domain.rounds import BATCH_ACTIONS
from registry.domain.rounds import CANDIDATE_VERDICTS
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import cursor_field
from yumiao_common.web.pagination import limit_field
from yumiao_common.web.pagination import page_schema


class RoundCreateSchema(BaseSchema):
    """Open the round of a pool for a year; ``quota`` defaults to 20 for the high-tech
    reserve (plan item 9), ``valid_months`` to the registry's setting."""

    pool = choice(sorted(POOLS), required=True)
    year = integer(2000, 2100, required=True)
    quota = integer(1, 10_000, allow_none=True)
    opens_on = any_date(required=True)
    closes_on = any_date(required=True)
    valid_months = integer(1, 120, allow_none=True)
    reason = reason_field()


class RoundUpdateSchema(BaseSchema):
    quota = integer(1, 10_000, allow_none=True)
    opens_on = any_date(allow_none=True)
    closes_on = any_date(allow_none=True)
    valid_months = integer(1, 120, allow_none=True)
    version = version_field()
    reason = reason_field()


class PublishSchema(BaseSchema):
    """Publish the 入库名单 (the list becomes final); ``version`` or If-Match required."""

    version = version_field()
    reason = reason_field(required=True)


class RoundsArgs(BaseSchema):
    pool = choice(sorted(POOLS))
    year = fields.Integer(validate=validate.Range(2000, 2100))
    limit = limit_field()
    cursor = cursor_field()


class RoundSchema(BaseSchema):
    id = fields.Integer()
    pool = fields.String()
    year = fields.Integer()
    quota = fields.Integer()
    opens_on = fields.Date()
    closes_on = fields.Date()
    valid_months = fields.Integer()
    status = fields.String(metadata={"description": "open | published"})
    created_by = fields.String()
    created_at = UtcDateTime()
    published_by = fields.String(allow_none=True)
    published_at = UtcDateTime(allow_none=True)
    version = fields.Integer()
    admitted = fields.Integer(metadata={"description": "入库企业数 / Firms admitted"})
    quota_left = fields.Integer()
    members_by_stage = fields.Dict(keys=fields.String(), values=fields.Integer())


RoundPageSchema = page_schema(RoundSchema, name="ReserveRoundPage")


class BatchSchema(BaseSchema):
    """One batch: the same step for every firm listed, with one reason; all or nothing."""

    action = choice(sorted(BATCH_ACTIONS), required=True, metadata={
        "description": "nominate → screen → admit; reject; exit (退库, with exit_reason)"})
    usccs = fields.List(uscc(), required=True, validate=validate.Length(min=1, max=200))
    reason = reason_field(required=True)
    exit_reason = choice(sorted(EXIT_REASONS), allow_none=True)


class BatchResultSchema(BaseSchema):
    action = fields.String()
    moved = fields.List(fields.Nested(MembershipSchema))


class CandidatesArgs(BaseSchema):
    """Filters: readiness threshold (verdicts, minimum score), town, industry prefix."""

    verdict = fields.List(choice(CANDIDATE_VERDICTS), load_default=list,
                          validate=validate.Length(max=len(CANDIDATE_VERDICTS)),
                          metadata={"description": "eligible 和/或 near，默认两者 / eligible "
                                                   "and/or near (default both)"})
    min_score = decimal(1000, places=2)
    town = text(9)
    industry = text(5)
    limit = limit_field()
    cursor = cursor_field()


class CandidateSchema(BaseSchema):
    uscc = fields.String()
    name = fields.String()
    town_code = fields.String(allow_none=True)
    industry_code = fields.String(allow_none=True)
    verdict = fields.String()
    score = decimal(1000, places=2, output=True)
    rulebook_version = fields.String()
    as_of = fields.Date()
    changed_at = UtcDateTime()


CandidatePageSchema = page_schema(CandidateSchema, name="RoundCandidatePage")


class RoundMembersArgs(BaseSchema):
    stage = choice([s for s in ("nominated", "screened", "admitted", "cultivating", "applied",
                                "certified", "rejected", "withdrawn")])
    limit = limit_field()
    cursor = cursor_field()


RoundMemberPageSchema = page_schema(MembershipSchema, name="RoundMemberPage")
