"""Template context for a draft in one language: names, amount, deadline, reason, rules.

Amounts are integer yuan; an unknown amount is said to be unknown, never shown as 0. Every
value is in the notice's language only (``vocabulary.one_language``): criteria by their titles,
the rules by their documents (``rules``), never ids such as ``tech_sme.d_institution`` or a
version such as ``tech_sme@2017-05-03``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from notify.domain.decisions import Draft
from notify.domain.decisions import PolicyView
from notify.domain.facts import AdmissionFact
from notify.domain.facts import EligibilityFact
from notify.domain.facts import ExpiryFact
from notify.domain.facts import ReviewFact
from notify.domain.links import submission_path
from notify.domain.vocabulary import criteria
from notify.domain.vocabulary import documents
from notify.domain.vocabulary import one_language
from notify.domain.vocabulary import pool_name
from notify.domain.vocabulary import tier_name
from yumiao_common.vocabulary.submission_fields import field_label

UNKNOWN_AMOUNT = {
    "zh-CN": "金额未知（以主管部门公布为准）",
    "en": "amount unknown (as announced by the authority)",
}
NO_REASON = {"zh-CN": "（未提供）", "en": "(not given)"}


def format_amount(policy: PolicyView, language: str) -> str:
    if policy.amount_yuan is None:
        base = UNKNOWN_AMOUNT[language]
    else:
        base = f"¥{policy.amount_yuan:,}"
    note = one_language(policy.amount_note, language)
    if not note:
        return base
    return f"{base}；{note}" if language == "zh-CN" else f"{base}; {note}"


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _policy_item(policy: PolicyView, language: str) -> dict[str, Any]:
    zh = language == "zh-CN"
    return {
        "name": policy.name_zh if zh else policy.name_en,
        "benefit": policy.benefit_zh if zh else policy.benefit_en,
        "amount": format_amount(policy, language),
        "deadline": _iso(policy.window_closes),
    }


def _reason(draft: Draft, language: str) -> str:
    fact = draft.fact
    if isinstance(fact, EligibilityFact) and fact.criteria_met:
        return criteria(fact.criteria_met_titles, len(fact.criteria_met), language)
    if isinstance(fact, ExpiryFact):
        days = draft.cause["days_left"]
        if language == "zh-CN":
            return f"证书剩余有效期 {days} 天"
        return f"{days} days of validity left"
    if isinstance(fact, AdmissionFact) and fact.reason:
        return one_language(fact.reason, language)
    if isinstance(fact, ReviewFact) and fact.note:
        return one_language(fact.note, language)
    return NO_REASON[language]


def _review_items(fact: ReviewFact, language: str) -> dict[str, Any]:
    """The fields in words in the reader's language, each returned one with its reason."""
    half = 0 if language == "zh-CN" else 1
    return {
        "year": fact.year,
        "returned": [{"field": field_label(path)[half],
                      "reason": one_language(reason, language) or NO_REASON[language]}
                     for path, reason in fact.returned],
        "accepted": [field_label(path)[half] for path in fact.accepted],
        "note": one_language(fact.note, language) or None,
        "submission_path": submission_path(fact.submission_id),
    }


def build_context(draft: Draft, language: str, enterprise_name: str) -> dict[str, Any]:
    fact = draft.fact
    ctx: dict[str, Any] = {
        "enterprise_name": enterprise_name,
        "reason": _reason(draft, language),
        "rulebook_version": draft.rulebook_version,
        "rules": documents(getattr(fact, "rulebook_documents", ()), language),
        "deadline": _iso(draft.deadline),
        "contact": None,
    }
    if isinstance(fact, EligibilityFact | ExpiryFact):
        ctx["tier_name"] = tier_name(fact.tier, language)
    if draft.policy is not None:
        item = _policy_item(draft.policy, language)
        ctx.update(policy_name=item["name"], benefit=item["benefit"], amount=item["amount"],
                   window_opens=_iso(draft.policy.window_opens),
                   source_document=one_language(draft.policy.source_document, language),
                   contact=one_language(draft.policy.contact, language) or None)
    if isinstance(fact, ExpiryFact):
        sep = "、" if language == "zh-CN" else ", "
        names = [_policy_item(p, language)["name"] for p in draft.support]
        ctx.update(days_left=draft.cause["days_left"], certificate_number=fact.certificate_number,
                   policy_name=sep.join(names) or ("相关优惠" if language == "zh-CN" else "—"))
    if isinstance(fact, AdmissionFact):
        ctx.update(pool_name=pool_name(fact.pool, language),
                   admitted_on=fact.occurred_at.date().isoformat(),
                   support=[_policy_item(p, language) for p in draft.support])
    if isinstance(fact, ReviewFact):
        ctx.update(_review_items(fact, language))
    return ctx
