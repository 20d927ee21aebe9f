"""``/enterprises/{uscc}/financials``: one entry per fiscal year, replaced whole by PUT."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import func
from sqlalchemy import select

from registry import handlers
from registry.api.fields import DeleteArgs
from registry.api.financials.schemas import FinancialsInSchema
from registry.api.financials.schemas import FinancialsPageSchema
from registry.api.financials.schemas import FinancialsSchema
from registry.api.paging import after_int
from registry.api.paging import next_int_cursor
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.models import AnnualFinancials
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.pagination import PageQuerySchema

blp = Blueprint("financials", __name__, url_prefix="/enterprises",
                description="年度财务与人员数据 / Annual figures per fiscal year")


def _fiscal_year(year: int) -> int:
    """A fiscal year is 1949 … this year: a future year's figures cannot exist yet."""
    if not 1949 <= year <= beijing_today().year:
        raise ValidationFailed(fields={"year": [
            f"会计年度须在1949至{beijing_today().year}之间 / "
            f"fiscal year must be between 1949 and {beijing_today().year}"]})
    return year


@blp.route("/<uscc>/financials")
class FinancialsList(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, FinancialsPageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """All fiscal years on file, oldest first (a year a row: cursor pages by year)."""
        session = get_session()
        enterprise = handlers.get_enterprise(session, uscc)
        mine = AnnualFinancials.enterprise_id == enterprise.id
        stmt = select(AnnualFinancials).where(mine)
        after = after_int(args["cursor"], "year")
        if after is not None:
            stmt = stmt.where(AnnualFinancials.year > after)
        limit = args["limit"]
        rows = list(session.scalars(stmt.order_by(AnnualFinancials.year).limit(limit + 1)))
        return {"items": rows[:limit], "next_cursor": next_int_cursor(rows, limit, "year"),
                "total": session.scalar(select(func.count()).where(mine))}


@blp.route("/<uscc>/financials/<int:year>")
class FinancialsYear(MethodView):
    @blp.response(200, FinancialsSchema)
    def get(self, uscc: str, year: int) -> AnnualFinancials:
        """One fiscal year."""
        return handlers.get_financials(get_session(), uscc=uscc, year=_fiscal_year(year))

    @blp.arguments(FinancialsInSchema)
    @blp.response(200, FinancialsSchema)
    @blp.alt_response(201, schema=FinancialsSchema, description="Created")
    @versioned(blp)
    def put(self, data: dict[str, Any], uscc: str, year: int, **_headers: str
            ) -> AnnualFinancials:
        """Create or replace one year's figures (replacing needs ``version``); absent = unknown."""
        session = get_session()
        version = expected_version(data)
        row, created = handlers.put_financials(
            session, uscc=uscc, year=_fiscal_year(year), data=data, version=version,
            who=who(data))
        session.commit()
        return row, 201 if created else 200  # type: ignore[return-value]

    @blp.arguments(DeleteArgs, location="query")
    @blp.response(204)
    @versioned(blp)
    def delete(self, args: dict[str, Any], uscc: str, year: int, **_headers: str) -> None:
        """Remove one year (send If-Match with its version)."""
        session = get_session()
        handlers.delete_financials(session, uscc=uscc, year=_fiscal_year(year),
                                   version=expected_version(), who=who(args))
        session.commit()
