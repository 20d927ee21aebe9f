"""``/reference``: Dongchangfu towns, certification tiers, pools, stages and transitions."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from marshmallow import Schema
from marshmallow import fields

from registry.domain.pipeline import POOLS
from registry.domain.pipeline import STAGE_LABELS
from registry.domain.pipeline import Stage
from registry.domain.pipeline import allowed_moves
from registry.domain.tiers import TIERS
from registry.domain.towns import TOWNS
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import page_schema
from yumiao_common.web.pagination import sequence_page

blp = Blueprint("reference", __name__, url_prefix="/reference",
                description="参考数据 / Reference data")


class TownSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)
    kind = fields.String(required=True)
    retired_in = fields.Integer(allow_none=True, required=True)


class TierSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    valid_years = fields.Integer(allow_none=True, required=True)


class PoolRefSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    tier = fields.String(allow_none=True, required=True)
    ladder = fields.String(allow_none=True, required=True)
    requires_tier = fields.String(allow_none=True, required=True)


class StageSchema(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    allowed_moves = fields.List(fields.String(), required=True)


class PipelineSchema(Schema):
    pools = fields.List(fields.Nested(PoolRefSchema), required=True)
    stages = fields.List(fields.Nested(StageSchema), required=True)


@blp.route("/towns")
class Towns(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, page_schema(TownSchema, name="TownPage"))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Towns and sub-districts with NBS codes (retired ones flagged with ``retired_in``);
        a catalogue in the list dialect, cursor by code."""
        return sequence_page([vars(t) for t in TOWNS], key=lambda t: str(t["code"]), kind=str,
                             limit=args["limit"], cursor=args["cursor"])


@blp.route("/tiers")
class Tiers(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, page_schema(TierSchema, name="TierPage"))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Certification tiers with their default validity in years (cursor by tier key)."""
        return sequence_page([vars(t) for t in TIERS.values()], key=lambda t: str(t["key"]),
                             kind=str, limit=args["limit"], cursor=args["cursor"])


@blp.route("/pipeline")
class Pipeline(MethodView):
    @blp.response(200, PipelineSchema)
    def get(self) -> dict[str, Any]:
        """Pools, stages (zh/en labels) and the allowed moves from each stage."""
        return {
            "pools": [vars(p) for p in POOLS.values()],
            "stages": [{"key": s.value, "label": STAGE_LABELS[s],
                        "allowed_moves": allowed_moves(s)} for s in Stage],
        }
