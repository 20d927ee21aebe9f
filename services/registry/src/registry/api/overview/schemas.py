"""The overview's answer: each part in the shape of the endpoint that serves it alone."""

from __future__ import annotations

from marshmallow import fields

from registry.api.cultivation.schemas import CuratorSchema
from registry.api.cultivation.schemas import ProblemPageSchema
from registry.api.cultivation.schemas import ServicePageSchema
from registry.api.enterprises.schemas import AuditPageSchema
from registry.api.enterprises.schemas import EnterpriseSchema
from registry.api.enterprises.schemas import ProfileOutSchema
from registry.api.fields import BaseSchema
from registry.api.pools.schemas import MembershipSchema
from registry.api.pools.schemas import StageMoveSchema
from registry.api.submissions.schemas import SubmissionPageSchema
from registry.handlers.overview import AUDIT_LIMIT
from registry.handlers.overview import RECORDS_LIMIT
from registry.handlers.overview import SUBMISSIONS_LIMIT


class MemberWithHistorySchema(MembershipSchema):
    """A membership (as ``/pools/{pool}/members/{uscc}``) with its whole stage history."""

    history = fields.List(fields.Nested(StageMoveSchema), required=True, metadata={
        "description": "全部流转记录，按时间先后 / Every stage move, oldest first (as "
                       "``/pools/{pool}/members/{uscc}/moves``, all pages)"})


def _first_page(of: str, limit: int) -> dict[str, str]:
    return {"description": f"同 {of}?limit={limit} 的第一页 / The first page of {of}?limit="
                           f"{limit} (``next_cursor`` continues there)"}


class OverviewSchema(BaseSchema):
    """The firm, its profile, pools, audit trail, cultivation records, curator and yearly
    reports, each bounded as the bureau's enterprise page shows it."""

    enterprise = fields.Nested(EnterpriseSchema, required=True,
                               metadata={"description": "同 /enterprises/{uscc} / As "
                                                        "/enterprises/{uscc}"})
    profile = fields.Nested(ProfileOutSchema, required=True, metadata={
        "description": "今天的画像，同 /enterprises/{uscc}/profile / Today's profile, as "
                       "/enterprises/{uscc}/profile"})
    memberships = fields.List(fields.Nested(MemberWithHistorySchema), required=True, metadata={
        "description": "所在的全部培育库（按成员编号）/ Every pool the firm is in, by "
                       "membership id (as /enterprises/{uscc}/memberships, all pages)"})
    audit = fields.Nested(AuditPageSchema, required=True, metadata={
        "description": f"最近的 {AUDIT_LIMIT} 条变更记录（按时间先后，next_cursor 为 null；"
                       f"更早的见 /enterprises/{{uscc}}/audit）/ The newest {AUDIT_LIMIT} "
                       "audit entries, oldest first (next_cursor null; older ones at "
                       "/enterprises/{uscc}/audit)"})
    services = fields.Nested(ServicePageSchema, required=True,
                             metadata=_first_page("/enterprises/{uscc}/services",
                                                  RECORDS_LIMIT))
    problems = fields.Nested(ProblemPageSchema, required=True,
                             metadata=_first_page("/enterprises/{uscc}/problems",
                                                  RECORDS_LIMIT))
    curator = fields.Nested(CuratorSchema, required=True, allow_none=True, metadata={
        "description": "服务专员，未指定为 null / The firm's curator (null: none yet; "
                       "/enterprises/{uscc}/curator answers 404 then)"})
    submissions = fields.Nested(SubmissionPageSchema, required=True,
                                metadata=_first_page("/enterprises/{uscc}/submissions",
                                                     SUBMISSIONS_LIMIT))
