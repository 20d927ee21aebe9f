"""Routes of per-enterprise preferences."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from notify import preferences
from notify.api.actor import require_actor
from notify.api.preferences.schemas import PreferenceAuditOut
from notify.api.preferences.schemas import PreferenceIn
from notify.api.preferences.schemas import PreferenceOut
from notify.models.preference import Preference
from yumiao_common.db import get_session

blp = Blueprint("preferences", __name__, url_prefix="/api/v1",
                description="通知偏好 / Notification preferences")


@blp.route("/enterprises/<uscc>/preferences")
class Preferences(MethodView):
    @blp.response(200, PreferenceOut)
    def get(self, uscc: str) -> Preference:
        return preferences.get_preferences(get_session(), uscc)

    @blp.arguments(PreferenceIn)
    @blp.response(200, PreferenceOut)
    def put(self, data: dict[str, Any], uscc: str) -> Preference:
        session = get_session()
        reason = data.pop("reason", None)
        pref = preferences.put_preferences(session, uscc=uscc, data=data, actor=require_actor(),
                                           reason=reason)
        session.commit()
        return pref


@blp.route("/enterprises/<uscc>/preferences/audit")
class PreferenceAuditTrail(MethodView):
    @blp.response(200, PreferenceAuditOut(many=True))
    def get(self, uscc: str) -> list[Any]:
        """Who changed these preferences, when, why and what (secrets redacted), oldest first."""
        return list(preferences.preference_audit(get_session(), uscc))
