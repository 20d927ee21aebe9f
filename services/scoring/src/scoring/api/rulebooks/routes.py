"""``GET /api/v1/rulebooks``: which rulebooks (tier × version × effective date) exist."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import fields

from scoring.domain import list_rulebooks
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema
from yumiao_common.web.pagination import sequence_page

blp = Blueprint("rulebooks", __name__, description="规则集 / Rulebooks")


def _plain(item: Any) -> Any:
    if hasattr(item, "to_dict"):
        return item.to_dict()
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json")
    return item


class RulebookItem(Schema):
    """One rulebook as ``list_rulebooks`` describes it (tier, version, dates, citations)."""

    tier = fields.String(required=True)
    version = fields.String(required=True)
    effective_from = fields.String(required=True, metadata={"format": "date"})
    title = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "zh / en"})
    documents = fields.List(fields.String())
    criteria = fields.List(fields.Dict(), metadata={
        "description": "id, title, citation, role, route, confirmed, local_parameters"})


#: The rulebooks in the shared list shape (a few dozen at most: one page at the default limit).
RulebookList = page_schema(RulebookItem, name="RulebookList")


@blp.route("/rulebooks")
class Rulebooks(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, RulebookList)
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """规则集列表 / Every rulebook with its version, effective date and citations (cursor
        by tier, version and effective date)."""
        return sequence_page([_plain(r) for r in list_rulebooks()], key=_rulebook_key, kind=str,
                             limit=args["limit"], cursor=args["cursor"])


def _rulebook_key(book: dict[str, Any]) -> str:
    return f"{book['tier']}|{book['version']}|{book['effective_from']}"
