"""The contact form of the contacts pages: what was typed, the body the registry takes, and
its refusals put beside the fields they name.

A contact is a name, a role, a mobile number, an e-mail address and, per channel (短信 SMS,
邮件 e-mail), consent and opt-out. The registry checks everything (a mainland mobile number,
an e-mail address, consent only with that channel's address) and answers 422 naming the
field; this module only carries the typed text there and the registry's words back, so the
page never judges a number differently from the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gateway.web.i18n import pick
from gateway.web.i18n import t
from gateway.web.submission_form import words
from gateway.web.wording import field_message
from yumiao_common.web.errors import DomainError

TEXTS = ("name", "role", "mobile", "email")
FLAGS = ("sms_consent", "email_consent", "sms_opt_out", "email_opt_out")
FIELDS = (*TEXTS, *FLAGS)
MAX_TYPED = 300  # longer than any field the registry takes: its own length rule answers
REASON_MAX = 500
#: A refusal the page shows above the form for fields it has no input for (If-Match …).
GENERAL = "_form"


def typed(form: Mapping[str, str]) -> dict[str, Any]:
    """The form as typed: texts stripped (kept to show again), ticks as booleans."""
    values: dict[str, Any] = {name: (form.get(name) or "").strip()[:MAX_TYPED]
                              for name in TEXTS}
    values.update({name: form.get(name) == "1" for name in FLAGS})
    values["reason"] = (form.get("reason") or "").strip()[:REASON_MAX]
    values["version"] = version_of(form.get("version"))
    return values


def version_of(raw: str | None) -> int | None:
    text = (raw or "").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None


def if_match(version: int | None) -> dict[str, str]:
    """The ``If-Match`` of a write made on ``version`` (none known: ``"0"``, refused as stale
    rather than written blind)."""
    return {"If-Match": f'"{version if version is not None else 0}"'}


def body(values: Mapping[str, Any]) -> dict[str, Any]:
    """The registry's body: an empty role, number or address is none (cleared)."""
    out: dict[str, Any] = {"name": values.get("name") or ""}
    out.update({name: values.get(name) or None for name in ("role", "mobile", "email")})
    out.update({name: bool(values.get(name)) for name in FLAGS})
    if values.get("reason"):
        out["reason"] = values["reason"]
    return out


def stored(contact: Mapping[str, Any]) -> dict[str, Any]:
    """A contact as the registry holds it, in the form's terms (none shown as empty)."""
    values: dict[str, Any] = {name: contact.get(name) or "" for name in TEXTS}
    values.update({name: bool(contact.get(name)) for name in FLAGS})
    values["version"] = contact.get("version")
    return values


def differences(typed_values: Mapping[str, Any], held: Mapping[str, Any]) -> set[str]:
    """The fields where what was typed differs from what is stored now."""
    return {name for name in FIELDS if typed_values.get(name) != held.get(name)}


def problem(exc: DomainError) -> dict[str, Any]:
    """A refusal the page shows: the registry's field errors beside their fields, in the
    page's language; what it cannot place above the form. A failure of the service itself
    or of access is not a form problem: it goes to the error page."""
    if exc.status >= 500 or exc.status in (401, 403):
        raise exc
    fields: dict[str, list[str]] = {}
    for key, messages in (exc.fields or {}).items():
        name = str(key).split(".")[-1]
        name = name if name in FIELDS or name == "reason" else GENERAL
        listed = messages if isinstance(messages, list) else [messages]
        fields.setdefault(name, []).extend(said(m) for m in listed)
    return {"status": exc.status, "code": exc.code, "message": pick(exc.message),
            "fields": fields}


def said(message: object) -> str:
    """A registry message in the page's language: its own side of a bilingual text (also
    ``…+86）/ must be …``), an English-only marshmallow text in plain words."""
    text = str(message)
    one_side = words(text)
    return one_side if one_side != text else field_message(text)


def reason_missing() -> dict[str, Any]:
    """The page's own refusal: a change by the bureau (and any removal) says why, kept in
    the registry's audit trail beside the change."""
    return {"status": 422, "code": "reason_required", "message": t("p.problem").rstrip("：:"),
            "fields": {"reason": [pick("请填写原因 / Give a reason")]}}


def removal_unconfirmed(form: Mapping[str, str], *, reason_required: bool) -> dict[str, Any]:
    """The page's own refusal of a removal that is not confirmed: the 确认删除 box unticked
    (a stray click on 删除 removes nothing), or no reason where one is asked for. Empty when
    the removal may go ahead."""
    fields: dict[str, list[str]] = {}
    if reason_required and not (form.get("reason") or "").strip():
        fields["reason"] = [pick("请填写原因 / Give a reason")]
    if form.get("confirm") != "1":
        fields["confirm"] = [pick("请勾选“确认删除” / Tick “Confirm removal”")]
    if not fields:
        return {}
    return {"status": 422, "code": "removal_unconfirmed",
            "message": t("p.problem").rstrip("：:"), "fields": fields}
