"""scoring's HTTP API under ``/api/v1``: one flask-smorest blueprint per resource folder."""

from __future__ import annotations

from flask_smorest import Api

from scoring.api.evaluate.routes import blp as evaluate_blp
from scoring.api.evaluations.routes import blp as evaluations_blp
from scoring.api.parameters.routes import blp as parameters_blp
from scoring.api.rankings.routes import blp as rankings_blp
from scoring.api.reevaluations.routes import blp as reevaluations_blp
from scoring.api.rulebooks.routes import blp as rulebooks_blp
from scoring.api.spec import register_profile_schema

BLUEPRINTS = (
    evaluate_blp, evaluations_blp, rankings_blp, rulebooks_blp, parameters_blp, reevaluations_blp,
)


def register_api(api: Api) -> None:
    """Register every blueprint under ``/api/v1`` and the Profile schema component."""
    register_profile_schema(api)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix="/api/v1")
