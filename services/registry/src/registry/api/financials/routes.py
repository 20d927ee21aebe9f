"""``/enterprises/{uscc}/financials``: one entry per fiscal year, replaced whole by PUT."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from registry import handlers
from registry.api.fields import DeleteArgs
from registry.api.financials.schemas import FinancialsInSchema
from registry.api.financials.schemas import FinancialsSchema
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.models import AnnualFinancials
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import ValidationFailed

blp = Blueprint("financials", __name__, url_prefix="/enterprises",
                description="年度财务与人员数据 / Annual figures per fiscal year")


def _fiscal_year(year: int) -> int:
    """A fiscal year is 1949 … this year: a future year's figures cannot exist yet."""
    if not 1949 <= year <= date.today().year:
        raise ValidationFailed(fields={"year": [
            f"会计年度须在1949至{date.today().year}之间 / "
            f"fiscal year must be between 1949 and {date.today().year}"]})
    return year


@blp.route("/<uscc>/financials")
class FinancialsList(MethodView):
    @blp.response(200, FinancialsSchema(many=True))
    def get(self, uscc: str) -> list[AnnualFinancials]:
        """All fiscal years on file, oldest first."""
        session = get_session()
        enterprise = handlers.get_enterprise(session, uscc)
        return sorted(
            session.query(AnnualFinancials).filter_by(enterprise_id=enterprise.id),
            key=lambda row: row.year,
        )


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
