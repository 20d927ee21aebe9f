"""Marshmallow schemas of the enterprise resource (input refuses unknown fields).

Field names are profile.md's; ``flags`` and ``assessments`` are nested as in the profile.
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import validate
from marshmallow import validates

from registry.api.fields import MAX_COUNT
from registry.api.fields import MESSAGES
from registry.api.fields import BaseSchema
from registry.api.fields import boolean
from registry.api.fields import choice
from registry.api.fields import decimal
from registry.api.fields import industry
from registry.api.fields import integer
from registry.api.fields import past_date
from registry.api.fields import percent
from registry.api.fields import reason_field
from registry.api.fields import text
from registry.api.fields import uscc
from registry.api.fields import version_field
from registry.domain.pipeline import POOLS
from registry.domain.pipeline import Stage
from registry.domain.tiers import TIERS
from registry.domain.towns import is_town_code
from registry.models.enterprise import FLAG_FIELDS
from yumiao_common.contracts.profile import CRITERION_ID_PATTERN
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import cursor_field
from yumiao_common.web.pagination import limit_field
from yumiao_common.web.pagination import page_schema

HIGHTECH_FIELDS = ("electronic_information", "biomedicine", "aerospace", "new_materials",
                   "hightech_services", "new_energy", "resources_environment",
                   "advanced_manufacturing")
PRODUCT_FIELDS = ("key_chain_gap", "six_foundations", "strategic_emerging",
                  "manufacturing_power_key", "network_power", "time_honoured_brand")
QUALITY_ITEMS = ("provincial_quality_award", "iso9001", "own_brand", "standards",
                 "foreign_product_cert")
GRADES = ("A", "B", "C", "D", "E")
SIZE_CLASSES = ("micro", "small", "medium", "large")


def _unique(values: list[Any]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("不能重复 / Items must be unique.")


def _choices(options: tuple[str, ...], allow_none: bool = False) -> Any:
    return fields.List(choice(options), validate=[validate.Length(max=len(options)), _unique],
                       error_messages=MESSAGES, allow_none=allow_none)


def _town(value: str) -> None:
    if not is_town_code(value):
        raise ValidationError("不是东昌府区的乡镇街道代码 / Not a Dongchangfu town code.")


#: Compliance flags; null means not known.
FlagsSchema = BaseSchema.from_dict(
    {f: boolean(allow_none=True) for f in FLAG_FIELDS},
    name="Flags",
)


def _decimal(high: int) -> Any:
    return decimal(high, places=2)


class HnteExpertSchema(BaseSchema):
    tech_advancement = choice(GRADES, allow_none=True)
    core_support = choice(GRADES, allow_none=True)
    rd_management_points = _decimal(20)
    standards_bonus = _decimal(2)
    ip_quantity_points = _decimal(8)
    acquisition_points = _decimal(6)
    conversion_points = _decimal(30)
    growth_points = _decimal(20)


class ShandongSchema(BaseSchema):
    key_industry = choice(("A", "B", "C", "D"), allow_none=True)
    innovative_operations = _choices(("A", "B", "C", "D", "E", "F"))
    listing = choice(("A", "B", "C"), allow_none=True)


class ReviewEvidenceSchema(BaseSchema):
    """The evidence file a review outcome cites, as the API shows it (issue 15 item 4).

    Sent back unchanged it keeps the file (its ``id`` is what counts); the rest is the
    registry's own record and is taken from the file, never from the request."""

    id = integer(1, 2**31 - 1, required=True)
    submission_id = integer(1, 2**31 - 1)
    filename = text(200)
    kind = text(20)


class ReviewSchema(BaseSchema):
    """The recorded outcome of one criterion that experts or the bureau review."""

    outcome = fields.String(required=True, validate=validate.OneOf(("pass", "fail")))
    reviewed_on = past_date(required=True)
    by = text(100, allow_none=True)
    note = text(500, allow_none=True)
    #: The firm's evidence file the reviewer cites (one of its yearly reports'); null = none.
    evidence_id = integer(1, 2**31 - 1, allow_none=True)
    evidence = fields.Nested(ReviewEvidenceSchema, allow_none=True)


class AssessmentsSchema(BaseSchema):
    digital_level = integer(0, 4, allow_none=True)
    #: null = not recorded (unknown), [] = none (profile.md: missing is not empty)
    quality_items = _choices(QUALITY_ITEMS, allow_none=True)
    hnte_expert = fields.Nested(HnteExpertSchema, allow_none=True)
    srdi_dev_score = _decimal(100)
    #: the previous year's platform score (2026 re-reviews pass with either year's)
    srdi_dev_score_prev = _decimal(100)
    shandong = fields.Nested(ShandongSchema, allow_none=True)
    reviews = fields.Dict(
        keys=fields.String(validate=[validate.Regexp(CRITERION_ID_PATTERN),
                                     validate.Length(max=100)]),
        values=fields.Nested(ReviewSchema), allow_none=True,
    )


