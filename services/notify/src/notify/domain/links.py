"""The link a pushed notice carries to the same notice in the enterprise portal.

A review notice (issue 15) links to the yearly report it is about instead, where the firm
reads the bureau's decisions and corrects what was returned.

The stored notice (its in-app text) stays as rendered; the link is added when an e-mail or a
webhook leaves, because it depends on where the site is published (``NOTIFY_PUBLIC_URL``),
which a deployment may change after notices were written. Without a public address the
notice goes out as before: a link to a host the reader cannot reach is worse than none.
"""

from __future__ import annotations

import uuid
from typing import Any

#: The portal's notice list (gateway ``/my/notices``); each notice is the anchor ``n-<id>``.
NOTICE_PAGE = "/my/notices"
#: The portal's page of one yearly report (the firm's own, issue 15).
SUBMISSION_PAGE = "/my/submissions/{id}"
_LEAD = {"zh-CN": "查看详情并申报：", "en": "Details and how to apply: "}
_REVIEW_LEAD = {"zh-CN": "查看自报与审核意见：", "en": "Your report and the bureau's decisions: "}


def submission_path(submission_id: int) -> str:
    return SUBMISSION_PAGE.format(id=int(submission_id))


def notice_url(public_url: str | None, notice_id: uuid.UUID, kind: str | None = None,
               cause: dict[str, Any] | None = None) -> str | None:
    """The absolute address of the notice in the portal, or None without a public address;
    for a review notice, the address of the report it is about."""
    if not public_url:
        return None
    submission = (cause or {}).get("submission_id") if kind == "review" else None
    if isinstance(submission, int):
        return f"{public_url.rstrip('/')}{submission_path(submission)}"
    return f"{public_url.rstrip('/')}{NOTICE_PAGE}#n-{notice_id}"


def with_link(body: str, language: str, url: str | None, kind: str | None = None) -> str:
    """``body`` ending with one line that carries ``url`` (unchanged without one)."""
    if not url:
        return body
    leads = _REVIEW_LEAD if kind == "review" else _LEAD
    lead = leads.get(language, leads["zh-CN"])
    return f"{body.rstrip()}\n{lead}{url}\n"
