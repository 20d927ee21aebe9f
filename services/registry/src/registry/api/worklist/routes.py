"""``/worklist``: a curator's day (issue 12 item 5): my firms, overdue follow-ups, firms that
became eligible or near since my last visit (the readiness read model), certificates expiring
within 90 days, open problems; and the district's pool members nobody is responsible for
(``unassigned``, paged by ``unassigned_cursor``). Bureau roles only (the gateway refuses
enterprises).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from registry.adapters.sql.worklist import worklist
from registry.api.paging import after_id
from registry.api.paging import id_cursor
from registry.api.requests import who
from registry.api.worklist.schemas import WorklistArgs
from registry.api.worklist.schemas import WorklistSchema
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import ValidationFailed

blp = Blueprint("worklist", __name__, url_prefix="/worklist",
                description="服务专员工作清单 / A curator's worklist")


@blp.route("")
class Worklist(MethodView):
    @blp.arguments(WorklistArgs, location="query", unknown=RAISE)
    @blp.response(200, WorklistSchema)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """The worklist of ``curator`` (default: the caller), each section capped at
        ``limit`` with its total."""
        curator = args.get("curator") or who().actor
        try:
            after = after_id(args.get("unassigned_cursor"))
        except ValidationFailed as exc:
            raise ValidationFailed(fields={
                "unassigned_cursor": (exc.fields or {}).get("cursor", [])}) from None
        work = worklist(get_session(), curator=curator, today=beijing_today(),
                        limit=args["limit"], unassigned_after=after)
        work["unassigned"]["next_cursor"] = id_cursor(work["unassigned"].pop("last_id"))
        return work
