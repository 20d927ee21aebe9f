"""The gateway's HTTP adapter: its own API, the front door around it, and the proxy.

* ``api/<resource>/routes.py``: the gateway's own resources (flask-smorest): auth, me,
  accounts, eligibility check.
* Plain Flask blueprints: ``docs`` (the merged OpenAPI document, ``openapi.py``, and its
  page), ``internal`` (one hop to a service's ``/healthz``), ``proxy`` (every other
  ``/api/v1`` path, forwarded) — and the web pages' blueprint (``gateway.web``, the second
  HTTP adapter).
* The front door every request passes: ``credentials`` (who is calling), ``limits``
  (application-wide rate limits, keyed by the caller), ``gate`` (the checks run before any
  body is read).

``BLUEPRINTS`` lists every blueprint in registration order and ``register_blueprints`` is the
one way they are registered: the web pages before the catch-all proxy, and the proxy last, so
the gateway's own routes win.
"""

from __future__ import annotations

from flask import Blueprint
from flask import Flask
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint

from gateway import web
from gateway.api import docs
from gateway.api import internal
from gateway.api import proxy
from gateway.api.accounts.routes import blp as accounts_blp
from gateway.api.auth.routes import blp as auth_blp
from gateway.api.eligibility.routes import blp as eligibility_blp
from gateway.api.invitations.routes import blp as invitations_blp
from gateway.api.me.routes import blp as me_blp
from gateway.api.password_reset.routes import blp as password_reset_blp

BLUEPRINTS: tuple[Blueprint, ...] = (
    auth_blp, me_blp, accounts_blp, eligibility_blp,  # flask-smorest: in the OpenAPI document
    invitations_blp, password_reset_blp,
    web.blp, docs.blp, internal.blp,
    proxy.blp,  # the catch-all: last
)


def register_blueprints(app: Flask, api: Api) -> None:
    """Register ``BLUEPRINTS``: flask-smorest ones through ``api`` (so they are documented),
    plain ones on ``app``."""
    for blueprint in BLUEPRINTS:
        if isinstance(blueprint, ApiBlueprint):
            api.register_blueprint(blueprint)
        else:
            app.register_blueprint(blueprint)
