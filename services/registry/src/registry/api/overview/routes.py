"""``/enterprises/{uscc}/overview``: everything the bureau's enterprise page reads from the
registry, in one request and one session (issue 16): the firm, its profile, its pools with
their stage histories, the audit trail, service records, problems, curator and yearly
reports. Each part answers as its own endpoint's first page would (those endpoints stay);
no part carries contacts.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.api.overview.schemas import OverviewSchema
from registry.api.paging import next_id_cursor
from registry.api.submissions import views
from registry.handlers.overview import RECORDS_LIMIT
from registry.handlers.overview import SUBMISSIONS_LIMIT
from registry.handlers.overview import enterprise_overview
from registry.models import PoolMembership
from registry.models import StageMove
from yumiao_common.db.engine import get_session
from yumiao_common.web.openapi import ErrorSchema
from yumiao_common.web.pagination import encode_cursor

blp = Blueprint("overview", __name__, url_prefix="/enterprises",
                description="企业总览（局方企业页）/ A firm's overview (the bureau's enterprise "
                            "page)")


class _Member:
    """A membership as ``MembershipSchema`` reads it, with its stage history beside it."""

    def __init__(self, membership: PoolMembership, history: list[StageMove]) -> None:
        self._membership = membership
        self.history = history

    def __getattr__(self, name: str) -> Any:
        return getattr(self._membership, name)


def _page(rows: list[Any], limit: int) -> dict[str, Any]:
    return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit), "total": None}


@blp.route("/<uscc>/overview")
class EnterpriseOverview(MethodView):
    @blp.response(200, OverviewSchema)
    @blp.alt_response(404, schema=ErrorSchema, description=(
        "没有这家企业 / No enterprise with this credit code (enterprise_not_found)"))
    def get(self, uscc: str) -> dict[str, Any]:
        """Everything the bureau's enterprise page shows from the registry, in one read."""
        found = enterprise_overview(get_session(), uscc=uscc)
        name = found.enterprise.name
        reports = found.submissions[:SUBMISSIONS_LIMIT]
        more = len(found.submissions) > SUBMISSIONS_LIMIT
        return {
            "enterprise": found.enterprise,
            "profile": found.profile,
            "memberships": [_Member(m, found.history[m.id]) for m in found.memberships],
            # the newest entries: older ones are read at /audit from its first page
            "audit": {"items": found.audit, "next_cursor": None, "total": None},
            "services": _page(found.services, RECORDS_LIMIT),
            "problems": _page(found.problems, RECORDS_LIMIT),
            "curator": found.curator,
            "submissions": {
                "items": [{**views.summary(r), "enterprise_name": name} for r in reports],
                "next_cursor": encode_cursor({"id": reports[-1].id}) if more else None,
                "total": found.submissions_total},
        }
