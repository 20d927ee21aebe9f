"""Use cases of per-enterprise preferences (read, upsert with optimistic version).

No row means defaults: in-app only, zh-CN. Choosing the webhook channel needs a URL and a
secret (kept from an earlier write if not resent), so every push can be signed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from notify.db import utcnow
from notify.models.preference import DEFAULT_LANGUAGE
from notify.models.preference import Preference
from yumiao_common.http_errors import Conflict
from yumiao_common.http_errors import ValidationFailed
from yumiao_common.identifiers import uscc_problems


def check_uscc(uscc: str) -> None:
    problems = uscc_problems(uscc)
    if problems:
        raise ValidationFailed(fields={"uscc": [f"{zh} / {en}" for zh, en in problems]})


def get_preferences(session: Session, uscc: str) -> Preference:
    """The stored row, or an unsaved default one (version 0)."""
    check_uscc(uscc)
    pref = session.get(Preference, uscc)
    if pref is None:
        return Preference(uscc=uscc, language=DEFAULT_LANGUAGE, channels=["inapp"], version=0)
    return pref


def put_preferences(session: Session, *, uscc: str, data: dict[str, Any], actor: str) -> Preference:
    check_uscc(uscc)
    version = data.pop("version", None)
    pref = session.get(Preference, uscc)
    if pref is None:
        pref = Preference(uscc=uscc)
        session.add(pref)
    elif version != pref.version:
        raise Conflict("偏好已被修改 / Preferences were changed meanwhile",
                       details={"current_version": pref.version})
    secret = data.pop("webhook_secret", None) or pref.webhook_secret
    if "webhook" in data["channels"] and not secret:
        raise ValidationFailed(fields={"webhook_secret": ["必填 / required for webhooks"]})
    channels = list(dict.fromkeys(["inapp", *data.pop("channels")]))
    for name, value in data.items():
        setattr(pref, name, value)
    pref.channels, pref.webhook_secret = channels, secret
    pref.updated_by, pref.updated_at = actor, utcnow()
    session.flush()
    return pref
