"""A ranking row shows what the stored answer holds, on SQLite and PostgreSQL: the page its
parts (score, gaps, what to collect), kept per process until the row is re-evaluated, the
export the same parts (not kept), both decoded from the column's JSON text (orjson, issue 16); the
totals count the same firms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from scoring.adapters.sql import rankings
from scoring.adapters.sql.rankings import RankingFilter
from scoring.adapters.sql.rankings import pools_of
from scoring.adapters.sql.rankings import ranking_count
from scoring.adapters.sql.rankings import ranking_page
from scoring.adapters.sql.rankings import ranking_stream
from scoring.api.rankings.routes import ranking_item
from scoring.api.rankings.routes import ranking_page_json
from scoring.api.rankings.schemas import RankingPage
from scoring.domain.ranking import ranking_parts
from scoring.handlers.profiles import apply_enterprise_changes
from scoring.models import Evaluation
from yumiao_common.contracts.profile import TIER_KEYS
from yumiao_common.contracts.registry import EnterpriseChanged

pytestmark = pytest.mark.integration


def test_ranking_rows_carry_the_stored_answers(
    fresh_sessions: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    factory = fresh_sessions
    names = ("排名读回 \"quoted\" \\ 企业", "第二家 企业", "第三家企业")
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[
            enterprise_changed(make_profile(name=name), 1, town_code="371502001")
            for name in names])
    with factory() as session:
        stored = {(u, t): r for u, t, r in session.execute(
            select(Evaluation.uscc, Evaluation.tier, Evaluation.result))}
        for tier in TIER_KEYS:
            flt = RankingFilter(tier=tier)
            first, cursor = ranking_page(session, flt, limit=2, cursor=None)
            rest, end = ranking_page(session, flt, limit=2, cursor=cursor)
            assert end is None
            paged = first + rest
            assert [r["position"] for r in paged] == [1, 2, 3]
            assert {r["uscc"]: r["parts"] for r in paged} == {
                u: ranking_parts(r) for (u, t), r in stored.items() if t == tier}
            exported = list(ranking_stream(session, flt, cap=10))
            assert [r["uscc"] for r in exported] == [r["uscc"] for r in paged]
            assert {r["uscc"]: r["parts"] for r in exported} == {
                u: ranking_parts(r) for (u, t), r in stored.items() if t == tier}
            assert ranking_count(session, flt) == 3
            verdicts = tuple({r["verdict"] for r in paged})[:1]
            assert ranking_count(session, RankingFilter(tier=tier, verdicts=verdicts)) == sum(
                r["verdict"] in verdicts for r in paged)
            assert ranking_count(session, RankingFilter(tier=tier, town="371502001")) == 3


def test_the_page_written_directly_is_what_the_schema_dumps(
    fresh_sessions: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    """The rankings route writes its JSON itself (orjson, issue 16); a client reads exactly
    what ``RankingPage`` documents and would dump: every tier, with pools, pending reviews,
    scores and gaps of real answers, timestamps with their offset."""
    factory = fresh_sessions
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[
            enterprise_changed(make_profile(name=f"直写 {i}"), 1, town_code="371502001",
                               pools=("hnte_reserve",) if i else ())
            for i in range(3)])
    with factory() as session:
        for tier in TIER_KEYS:
            flt = RankingFilter(tier=tier)
            rows, cursor = ranking_page(session, flt, limit=2, cursor=None)
            pools = pools_of(session, [r["uscc"] for r in rows])
            page = {"tier": tier, "items": [ranking_item(r, pools[r["uscc"]]) for r in rows],
                    "next_cursor": cursor, "total": ranking_count(session, flt)}
            written = orjson.loads(ranking_page_json(page))
            assert written == RankingPage().dump(page)
            assert written["items"][0]["evaluated_at"].endswith("+00:00")


def test_a_re_evaluated_firm_shows_its_new_gaps_on_the_next_read(
    fresh_sessions: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
) -> None:
    """The parts a process keeps are never shown for a newer evaluation: the next page read
    after a re-evaluation shows the new gaps and score."""
    factory = fresh_sessions
    profile = make_profile(name="复评企业")
    flt = RankingFilter(tier="hnte")
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile, 1)])
    with factory() as session:
        before = ranking_page(session, flt, limit=5, cursor=None)[0][0]["parts"]
        assert ranking_page(session, flt, limit=5, cursor=None)[0][0]["parts"] == before
    for year in profile["financials"]:
        year["rd_expense"] = "0"  # no R&D spend any more: the R&D criterion fails
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[enterprise_changed(profile, 2)])
    with factory() as session:
        stored = session.scalar(select(Evaluation.result).where(Evaluation.tier == "hnte"))
        after = ranking_page(session, flt, limit=5, cursor=None)[0][0]["parts"]
    assert after == ranking_parts(stored)
    assert after != before


def test_the_kept_parts_are_bounded(
    fresh_sessions: sessionmaker[Session],
    make_profile: Callable[..., dict[str, Any]],
    enterprise_changed: Callable[..., EnterpriseChanged],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process keeps at most ``PARTS_KEPT`` rows' parts (least recently shown go first)."""
    monkeypatch.setattr(rankings, "PARTS_KEPT", 2)
    factory = fresh_sessions
    with factory.begin() as session:
        apply_enterprise_changes(session, events=[
            enterprise_changed(make_profile(name=f"有界 {i}"), 1) for i in range(4)])
    with factory() as session:
        rows, _ = ranking_page(session, RankingFilter(tier="hnte"), limit=4, cursor=None)
    assert len(rows) == 4 and all("parts" in r for r in rows)
    assert len(rankings._parts) <= 2
