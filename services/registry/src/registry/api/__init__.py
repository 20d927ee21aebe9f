"""HTTP resources under ``/api/v1``: one flask-smorest Blueprint ``blp`` per resource, declared at
module level in ``api/<resource>/routes.py``.

``BLUEPRINTS`` lists them and ``register_blueprints`` is the one way they are registered (the
app factory calls it); a new resource adds one line to ``BLUEPRINTS``.
"""

from __future__ import annotations

from flask_smorest import Api
from flask_smorest import Blueprint

from registry.api.awards.routes import blp as awards_blp
from registry.api.certifications.routes import blp as certifications_blp
from registry.api.contacts.routes import blp as contacts_blp
from registry.api.cultivation.routes import blp as cultivation_blp
from registry.api.enterprises.routes import blp as enterprises_blp
from registry.api.exports.routes import blp as exports_blp
from registry.api.financials.routes import blp as financials_blp
from registry.api.imports.routes import blp as imports_blp
from registry.api.institutions.routes import blp as institutions_blp
from registry.api.ip.routes import blp as ip_blp
from registry.api.overview.routes import blp as overview_blp
from registry.api.parking.routes import blp as parking_blp
from registry.api.plans.routes import blp as plans_blp
from registry.api.pools.routes import blp as pools_blp
from registry.api.reference.routes import blp as reference_blp
from registry.api.reports.routes import blp as reports_blp
from registry.api.rounds.routes import blp as rounds_blp
from registry.api.standards.routes import blp as standards_blp
from registry.api.statistics.routes import blp as statistics_blp
from registry.api.submission_review.routes import blp as submission_review_blp
from registry.api.submissions.routes import blp as submissions_blp
from registry.api.worklist.routes import blp as worklist_blp

API_PREFIX = "/api/v1"

#: Every resource of the registry, in the order the OpenAPI document lists them.
BLUEPRINTS: tuple[Blueprint, ...] = (
    enterprises_blp, financials_blp, ip_blp, awards_blp, institutions_blp, standards_blp,
    certifications_blp, contacts_blp, pools_blp, reference_blp, imports_blp, exports_blp,
    rounds_blp, cultivation_blp, worklist_blp,
    plans_blp, statistics_blp, reports_blp, parking_blp,
    submissions_blp, submission_review_blp, overview_blp,
)


def register_blueprints(api: Api) -> None:
    """Register every blueprint of ``BLUEPRINTS`` on ``api`` under ``/api/v1``."""
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=API_PREFIX + (blueprint.url_prefix or ""))
