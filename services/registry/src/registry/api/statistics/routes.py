"""``/statistics``: counts as of any date and yearly sums, computed in SQL by the registry.

Certificates valid on the date per tier, pool members per stage on the date (from the stage
history), R&D expenditure and high-tech revenue per year with like-for-like growth, and the
reserve cohorts' conversion to high-tech certificates; each groupable by town, industry
division or size class.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from registry.api.statistics.schemas import AsOfArgs
from registry.api.statistics.schemas import CohortSchema
from registry.api.statistics.schemas import FigureYearSchema
from registry.api.statistics.schemas import StageCountSchema
from registry.api.statistics.schemas import TierCountSchema
from registry.api.statistics.schemas import YearsArgs
from registry.handlers import statistics
from registry.handlers.figures import cohorts
from yumiao_common.clock import beijing_today
from yumiao_common.db.engine import get_session

blp = Blueprint("statistics", __name__, url_prefix="/statistics",
                description="统计 / Statistics computed by the registry")


@blp.route("/certifications")
class Certifications(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, TierCountSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Enterprises holding each title on the date (each enterprise once per title)."""
        return statistics.tier_counts(get_session(), as_of=args.get("as_of"), by=args["by"],
                                      today=beijing_today())


@blp.route("/stages")
class Stages(MethodView):
    @blp.arguments(AsOfArgs, location="query")
    @blp.response(200, StageCountSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Pool members in each stage at the end of the date (Beijing time)."""
        return statistics.stage_counts(get_session(), as_of=args.get("as_of"), by=args["by"],
                                       today=beijing_today())


@blp.route("/financials")
class Financials(MethodView):
    @blp.arguments(YearsArgs, location="query")
    @blp.response(200, FigureYearSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """R&D expenditure and high-tech revenue per year: sums and like-for-like growth."""
        return statistics.figure_years(get_session(), year_from=args.get("year_from"),
                                       year_to=args.get("year_to"), by=args["by"],
                                       today=beijing_today())


@blp.route("/cohorts")
class Cohorts(MethodView):
    @blp.response(200, CohortSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Of each year's reserve admissions, how many held a high-tech certificate by each
        following year."""
        return cohorts(get_session(), beijing_today())
