"""Use cases of per-enterprise preferences (read, upsert with optimistic version, audit).

No row means defaults: in-app only, zh-CN. Choosing the webhook channel needs a URL and a
secret (kept from an earlier write if not resent), so every push can be signed.

Every change is audited like a policy change: a ``PreferenceAudit`` row in the caller's
transaction with who (``X-Actor``), when, why (an optional reason) and what changed
(``{field: {"before", "after"}}``, plus redacted before/after snapshots). Secrets never reach
the audit: the webhook secret shows only as redacted (a rotation is still visible as a
change), and a webhook URL only as its scheme and host (DingTalk and WeCom robot URLs carry
an access token). A write that changes nothing writes nothing (no version bump, no audit
row). Never commits.

A webhook URL is checked when saved (``notify.adapters.channels.egress``: public addresses on ports
80/443 unless the bureau allowed more), and shown in full only to the owning enterprise;
everyone else (bureau staff included) sees ``https://host/…``. Sending that shown form back
unchanged keeps the stored URL, so a bureau edit of other fields does not need the secret.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from notify.adapters.channels.egress import EgressPolicy
from notify.adapters.channels.egress import TargetRefused
from notify.adapters.channels.egress import parse_target
from notify.adapters.channels.egress import shown_url
from notify.models.preference import DEFAULT_LANGUAGE
from notify.models.preference import Preference
from notify.models.preference import PreferenceAudit
from yumiao_common.clock import utcnow
from yumiao_common.identifiers import uscc_problems
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import ValidationFailed

#: The fields an enterprise sets, in the order the audit lists them.
AUDITED = ("enterprise_name", "language", "channels", "email", "webhook_url", "webhook_secret")
REDACTED = "[redacted]"
_STRICT = EgressPolicy()


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
    egress: EgressPolicy = _STRICT,
) -> Preference:
    check_uscc(uscc)
    version = data.pop("version", None)
    pref = session.get(Preference, uscc)
    if pref is not None and version != pref.version:
        raise Conflict("偏好已被修改 / Preferences were changed meanwhile",
                       details={"current_version": pref.version})
    url = data.get("webhook_url")
    if url and pref is not None and pref.webhook_url and url == shown_url(pref.webhook_url):
        data["webhook_url"] = url = pref.webhook_url  # the redacted form sent back: keep it
    if url:
        check_webhook_url(url, egress)
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


def check_webhook_url(url: str, egress: EgressPolicy) -> None:
    """422 on ``webhook_url`` when notify would not call ``url`` (see channels.egress)."""
    try:
        parse_target(url, egress)
    except TargetRefused as exc:
        raise ValidationFailed(fields={"webhook_url": [str(exc)]}) from exc


def view(pref: Preference, *, owner: bool) -> dict[str, Any]:
    """What the API shows: the webhook URL in full to its owner only, never the secret."""
    return {
        "uscc": pref.uscc, "language": pref.language, "channels": list(pref.channels or []),
        "enterprise_name": pref.enterprise_name, "email": pref.email,
        "webhook_url": pref.webhook_url if owner else shown_url(pref.webhook_url),
        "webhook_secret_set": bool(pref.webhook_secret), "version": pref.version,
        "updated_by": pref.updated_by, "updated_at": pref.updated_at,
    }


def audit_view(entry: PreferenceAudit) -> dict[str, Any]:
    """An audit row as served; URLs cut to their host again (rows written before did not)."""
    changes = {name: {side: _shown(name, value) for side, value in change.items()}
               for name, change in (entry.changes or {}).items()}
    return {
        "id": entry.id, "action": entry.action, "actor": entry.actor, "reason": entry.reason,
        "version": entry.version, "changes": changes, "at": entry.at,
        "before": redact(entry.before) if entry.before is not None else None,
        "after": redact(entry.after or {}),
    }


def _shown(name: str, value: Any) -> Any:
    return shown_url(value) if name == "webhook_url" and isinstance(value, str) else value


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
        out["webhook_url"] = shown_url(out["webhook_url"])
    return out
