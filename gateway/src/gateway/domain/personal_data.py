"""Which answers carry contacts' personal data, and how a viewer sees them.

The registry answers contacts in full; the gateway, which knows the caller's role, masks the
mobile number and e-mail address for the bureau's viewers (``138****1234``,
``a***@example.com``). Curators and admins, who maintain contacts, and the enterprise itself
(``/me/contacts``) see them in full.
"""

from __future__ import annotations

import re
from typing import Any

from gateway.domain.principal import Principal
from yumiao_common.personal_data import mask_email
from yumiao_common.personal_data import mask_mobile

CONTACT_PATH = re.compile(r"^enterprises/[^/]+/contacts(/[^/]+)?/?$")
MASKED_ROLES = frozenset({"viewer"})


def masks_contacts(principal: Principal, path: str) -> bool:
    """Whether the answer to ``/api/v1/<path>`` must reach ``principal`` masked."""
    return (not principal.is_enterprise and principal.role in MASKED_ROLES
            and CONTACT_PATH.match(path.strip("/")) is not None)


def mask_contact_document(document: Any) -> Any:
    """A contact or a page of contacts with every mobile number and e-mail address masked."""
    if isinstance(document, dict) and isinstance(document.get("items"), list):
        return {**document, "items": [mask_contact_document(i) for i in document["items"]]}
    if isinstance(document, dict):
        out = dict(document)
        if isinstance(out.get("mobile"), str):
            out["mobile"] = mask_mobile(out["mobile"])
        if isinstance(out.get("email"), str):
            out["email"] = mask_email(out["email"])
        return out
    return document
