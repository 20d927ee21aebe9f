"""A notice names the criteria met by title and the rules by their documents, in one language.

The event is what scoring publishes for a real evaluation (the engine's tech-SME result of the
scoring tests' baseline firm, the titles and documents scoring's event adds), sent over the
wire format and through notify's consumer path (``process_events``) into PostgreSQL. A Chinese
notice has no English sentence, no criterion id, no rulebook version; an English notice no
Chinese beyond the firm's name and the document numbers (issue 8 item 11).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from notify_testkit import new_uscc
from notify_testkit import put_prefs
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.models.notice import Notice
from scoring.domain import evaluate
from scoring.domain.outcome import criteria_moves
from scoring.domain.outcome import criterion_titles
from scoring.domain.rulebook import documents_of
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.contracts.scoring import EligibilityChangedPayload

pytestmark = pytest.mark.integration
_spec = importlib.util.spec_from_file_location(
    "scoring_profiles", Path(__file__).parents[2] / "scoring" / "unit" / "conftest.py")
assert _spec and _spec.loader
profiles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(profiles)

NAME = "聊城测试轴承有限公司"
CJK = re.compile(r"[\u2e80-\u9fff\uff08\uff09\uff0c\uff1b\uff1a]")
MACHINE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|@20\d\d|\[[A-Z ;]+\]|\bTrue\b|\bFalse\b")
ENGLISH_WORDS = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z&]+){2,}")  # an English phrase


def _event(uscc: str, *, with_titles: bool = True) -> EligibilityChanged:
    profile = profiles.build({("enterprise", "uscc"): uscc, ("enterprise", "name"): NAME})
    result = evaluate(profile, tiers=["tech_sme"])["tech_sme"]
    outcome = result.outcome()
    met, lost = criteria_moves(None, outcome)
    payload = EligibilityChangedPayload(
        uscc=uscc, enterprise_name=NAME, tier="tech_sme", before="ineligible",
        after="eligible", criteria_gained=tuple(met), criteria_lost=tuple(lost),
        rulebook_version=outcome.rulebook_version, as_of=beijing_today(),
        criteria_gained_titles=criterion_titles(outcome, met) if with_titles else (),
        rulebook_documents=documents_of(outcome.rulebook_version) if with_titles else ())
    wire = EligibilityChanged(payload=payload).model_dump_json().encode()
    event = parse_event(wire)
    assert isinstance(event, EligibilityChanged)
    return event


def _notices(sessions: sessionmaker[Session], uscc: str, event: EligibilityChanged
             ) -> list[Notice]:
    with sessions.begin() as session:
        process_events(session, [event], templates=TemplateSet(), weekly_cap=50)
    with sessions() as session:
        return list(session.scalars(select(Notice).where(Notice.uscc == uscc)
                                    .order_by(Notice.policy_code)))


def test_chinese_notice_names_titles_and_documents_and_has_no_english(
    sessions: sessionmaker[Session],
) -> None:
    uscc = new_uscc()
    got = _notices(sessions, uscc, _event(uscc))
    assert got and all(n.language == "zh-CN" for n in got)
    for n in got:
        text = n.subject + "\n" + n.body
        assert "根据国科发政〔2017〕115号、国科火字〔2022〕67号，贵企业已符合" in text
        assert "职工总数不超过500人" in text  # a criterion met, by its title
        assert not MACHINE.search(text), text
        assert not ENGLISH_WORDS.search(text.replace("R&D", "")), text
        assert "tech_sme" not in text and "版本" not in text
    rd = next(n for n in got if n.policy_code == "rd-super-deduction-100")
    assert "按实际研发费用计算" in rd.body and "depends on" not in rd.body


def test_english_notice_reads_english_throughout(
    sessions: sessionmaker[Session], client: FlaskClient
) -> None:
    uscc = new_uscc()
    put_prefs(client, uscc, language="en", channels=["inapp"])
    got = _notices(sessions, uscc, _event(uscc))
    assert got and all(n.language == "en" for n in got)
    for n in got:
        text = n.subject + "\n" + n.body
        assert "Employees ≤ 500" in text
        assert not MACHINE.search(text), text
        rest = text.replace(NAME, "")
        for doc in ("国科发政〔2017〕115号", "国科火字〔2022〕67号"):
            rest = rest.replace(doc, "")
        assert not CJK.search(rest.split("Source:")[0]), rest
    rd = next(n for n in got if n.policy_code == "rd-super-deduction-100")
    assert "depends on actual R&D spend" in rd.body and "按实际" not in rd.body


def test_an_older_event_without_titles_still_reads_in_words(
    sessions: sessionmaker[Session],
) -> None:
    uscc = new_uscc()
    got = _notices(sessions, uscc, _event(uscc, with_titles=False))
    assert got
    for n in got:
        assert not MACHINE.search(n.body), n.body
        assert "现行认定办法" in n.body and re.search(r"共 \d+ 项条件", n.body)
