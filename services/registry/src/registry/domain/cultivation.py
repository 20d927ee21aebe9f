"""Cultivation (培育) vocabulary: kinds of service, problem states, worklist horizons.

Plan item 77 (一对一 contact, 问题清单) and item 83 (服务专员). Pure data, no I/O.
"""

from __future__ import annotations

import re
from datetime import date

SERVICE_KINDS: dict[str, str] = {
    "visit": "走访 / Visit",
    "training": "培训 / Training",
    "policy_briefing": "政策宣讲 / Policy briefing",
    "financing_match": "融资对接 / Financing match",
    "expert_diagnosis": "专家诊断 / Expert diagnosis",
}

PROBLEM_STATES: dict[str, str] = {
    "open": "待处理 / Open",
    "in_progress": "处理中 / In progress",
    "resolved": "已解决 / Resolved",
}

#: A bureau account as the gateway names it in X-Actor (``user:<name>``): who may be a firm's
#: responsible curator.
CURATOR_PATTERN = r"^user:[A-Za-z0-9._@-]{1,120}$"

#: Pool stages in which a firm is a member (在库): admitted and on until it leaves. Every such
#: member has a responsible curator — the admitting bureau user unless one is named before.
MEMBER_STAGES: tuple[str, ...] = ("admitted", "cultivating", "applied", "certified")

#: The audit reason of a curatorship the admission itself assigned (the admission's own
#: reason follows it).
ADMISSION_REASON = "入库时由办理入库的局内用户负责 / Responsible as the one who admitted the firm"

#: Moves between problem states; a resolved problem can be reopened if it comes back.
PROBLEM_MOVES: dict[str, frozenset[str]] = {
    "open": frozenset({"in_progress", "resolved"}),
    "in_progress": frozenset({"open", "resolved"}),
    "resolved": frozenset({"open"}),
}

#: Certificates expiring within this many days appear on a curator's worklist (the first
#: reminder, registry.certification.expiring, is sent 90 days ahead too).
EXPIRY_HORIZON_DAYS = 90

#: Readiness verdicts the worklist watches ("became eligible or near since my last visit").
WATCHED_VERDICTS: tuple[str, ...] = ("eligible", "near")


def follow_up_overdue(due: date | None, done: date | None, today: date) -> bool:
    """A follow-up is overdue when it has a due date before today and is not done."""
    return due is not None and done is None and due < today


def is_bureau_account(actor: str) -> bool:
    """Whether ``actor`` is a bureau user (not a system process or an enterprise)."""
    return re.fullmatch(CURATOR_PATTERN, actor) is not None
