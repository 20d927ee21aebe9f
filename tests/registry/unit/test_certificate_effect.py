"""The moves a certificate causes follow the state machine (issue 12 item 3)."""

from __future__ import annotations

import pytest

from registry.domain.pipeline import Stage
from registry.domain.pipeline import certificate_effect
from registry.domain.pipeline import path_to
from registry.domain.pipeline import pools_of_tier


@pytest.mark.parametrize(("stage", "holds", "moves"), [
    ("admitted", True, ["cultivating", "applied", "certified"]),
    ("cultivating", True, ["applied", "certified"]),
    ("applied", True, ["certified"]),
    ("certified", True, []),
    ("nominated", True, []),
    ("screened", True, []),
    ("withdrawn", True, []),
    ("certified", False, ["cultivating"]),
    ("cultivating", False, []),
    ("rejected", False, []),
])
def test_certificate_effect(stage: str, holds: bool, moves: list[str]) -> None:
    assert [s.value for s in certificate_effect(stage, holds)] == moves


def test_path_to_is_the_shortest_legal_chain() -> None:
    assert path_to("withdrawn", Stage.SCREENED) == [Stage.NOMINATED, Stage.SCREENED]
    assert path_to("applied", Stage.APPLIED) == []


def test_pools_of_tier() -> None:
    assert pools_of_tier("hnte") == ["hnte_reserve"]
