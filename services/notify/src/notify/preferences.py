"""Use cases of per-enterprise preferences (read, upsert with optimistic version, audit).

No row means defaults: in-app only, zh-CN. Choosing the webhook channel needs a URL and a
secret (kept from an earlier write if not resent), so every push can be signed.

Every change is audited like a policy change: a ``PreferenceAudit`` row in the caller's
transaction with who (``X-Actor``), when, why (an optional reason) and what changed
(``{field: {"before", "after"}}``, plus redacted before/after snapshots). Secrets never reach
the audit: the webhook secret shows only as redacted (a rotation is still visible as a
change), and so do a webhook URL's password and secret-looking query values. A write that
changes nothing writes nothing (no version bump, no audit row). Never commits.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.db import utcnow
from notify.models.preference import DEFAULT_LANGUAGE
from notify.models.preference import Preference
from notify.models.preference import PreferenceAudit
from yumiao_common.http_errors import Conflict
from yumiao_common.http_errors import ValidationFailed
from yumiao_common.identifiers import uscc_problems

#: The fields an enterprise sets, in the order the audit lists them.
AUDITED = ("enterprise_name", "language", "channels", "email", "webhook_url", "webhook_secret")
REDACTED = "[redacted]"
_SECRET_PARAM = re.compile(
    r"token|secret|key|sig|signature|password|passwd|pwd|auth|credential|code", re.IGNORECASE)


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


def put_preferences(
    session: Session, *, uscc: str, data: dict[str, Any], actor: str, reason: str | None = None,
) -> Preference:
    check_uscc(uscc)
    version = data.pop("version", None)
    pref = session.get(Preference, uscc)
    if pref is not None and version != pref.version:
        raise Conflict("偏好已被修改 / Preferences were changed meanwhile",
                       details={"current_version": pref.version})
    secret = data.pop("webhook_secret", None) or (pref.webhook_secret if pref else None)
    if "webhook" in data["channels"] and not secret:
        raise ValidationFailed(fields={"webhook_secret": ["必填 / required for webhooks"]})
    wanted = data | {"channels": list(dict.fromkeys(["inapp", *data["channels"]])),
                     "webhook_secret": secret}
    before: dict[str, Any] | None = None
    if pref is None:
        pref = Preference(uscc=uscc)
        session.add(pref)
    else:
        before = values(pref)
        if all(before.get(k) == v for k, v in wanted.items()):
            return pref  # nothing changes: nothing to write, nothing to audit
    for name, value in wanted.items():
        setattr(pref, name, value)
    pref.updated_by, pref.updated_at = actor, utcnow()
    session.flush()
    after = values(pref)
    session.add(PreferenceAudit(
        uscc=uscc, action="create" if before is None else "update", actor=actor, reason=reason,
        version=pref.version, changes=diff(before or {}, after),
        before=redact(before) if before is not None else None, after=redact(after),
        at=pref.updated_at,
    ))
    return pref


def preference_audit(session: Session, uscc: str) -> list[PreferenceAudit]:
    """An enterprise's preference changes, oldest first (empty when it never saved any)."""
    check_uscc(uscc)
    stmt = select(PreferenceAudit).where(PreferenceAudit.uscc == uscc)
    return list(session.scalars(stmt.order_by(PreferenceAudit.version, PreferenceAudit.at)))


def values(pref: Preference) -> dict[str, Any]:
    """The audited fields as stored (secrets included: never persist this, redact it)."""
    out = {name: getattr(pref, name) for name in AUDITED}
    out["channels"] = list(out["channels"] or [])
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: {"before", "after"}}`` for the fields whose stored value changed, redacted."""
    old, new = redact(before), redact(after)
    return {name: {"before": old.get(name), "after": new.get(name)}
            for name in AUDITED if before.get(name) != after.get(name)}


def redact(snapshot: dict[str, Any]) -> dict[str, Any]:
    out = dict(snapshot)
    if out.get("webhook_secret"):
        out["webhook_secret"] = REDACTED
    if out.get("webhook_url"):
        out["webhook_url"] = redact_url(out["webhook_url"])
    return out


def redact_url(url: str) -> str:
    """A URL with its password and secret-looking query values (``token=…``) redacted."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        userinfo, _, host = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}:{REDACTED}@{host}"
    query = "&".join(
        f"{key}={REDACTED}" if sep and _SECRET_PARAM.search(unquote(key)) else f"{key}{sep}{value}"
        for key, sep, value in (item.partition("=") for item in parts.query.split("&") if item)
    ) if parts.query else parts.query
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
