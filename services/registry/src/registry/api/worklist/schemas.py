"""Schemas of the curator's worklist."""

from __future__ import annotations

from typing import Any

from marshmallow import fields
from marshmallow import validate

from registry.api.fields import BaseSchema
from registry.api.fields import decimal
from registry.domain.cultivation import CURATOR_PATTERN
from yumiao_common.web.fields import UtcDateTime
from yumiao_common.web.pagination import cursor_field


class WorklistArgs(BaseSchema):
    """``curator`` defaults to the caller (X-Actor); ``limit`` caps every section;
    ``unassigned_cursor`` pages the members without a curator (their section's
    ``next_cursor``)."""

    curator = fields.String(validate=validate.Regexp(CURATOR_PATTERN))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    unassigned_cursor = cursor_field()


def _section(name: str, item: dict[str, Any]) -> type:
    item_schema = BaseSchema.from_dict(item, name=f"Worklist{name}")
    return BaseSchema.from_dict({"items": fields.List(fields.Nested(item_schema)),
                                 "total": fields.Integer()}, name=f"Worklist{name}Section")


def _firm() -> dict[str, Any]:
    return {"uscc": fields.String(), "name": fields.String()}


FirmSection = _section("Firm", {**_firm(), "last_service_on": fields.Date(allow_none=True),
                                "last_visit_on": fields.Date(allow_none=True),
                                "open_problems": fields.Integer()})
OverdueSection = _section("FollowUp", {
    **_firm(), "service_id": fields.Integer(), "kind": fields.String(),
    "served_on": fields.Date(), "follow_up": fields.String(allow_none=True),
    "follow_up_due": fields.Date(), "days_overdue": fields.Integer()})
ReadinessSection = _section("Readiness", {
    **_firm(), "tier": fields.String(), "verdict": fields.String(),
    "score": decimal(1000, places=2, output=True), "changed_at": UtcDateTime(),
    "last_visit_on": fields.Date(allow_none=True)})
ExpirySection = _section("Expiry", {
    **_firm(), "certification_id": fields.Integer(), "tier": fields.String(),
    "number": fields.String(allow_none=True), "expires_on": fields.Date(),
    "days_left": fields.Integer()})
ProblemSection = _section("Problem", {
    **_firm(), "problem_id": fields.Integer(), "title": fields.String(),
    "status": fields.String(), "raised_on": fields.Date(), "days_open": fields.Integer()})

UnassignedPool = BaseSchema.from_dict({"pool": fields.String(), "stage": fields.String()},
                                      name="WorklistUnassignedPool")
UnassignedItem = BaseSchema.from_dict(
    {**_firm(), "pools": fields.List(fields.Nested(UnassignedPool))},
    name="WorklistUnassigned")
UnassignedSection = BaseSchema.from_dict({
    "items": fields.List(fields.Nested(UnassignedItem)), "total": fields.Integer(),
    "next_cursor": fields.String(allow_none=True, metadata={
        "description": "下一页（作为 unassigned_cursor 传回）/ The next page (pass back as "
                       "unassigned_cursor)"})}, name="WorklistUnassignedSection")


class WorklistSchema(BaseSchema):
    curator = fields.String()
    as_of = fields.Date()
    firms = fields.Nested(FirmSection)
    overdue_follow_ups = fields.Nested(OverdueSection)
    readiness_changes = fields.Nested(ReadinessSection, metadata={
        "description": "自上次走访后达标或接近达标的企业 / Firms that became eligible or near "
                       "since my last visit (never visited: all such firms)"})
    expiring_certificates = fields.Nested(ExpirySection)
    open_problems = fields.Nested(ProblemSection)
    unassigned = fields.Nested(UnassignedSection, metadata={
        "description": "无负责人的在库企业（全区，按企业分页）/ Pool members (admitted and on) "
                       "without a responsible curator, district-wide, in keyset pages"})
