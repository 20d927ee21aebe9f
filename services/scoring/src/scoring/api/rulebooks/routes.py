"""``GET /api/v1/rulebooks``: which rulebooks (tier × version × effective date) exist."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from scoring.domain import list_rulebooks

blp = Blueprint("rulebooks", __name__, description="规则集 / Rulebooks")


def _plain(item: Any) -> Any:
    if hasattr(item, "to_dict"):
        return item.to_dict()
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return dataclasses.asdict(item)
    if hasattr(item, "model_dump"):
        return item.model_dump(mode="json")
    return item


@blp.route("/rulebooks")
class Rulebooks(MethodView):
    @blp.response(200)
    def get(self) -> dict[str, Any]:
        """规则集列表 / Every rulebook with its version, effective date and citations."""
        return {"items": [_plain(r) for r in list_rulebooks()]}
