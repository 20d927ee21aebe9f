"""HTTP resources under ``/api/v1``: one flask-smorest Blueprint ``blp`` per resource, declared at
module level in ``api/<resource>/routes.py``.

``BLUEPRINTS`` lists them and ``register_blueprints`` is the one way they are registered (the
app factory calls it), together with the ``Profile`` schema component the what-if body uses;
a new resource adds one line to ``BLUEPRINTS``.
"""

from __future__ import annotations

from flask_smorest import Api
from flask_smorest import Blueprint

from scoring.api.evaluate.routes import blp as evaluate_blp
from scoring.api.evaluations.routes import blp as evaluations_blp
from scoring.api.parameters.routes import blp as parameters_blp
from scoring.api.parking.routes import blp as parking_blp
from scoring.api.profile_schema import register_profile_schema
from scoring.api.rankings.routes import blp as rankings_blp
from scoring.api.reevaluations.routes import blp as reevaluations_blp
from scoring.api.rulebooks.routes import blp as rulebooks_blp

API_PREFIX = "/api/v1"

#: Every resource of scoring, in the order the OpenAPI document lists them.
BLUEPRINTS: tuple[Blueprint, ...] = (
    evaluate_blp, evaluations_blp, rankings_blp, rulebooks_blp, parameters_blp, reevaluations_blp,
    parking_blp,
)


def register_blueprints(api: Api) -> None:
    """Register every blueprint of ``BLUEPRINTS`` under ``/api/v1`` and the Profile component."""
    register_profile_schema(api)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + (blueprint.url_prefix or ""))
