"""The bureau's rules: who is owed which notice, and when nothing is owed."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from notify.domain.context import build_context
from notify.domain.decisions import PolicyView
from notify.domain.decisions import decide
from notify.domain.decisions import notice_key
from notify.domain.facts import AdmissionFact
from notify.domain.facts import EligibilityFact
from notify.domain.facts import ExpiryFact

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 8, tzinfo=UTC)


def policy(code: str, *, trigger: str = "eligible", tier: str | None = "hnte",
           pool: str | None = None, closes: date | None = None) -> PolicyView:
    return PolicyView(code, trigger, tier, pool, "名", "name", "益", "benefit", None, None, None,
                      closes, None, "doc")


CATALOGUE = [
    policy("tax-15"), policy("loss-10y"), policy("closed", closes=date(2026, 5, 31)),
    policy("open-today", closes=TODAY), policy("sme", tier="tech_sme"),
    policy("ipo", trigger="admitted", tier=None, pool="listing_reserve"),
]


def fact(**overrides: object) -> EligibilityFact:
    base = EligibilityFact(uuid.uuid4(), "91371502MA3C00001X", "某企业", "hnte", True,
                           "hnte-2016.1", ("rd_ratio",), NOW)
    return replace(base, **overrides)  # type: ignore[arg-type]


def test_newly_eligible_gets_one_notice_per_open_policy_of_the_tier() -> None:
    drafts = decide(fact(), CATALOGUE, TODAY)
    assert sorted(d.policy.code for d in drafts if d.policy) == ["loss-10y", "open-today",
                                                                  "tax-15"]


@pytest.mark.parametrize("became_eligible", [False])
def test_losing_or_keeping_eligibility_owes_nothing(became_eligible: bool) -> None:
    assert decide(fact(became_eligible=became_eligible), CATALOGUE, TODAY) == []


def test_a_closed_window_owes_nothing() -> None:
    codes = {d.policy.code for d in decide(fact(), CATALOGUE, TODAY) if d.policy}
    assert "closed" not in codes


def test_the_key_is_deterministic_and_versioned_by_rulebook() -> None:
    first = {d.key for d in decide(fact(), CATALOGUE, TODAY)}
    again = {d.key for d in decide(fact(event_id=uuid.uuid4()), CATALOGUE, TODAY)}
    newer = {d.key for d in decide(fact(rulebook_version="hnte-2027"), CATALOGUE, TODAY)}
    assert first == again
    assert not first & newer
    assert notice_key("a", "b", "c", "d") != notice_key("a", "b", "cd", "")


def test_renewal_reminder_carries_the_deadline_and_bypasses_the_cap() -> None:
    expiry = ExpiryFact(uuid.uuid4(), "91371502MA3C00001X", "某企业", "hnte", date(2026, 8, 30),
                        90, "GR1", NOW)
    [draft] = decide(expiry, CATALOGUE, TODAY)
    assert draft.kind == "renewal" and draft.bypasses_cap
    assert draft.deadline == date(2026, 8, 30)
    assert draft.cause["days_left"] == 90
    thirty = decide(replace(expiry, days_before=30), CATALOGUE, TODAY)[0]
    assert thirty.key != draft.key  # each registry milestone is its own reminder


def test_an_already_lapsed_certification_owes_no_reminder() -> None:
    expiry = ExpiryFact(uuid.uuid4(), "x", None, "hnte", date(2026, 5, 1), 7, None, NOW)
    assert decide(expiry, CATALOGUE, TODAY) == []


@pytest.mark.parametrize(("stage", "expected"), [(True, 1), (False, 0)])
def test_admission_welcomes_with_the_pools_support(stage: bool, expected: int) -> None:
    admission = AdmissionFact(uuid.uuid4(), "x", "某企业", "listing_reserve", stage, None, NOW)
    drafts = decide(admission, CATALOGUE, TODAY)
    assert len(drafts) == expected
    if drafts:
        assert [p.code for p in drafts[0].support] == ["ipo"]


@pytest.mark.parametrize(("language", "reads", "hidden"), [
    ("zh-CN", "区税务局", "district tax bureau"), ("en", "district tax bureau", "区税务局")])
def test_a_bilingual_contact_reads_in_the_notice_language(language: str, reads: str,
                                                          hidden: str) -> None:
    """A Chinese notice ended "咨询联系：区税务局 / district tax bureau" (issue 17, seen in the
    e2e screenshots): the contact, like the policy's other bilingual data, is one language."""
    taxed = replace(policy("tax-15"), contact="区税务局 / district tax bureau")
    (draft,) = [d for d in decide(fact(), [taxed], TODAY) if d.policy]
    contact = build_context(draft, language, "某企业")["contact"]
    assert reads in contact and hidden not in contact