class _EnterpriseFields(BaseSchema):
    name = text(200, min_length=1)
    established_on = past_date(allow_none=True)
    division_code = fields.String(validate=validate.Regexp(r"^[0-9]{6}$"), allow_none=True)
    town_code = fields.String(validate=[validate.Length(max=9), _town], allow_none=True)
    park = text(100, allow_none=True)
    address = text(300, allow_none=True)
    industry_code = industry(allow_none=True)
    hightech_field = choice(HIGHTECH_FIELDS, allow_none=True)
    tax_method = choice(("audited", "deemed"), allow_none=True)
    niche_market_years = integer(0, 200, allow_none=True)
    #: null = not recorded (unknown), [] = none (profile.md: missing is not empty)
    main_product_fields = _choices(PRODUCT_FIELDS, allow_none=True)
    market_share_pct = percent()
    market_rank_national = integer(1, MAX_COUNT, allow_none=True)
    market_rank_provincial = integer(1, MAX_COUNT, allow_none=True)
    flags = fields.Nested(FlagsSchema)
    assessments = fields.Nested(AssessmentsSchema)
    reason = reason_field()

    @validates("established_on")
    def _established(self, value: Any, **_: Any) -> None:
        if value is not None and value.year < 1800:
            raise ValidationError("成立日期不合理 / Implausible establishment date.")


class EnterpriseCreateSchema(_EnterpriseFields):
    """A new enterprise: credit code and name are required."""

    uscc = uscc(required=True)
    name = text(200, min_length=1, required=True)


class EnterpriseUpdateSchema(_EnterpriseFields):
    """A partial change; the credit code cannot change (it is the identity)."""

    version = version_field()


class EnterpriseSchema(BaseSchema):
    """An enterprise as the API returns it."""

    id = fields.Integer()
    uscc = fields.String()
    name = fields.String()
    established_on = fields.Date(allow_none=True)
    division_code = fields.String(allow_none=True)
    town_code = fields.String(allow_none=True)
    park = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    industry_code = fields.String(allow_none=True)
    hightech_field = fields.String(allow_none=True)
    tax_method = fields.String(allow_none=True)
    niche_market_years = fields.Integer(allow_none=True)
    main_product_fields = fields.List(fields.String(), allow_none=True)
    market_share_pct = fields.Decimal(as_string=True, allow_none=True)
    market_rank_national = fields.Integer(allow_none=True)
    market_rank_provincial = fields.Integer(allow_none=True)
    flags = fields.Method("_flags")
    assessments = fields.Method("_assessments")
    size_class = fields.String(allow_none=True)
    version = fields.Integer()
    profile_version = fields.Integer()
    created_at = UtcDateTime()
    updated_at = UtcDateTime()

    def _flags(self, obj: Any) -> dict[str, Any]:
        return {f: getattr(obj, f) for f in FLAG_FIELDS}

    def _assessments(self, obj: Any) -> dict[str, Any]:
        from registry.handlers.profile import assessments_block

        return assessments_block(obj)


class EnterpriseListArgs(BaseSchema):
    """Filters and keyset pagination of the enterprise list."""

    town = fields.String(validate=[validate.Length(max=9), _town])
    industry = fields.String(validate=validate.Regexp(r"^[A-T]([0-9]{1,4})?$"))
    pool = choice(sorted(POOLS))
    stage = choice([s.value for s in Stage])
    tier = choice(sorted(TIERS))
    size_class = choice(SIZE_CLASSES)
    q = text(100, min_length=1)
    limit = limit_field()
    cursor = cursor_field()


EnterprisePageSchema = page_schema(EnterpriseSchema, name="EnterprisePage")


class ProfileArgs(BaseSchema):
    as_of = fields.Date(error_messages=MESSAGES)


_PROFILE_PART = "profile.md 的字段 / profile.md fields"


class ProfileOutSchema(BaseSchema):
    """The profile snapshot scoring evaluates (shared contract, profile.md; scoring's document
    carries its full schema as ``Profile``)."""

    as_of = fields.String(required=True, metadata={"format": "date"})
    enterprise = fields.Dict(required=True, metadata={"description": _PROFILE_PART})
    financials = fields.List(fields.Dict(), required=True,
                             metadata={"description": "按年度 / Per fiscal year, oldest first"})
    ip = fields.List(fields.Dict(), required=True)
    awards = fields.List(fields.Dict(), required=True)
    rd_institutions = fields.List(fields.Dict(), required=True)
    standards_led = fields.List(fields.Dict(), required=True)
    certifications = fields.List(fields.Dict(), required=True)
    assessments = fields.Dict(required=True, metadata={"description": _PROFILE_PART})


class AuditArgs(BaseSchema):
    limit = limit_field()
    cursor = cursor_field()


class AuditEntrySchema(BaseSchema):
    id = fields.Integer()
    entity = fields.String()
    entity_id = fields.Integer(allow_none=True)
    action = fields.String()
    actor = fields.String()
    at = UtcDateTime()
    changes = fields.Dict()
    reason = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)


AuditPageSchema = page_schema(AuditEntrySchema, name="AuditPage")
