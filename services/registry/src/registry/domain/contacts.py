"""Rules of an enterprise contact that need no database: reachability and the audit mask.

A contact needs a way to be reached (a mobile number or an e-mail address), and consent to a
channel needs that channel's address: consent to SMS without a number reaches nobody and
would only hide the gap. Audit diffs keep the change visible without the personal data.
"""

from __future__ import annotations

from typing import Any

from yumiao_common.personal_data import mask_email
from yumiao_common.personal_data import mask_mobile

#: The fields a client sets; the audit and the event carry these.
CONTACT_FIELDS: tuple[str, ...] = (
    "name", "role", "mobile", "email", "sms_consent", "sms_opt_out", "email_consent",
    "email_opt_out",
)
NEEDS_ADDRESS = "须填写手机号或电子邮箱 / a mobile number or an e-mail address is required"
SMS_NEEDS_MOBILE = "同意短信须先填写手机号 / SMS consent needs a mobile number"
EMAIL_NEEDS_ADDRESS = "同意邮件须先填写电子邮箱 / e-mail consent needs an e-mail address"


def contact_problems(values: dict[str, Any]) -> dict[str, list[str]]:
    """Field → reasons for the merged contact ``values`` (empty when it may be stored)."""
    problems: dict[str, list[str]] = {}
    if not values.get("mobile") and not values.get("email"):
        problems["mobile"] = [NEEDS_ADDRESS]
    if values.get("sms_consent") and not values.get("mobile"):
        problems["sms_consent"] = [SMS_NEEDS_MOBILE]
    if values.get("email_consent") and not values.get("email"):
        problems["email_consent"] = [EMAIL_NEEDS_ADDRESS]
    return problems


def masked(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with the mobile number and e-mail address masked (audit rows, logs)."""
    out = dict(values)
    if "mobile" in out:
        out["mobile"] = mask_mobile(out["mobile"])
    if "email" in out:
        out["email"] = mask_email(out["email"])
    return out
