"""notify's HTTP API (flask-smorest): policies, notices, preferences, parking, SMS receipts,
and the gateway's account messages.

Each resource declares its Blueprint ``blp`` at module level in ``api/<resource>/routes.py``;
this list is the one place they are registered, so a new resource is one line here.
"""

from __future__ import annotations

from flask_smorest import Api
from flask_smorest import Blueprint

from notify.api.messages.routes import blp as messages_blp
from notify.api.notices.routes import blp as notices_blp
from notify.api.parking.routes import blp as parking_blp
from notify.api.policies.routes import blp as policies_blp
from notify.api.preferences.routes import blp as preferences_blp
from notify.api.sms.routes import blp as sms_blp

BLUEPRINTS: tuple[Blueprint, ...] = (policies_blp, notices_blp, preferences_blp, parking_blp,
                                     sms_blp, messages_blp)


def register_blueprints(api: Api) -> None:
    """Register every resource of notify's API on ``api`` (the one way they are registered)."""
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
