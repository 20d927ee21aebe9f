"""The pipeline state machine: every legal move is allowed, every other move is refused."""

from __future__ import annotations

import itertools

import pytest

from registry.domain.pipeline import POOLS
from registry.domain.pipeline import TRANSITIONS
from registry.domain.pipeline import IllegalMove
from registry.domain.pipeline import Stage
from registry.domain.pipeline import allowed_moves
from registry.domain.pipeline import check_move
from registry.domain.tiers import TIERS

LEGAL = {
    ("nominated", "screened"), ("nominated", "rejected"), ("nominated", "withdrawn"),
    ("screened", "admitted"), ("screened", "rejected"), ("screened", "withdrawn"),
    ("admitted", "cultivating"), ("admitted", "withdrawn"),
    ("cultivating", "applied"), ("cultivating", "withdrawn"),
    ("applied", "certified"), ("applied", "cultivating"), ("applied", "withdrawn"),
    ("certified", "cultivating"), ("certified", "withdrawn"),
    ("rejected", "nominated"), ("withdrawn", "nominated"),
}
ALL_PAIRS = list(itertools.product([s.value for s in Stage], repeat=2))


@pytest.mark.parametrize(("from_stage", "to_stage"), sorted(LEGAL))
def test_legal_move_is_allowed(from_stage: str, to_stage: str) -> None:
    assert check_move(from_stage, to_stage) == Stage(to_stage)


@pytest.mark.parametrize(("from_stage", "to_stage"),
                         [p for p in ALL_PAIRS if p not in LEGAL])
def test_illegal_move_is_refused_with_the_allowed_moves(from_stage: str, to_stage: str) -> None:
    with pytest.raises(IllegalMove) as caught:
        check_move(from_stage, to_stage)
    assert set(caught.value.allowed) == {t for f, t in LEGAL if f == from_stage}


def test_unknown_target_stage_is_illegal_not_a_crash() -> None:
    with pytest.raises(IllegalMove) as caught:
        check_move("nominated", "promoted")
    assert caught.value.allowed == ["screened", "rejected", "withdrawn"]


def test_the_table_is_the_whole_truth() -> None:
    assert {(f.value, t.value) for f, ts in TRANSITIONS.items() for t in ts} == LEGAL
    assert set(TRANSITIONS) == set(Stage)


def test_allowed_moves_come_in_pipeline_order() -> None:
    assert allowed_moves("applied") == ["cultivating", "certified", "withdrawn"]


def test_the_happy_path_reaches_certified() -> None:
    stage = Stage.NOMINATED
    for target in ("screened", "admitted", "cultivating", "applied", "certified"):
        stage = check_move(stage, target)
    assert stage is Stage.CERTIFIED


def test_ladders_require_the_rung_below_and_every_pool_tier_exists() -> None:
    assert POOLS["srdi_sme"].requires_tier == "innovative_sme"
    assert POOLS["little_giant"].requires_tier == "srdi_sme"
    assert POOLS["agri_leader_national"].requires_tier == "agri_leader_provincial"
    assert POOLS["agri_leader_municipal"].requires_tier == "agri_leader_district"
    for pool in POOLS.values():
        assert pool.tier in TIERS
        assert pool.requires_tier is None or pool.requires_tier in TIERS
