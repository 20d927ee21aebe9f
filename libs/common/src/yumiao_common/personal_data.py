"""Personal data of enterprise contacts: the one rule for mobile numbers and the masks.

Contacts carry a person's mobile number and e-mail address. They are validated and
normalised once here (registry on input, notify before a send) and masked the same way
wherever they are shown to someone who need not see them (the bureau's viewer role, audit
diffs) and in every log line (``138****1234``, ``a***@example.com``).
"""

from __future__ import annotations

import re

#: Mainland China mobile numbers: 11 digits, ``1`` then ``3``–``9`` (MIIT numbering plan).
MOBILE_SHAPE = re.compile(r"1[3-9][0-9]{9}")
_SEPARATORS = re.compile(r"[\s-]")
MOBILE_RULE = ("须为中国大陆11位手机号（1[3-9]开头，可带 +86）/ must be a mainland China mobile "
               "number: 11 digits starting 13–19, optionally prefixed +86")


def normalise_mobile(raw: str) -> str | None:
    """The 11-digit form of a mainland mobile number, or None when it is not one.

    Spaces and hyphens are dropped and an optional ``+86``/``0086``/``86`` country prefix is
    removed (``+86 138-0013-8000`` → ``13800138000``).
    """
    digits = _SEPARATORS.sub("", raw.strip())
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
            break
    else:
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
    return digits if MOBILE_SHAPE.fullmatch(digits) else None


def mask_mobile(mobile: str | None) -> str | None:
    """``13812341234`` → ``138****1234`` (anything shorter keeps only its last two digits)."""
    if not mobile:
        return mobile
    if len(mobile) >= 11:
        return f"{mobile[:3]}****{mobile[-4:]}"
    return "*" * max(len(mobile) - 2, 0) + mobile[-2:]


def mask_email(email: str | None) -> str | None:
    """``alice@example.com`` → ``a***@example.com`` (the domain stays: it names the firm)."""
    if not email:
        return email
    local, at, domain = email.partition("@")
    if not at:
        return "***"
    return f"{local[:1]}***@{domain}"


def mask_address(address: str | None) -> str | None:
    """Mask whichever kind of address this is (an e-mail when it holds ``@``)."""
    if not address:
        return address
    return mask_email(address) if "@" in address else mask_mobile(address)
