"""Schemas of the rankings: filters, cursor and the ranked item."""

from __future__ import annotations

from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate

from scoring.api.evaluate.schemas import ScoreSchema
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import cursor_field
from yumiao_common.web.pagination import limit_field
from yumiao_common.web.pagination import page_schema

VERDICTS = ("eligible", "near", "unknown", "ineligible")


class RankingQuery(Schema):
    class Meta:
        unknown = RAISE

    verdict = fields.List(
        fields.String(validate=validate.OneOf(VERDICTS)), load_default=list,
        validate=validate.Length(max=len(VERDICTS)),
        metadata={"description": "结论筛选，可多选 / Verdicts to keep (repeatable)"},
    )
    town = fields.String(validate=validate.Length(min=1, max=32), load_default=None,
                         metadata={"description": "镇街代码 / Town (township) code"})
    industry = fields.String(validate=validate.Regexp(r"^[A-T][0-9]{0,4}$"), load_default=None,
                             metadata={"description": "行业代码前缀 / Industry code prefix"})
    pool = fields.String(validate=validate.Length(min=1, max=40), load_default=None,
                         metadata={"description": "培育库 / Reserve pool key"})


class RankingPageQuery(RankingQuery):
    limit = limit_field()
    cursor = cursor_field()


class GapSchema(Schema):
    id = fields.String()
    title = fields.Raw(allow_none=True)
    gap = fields.Raw(allow_none=True)


class CollectSchema(Schema):
    """A criterion the profile cannot decide yet: the data the bureau has to collect."""

    id = fields.String()
    title = fields.Raw(allow_none=True)


class RankingItem(Schema):
    position = fields.Integer()
    uscc = fields.String()
    name = fields.String()
    town_code = fields.String(allow_none=True)
    industry_code = fields.String(allow_none=True)
    pools = fields.List(fields.String())
    verdict = fields.String()
    route = fields.String(allow_none=True)
    score = fields.Nested(ScoreSchema, allow_none=True)
    failing = fields.Integer()
    gaps = fields.List(fields.Nested(GapSchema))
    to_collect = fields.List(fields.Nested(CollectSchema), metadata={
        "description": "信息不足时须补充的条件 / the criteria still undecided for want of data"})
    pending_review = fields.List(fields.String(), metadata={
        "description": "tiers with review criteria only: ids of the criteria that still need "
                       "an expert's or the bureau's review (须经评审确认)"})
    rulebook_version = fields.String()
    uses_local_parameter = fields.Boolean()
    evaluated_at = UtcDateTime()


class RankingPage(page_schema(RankingItem, name="RankingItemPage")):  # type: ignore[misc]
    tier = fields.String(required=True)
