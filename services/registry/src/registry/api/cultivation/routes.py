"""Cultivation of one firm (issue 12 item 5): ``/enterprises/{uscc}/curator`` (who is
responsible), ``/services`` (visits, training, briefings, financing matches, diagnoses, with
follow-ups), ``/shared-services`` (only the notes shared with the firm: what the gateway's
``/me/services`` forwards to), ``/problems`` (问题清单, followed up until resolved) and
``/shared-problems`` (the ones shared with the firm: ``/me/problems``).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from registry.api.cultivation.schemas import CuratorSchema
from registry.api.cultivation.schemas import CuratorSetSchema
from registry.api.cultivation.schemas import ProblemCreateSchema
from registry.api.cultivation.schemas import ProblemPageSchema
from registry.api.cultivation.schemas import ProblemSchema
from registry.api.cultivation.schemas import ProblemUpdateSchema
from registry.api.cultivation.schemas import ServiceCreateSchema
from registry.api.cultivation.schemas import ServicePageSchema
from registry.api.cultivation.schemas import ServiceRecordSchema
from registry.api.cultivation.schemas import ServiceUpdateSchema
from registry.api.cultivation.schemas import SharedProblemPageSchema
from registry.api.cultivation.schemas import SharedServicePageSchema
from registry.api.paging import after_id
from registry.api.paging import next_id_cursor
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.handlers import cultivation as h
from registry.handlers.common import get_enterprise
from registry.models import Curatorship
from registry.models import Problem
from registry.models import ServiceRecord
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import PageQuerySchema

blp = Blueprint("cultivation", __name__, url_prefix="/enterprises",
                description="培育服务：服务专员、服务记录、问题清单 / Cultivation: curator, "
                            "service records, problems")


def _page(model: Any, uscc: str, args: dict[str, Any], *extra: Any) -> dict[str, Any]:
    session = get_session()
    enterprise = get_enterprise(session, uscc)
    limit = args["limit"]
    rows = list(session.scalars(
        select(model).where(model.enterprise_id == enterprise.id,
                            model.id > after_id(args["cursor"]), *extra)
        .order_by(model.id).limit(limit + 1)))
    return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit), "total": None}


@blp.route("/<uscc>/curator")
class Curator(MethodView):
    @blp.response(200, CuratorSchema)
    def get(self, uscc: str) -> Curatorship:
        """The bureau account responsible for the firm (404 when none yet)."""
        return h.get_curator(get_session(), uscc=uscc)

    @blp.arguments(CuratorSetSchema)
    @blp.response(200, CuratorSchema)
    @blp.alt_response(201, schema=CuratorSchema, description="首次指定 / First assignment")
    @versioned(blp)
    def put(self, data: dict[str, Any], uscc: str, **_headers: str) -> Any:
        """Assign (201) or change (200; needs the version read) the firm's curator."""
        session = get_session()
        version = expected_version(data)
        row, created = h.assign_curator(session, uscc=uscc, curator=data["curator"],
                                        version=version, who=who(data))
        session.commit()
        return (row, 201) if created else row


@blp.route("/<uscc>/services")
class Services(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ServicePageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """The bureau's service records of the firm, oldest first (cursor pages)."""
        return _page(ServiceRecord, uscc, args)

    @blp.arguments(ServiceCreateSchema)
    @blp.response(201, ServiceRecordSchema)
    def post(self, data: dict[str, Any], uscc: str) -> ServiceRecord:
        """Record a service (date, who, what, follow-up due); private unless shared."""
        session = get_session()
        record = h.add_service(session, uscc=uscc, data=data, who=who(data))
        session.commit()
        return record


@blp.route("/<uscc>/services/<int:record_id>")
class Service(MethodView):
    @blp.response(200, ServiceRecordSchema)
    def get(self, uscc: str, record_id: int) -> ServiceRecord:
        return h.get_service(get_session(), uscc=uscc, record_id=record_id)

    @blp.arguments(ServiceUpdateSchema)
    @blp.response(200, ServiceRecordSchema)
    @versioned(blp)
    def patch(self, data: dict[str, Any], uscc: str, record_id: int, **_headers: str
              ) -> ServiceRecord:
        """Correct it, mark its follow-up done, or share it with the firm."""
        session = get_session()
        version = expected_version(data)
        record = h.update_service(session, uscc=uscc, record_id=record_id, data=data,
                                  version=version, who=who(data))
        session.commit()
        return record


@blp.route("/<uscc>/shared-services")
class SharedServices(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, SharedServicePageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """Only the service records the bureau shared with the firm (its own view)."""
        return _page(ServiceRecord, uscc, args, ServiceRecord.shared_with_firm.is_(True))


@blp.route("/<uscc>/problems")
class Problems(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ProblemPageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """The firm's problem list, oldest first (cursor pages)."""
        return _page(Problem, uscc, args)

    @blp.arguments(ProblemCreateSchema)
    @blp.response(201, ProblemSchema)
    def post(self, data: dict[str, Any], uscc: str) -> Problem:
        session = get_session()
        problem = h.raise_problem(session, uscc=uscc, data=data, who=who(data))
        session.commit()
        return problem


@blp.route("/<uscc>/shared-problems")
class SharedProblems(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, SharedProblemPageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """Only the problems the bureau shared with the firm, and where they stand."""
        return _page(Problem, uscc, args, Problem.shared_with_firm.is_(True))


@blp.route("/<uscc>/problems/<int:record_id>")
class ProblemItem(MethodView):
    @blp.response(200, ProblemSchema)
    def get(self, uscc: str, record_id: int) -> Problem:
        return h.get_problem(get_session(), uscc=uscc, record_id=record_id)

    @blp.arguments(ProblemUpdateSchema)
    @blp.response(200, ProblemSchema)
    @versioned(blp)
    def patch(self, data: dict[str, Any], uscc: str, record_id: int, **_headers: str
              ) -> Problem:
        """Follow the problem up (status, text); illegal status change → 409."""
        session = get_session()
        version = expected_version(data)
        problem = h.update_problem(session, uscc=uscc, record_id=record_id, data=data,
                                   version=version, who=who(data))
        session.commit()
        return problem
