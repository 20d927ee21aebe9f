"""The link a pushed notice carries to the same notice in the enterprise portal.

The stored notice (its in-app text) stays as rendered; the link is added when an e-mail or a
webhook leaves, because it depends on where the site is published (``NOTIFY_PUBLIC_URL``),
which a deployment may change after notices were written. Without a public address the
notice goes out as before: a link to a host the reader cannot reach is worse than none.
"""

from __future__ import annotations

import uuid

#: The portal's notice list (gateway ``/my/notices``); each notice is the anchor ``n-<id>``.
NOTICE_PAGE = "/my/notices"
_LEAD = {"zh-CN": "查看详情并申报：", "en": "Details and how to apply: "}


def notice_url(public_url: str | None, notice_id: uuid.UUID) -> str | None:
    """The absolute address of the notice in the portal, or None without a public address."""
    if not public_url:
        return None
    return f"{public_url.rstrip('/')}{NOTICE_PAGE}#n-{notice_id}"


def with_link(body: str, language: str, url: str | None) -> str:
    """``body`` ending with one line that carries ``url`` (unchanged without one)."""
    if not url:
        return body
    lead = _LEAD.get(language, _LEAD["zh-CN"])
    return f"{body.rstrip()}\n{lead}{url}\n"
