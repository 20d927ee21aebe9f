"""Routes of per-enterprise preferences.

Only the owning enterprise (X-Actor ``enterprise:<uscc>``) reads its webhook URL in full:
robot URLs carry access tokens, and bureau roles have no use for them.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select

from notify.adapters.channels.egress import EgressPolicy
from notify.api.pagination import Key
from notify.api.pagination import keyset_page
from notify.api.pagination import timestamp_key
from notify.api.pagination import uuid_key
from notify.api.preferences.schemas import PreferenceAuditArgs
from notify.api.preferences.schemas import PreferenceAuditPage
from notify.api.preferences.schemas import PreferenceIn
from notify.api.preferences.schemas import PreferenceOut
from notify.handlers import preferences
from notify.models.preference import PreferenceAudit
from notify.settings import Settings
from yumiao_common.db.engine import get_session
from yumiao_common.web.openapi import documents_actor
from yumiao_common.web.wiring import current_actor
from yumiao_common.web.wiring import required_actor


def _version(text: str) -> int:
    """A version inside a cursor: an int the column can hold (anything else: a bad cursor)."""
    value = int(text)
    if not 0 <= value < 2**31:
        raise ValueError(text)
    return value


#: The audit trail's order: save after save (version), then time and id to break ties.
AUDIT_ORDER = (Key("version", PreferenceAudit.version, False, str, _version),
               timestamp_key("at", PreferenceAudit.at, descending=False),
               uuid_key("id", PreferenceAudit.id))
blp = Blueprint("preferences", __name__, url_prefix="/api/v1",
                description="通知偏好 / Notification preferences")


@blp.route("/enterprises/<uscc>/preferences")
class Preferences(MethodView):
    @blp.response(200, PreferenceOut)
    def get(self, uscc: str) -> dict[str, Any]:
        """The enterprise sees its webhook URL in full; everyone else ``https://host/…``."""
        pref = preferences.get_preferences(get_session(), uscc)
        return preferences.view(pref, owner=_is_owner(uscc))

    @blp.arguments(PreferenceIn)
    @blp.response(200, PreferenceOut)
    @documents_actor(blp)
    def put(self, data: dict[str, Any], uscc: str) -> dict[str, Any]:
        session = get_session()
        reason = data.pop("reason", None)
        settings: Settings = current_app.extensions["notify.settings"]
        pref = preferences.put_preferences(session, uscc=uscc, data=data, actor=required_actor(),
                                           reason=reason, egress=EgressPolicy.of(settings))
        session.commit()
        return preferences.view(pref, owner=_is_owner(uscc))


@blp.route("/enterprises/<uscc>/preferences/audit")
class PreferenceAuditTrail(MethodView):
    @blp.arguments(PreferenceAuditArgs, location="query", unknown=RAISE)
    @blp.response(200, PreferenceAuditPage)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """Who changed these preferences, when, why and what (secrets redacted), oldest first;
        the trail grows with every save, so it pages (cursor by version, time, id)."""
        preferences.check_uscc(uscc)
        page = keyset_page(get_session(), select(PreferenceAudit).where(
            PreferenceAudit.uscc == uscc), AUDIT_ORDER, limit=args["limit"],
            cursor=args["cursor"])
        return {**page, "items": [preferences.audit_view(a) for a in page["items"]]}


def _is_owner(uscc: str) -> bool:
    """The gateway names an enterprise caller ``enterprise:<uscc>`` (bound to its own code)."""
    return current_actor() == f"enterprise:{uscc}"
