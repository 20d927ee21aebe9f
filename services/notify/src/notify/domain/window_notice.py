"""What a window reminder says, in one language: the key that makes it unique and its context.

Pure: the reminder run (``notify.handlers.window_reminders``) gathers the policy, the batch
and the firm's verdict, and this module turns them into the template's words. The key hashes
(firm, policy, window dates, milestone), the same tuple as the ledger's unique key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from notify.domain.context import format_amount
from notify.domain.decisions import PolicyView
from notify.domain.vocabulary import one_language
from notify.domain.vocabulary import tier_name

STANDING = {
    "zh-CN": {"eligible": "已符合", "near": "接近符合"},
    "en": {"eligible": "meets the criteria for", "near": "is close to meeting the criteria for"},
}


@dataclass(frozen=True)
class WindowDue:
    """One reminder owed: a policy's batch, reached ``milestone`` on ``today``."""

    policy: PolicyView
    policy_id: Any
    batch_zh: str
    batch_en: str
    opens_on: date
    closes_on: date
    milestone: str
    today: date


def window_key(uscc: str, due: WindowDue) -> str:
    raw = "\x1f".join(("window", uscc, due.policy.code, due.opens_on.isoformat(),
                       due.closes_on.isoformat(), due.milestone))
    return hashlib.sha256(raw.encode()).hexdigest()


def window_context(due: WindowDue, verdict: str, language: str,
                   enterprise_name: str) -> dict[str, Any]:
    zh = language == "zh-CN"
    p = due.policy
    return {
        "enterprise_name": enterprise_name,
        "policy_name": p.name_zh if zh else p.name_en,
        "batch": due.batch_zh if zh else due.batch_en,
        "milestone": due.milestone,
        "window_opens": due.opens_on.isoformat(),
        "deadline": due.closes_on.isoformat(),
        "days_left": (due.closes_on - due.today).days,
        "standing": STANDING[language].get(verdict, STANDING[language]["near"]),
        "tier_name": tier_name(p.tier, language),
        "benefit": p.benefit_zh if zh else p.benefit_en,
        "amount": format_amount(p, language),
        "source_document": one_language(p.source_document, language),
        "contact": one_language(p.contact, language) or None,
    }
