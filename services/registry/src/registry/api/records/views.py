"""The views every record kind serves under ``/enterprises/{uscc}/<segment>``: list, create,
read, update (with version), delete (If-Match).

Each kind declares its own blueprint at module level (``api/<kind>/routes.py``) and hands it to
``add_record_views``, so the five kinds behave identically (same status codes, same
concurrency and audit rules) while every blueprint stays greppable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from registry import handlers
from registry.api.fields import DeleteArgs
from registry.api.paging import after_id
from registry.api.paging import next_id_cursor
from registry.api.records import schemas as s
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.handlers.records import RecordKind
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema


def add_record_views(
    blp: Blueprint, *, segment: str, kind: RecordKind, name: str,
    spec: Callable[[bool], s.Fields],
) -> None:
    """Add to ``blp`` the views of ``/enterprises/{uscc}/{segment}`` for one record kind;
    ``name`` names its OpenAPI schemas (``Ip``, ``IpPage`` …)."""
    create_schema, update_schema, out_schema = s.schemas(name, spec)
    page_out = page_schema(out_schema, name=f"{name}Page")

    @blp.route(f"/<uscc>/{segment}")
    class Collection(MethodView):
        @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
        @blp.response(200, page_out)
        def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
            """The enterprise's records of this kind, oldest first (cursor pages)."""
            session = get_session()
            enterprise = handlers.get_enterprise(session, uscc)
            limit = args["limit"]
            rows = list(session.scalars(
                select(kind.model)
                .where(kind.model.enterprise_id == enterprise.id,
                       kind.model.id > after_id(args["cursor"]))
                .order_by(kind.model.id).limit(limit + 1)))
            return {"items": rows[:limit], "next_cursor": next_id_cursor(rows, limit),
                    "total": None}

        @blp.arguments(create_schema)
        @blp.response(201, out_schema)
        def post(self, data: dict[str, Any], uscc: str) -> Any:
            session = get_session()
            record = handlers.create_record(session, kind=kind, uscc=uscc, data=data,
                                            who=who(data))
            session.commit()
            return record

    @blp.route(f"/<uscc>/{segment}/<int:record_id>")
    class Item(MethodView):
        @blp.response(200, out_schema)
        def get(self, uscc: str, record_id: int) -> Any:
            return handlers.get_record(get_session(), kind=kind, uscc=uscc, record_id=record_id)

        @blp.arguments(update_schema)
        @blp.response(200, out_schema)
        @versioned(blp)
        def patch(self, data: dict[str, Any], uscc: str, record_id: int, **_headers: str
                  ) -> Any:
            session = get_session()
            version = expected_version(data)
            record = handlers.update_record(session, kind=kind, uscc=uscc, record_id=record_id,
                                            data=data, version=version, who=who(data))
            session.commit()
            return record

        @blp.arguments(DeleteArgs, location="query")
        @blp.response(204)
        @versioned(blp)
        def delete(self, args: dict[str, Any], uscc: str, record_id: int, **_headers: str
                   ) -> None:
            session = get_session()
            handlers.delete_record(session, kind=kind, uscc=uscc, record_id=record_id,
                                   version=expected_version(), who=who(args))
            session.commit()

