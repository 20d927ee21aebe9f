"""The golden example profile is the one copy: it parses, and no test or benchmark keeps another.

Copies of profile.md's example had drifted apart in bench/, the scoring tests and the contract
tests (different credit codes, years and fields), so a change to the profile contract was
checked against whichever copy a test happened to hold.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.contracts.golden import example_profile
from yumiao_common.contracts.profile import Profile

ROOT = Path(__file__).resolve().parents[2]
#: Text only a copy of the example would carry (its founding date beside its name).
COPY_MARKS = ('"established_on": "2014-03-12"', "established_on='2014-03-12'")


def test_golden_example_parses_as_a_profile() -> None:
    profile = Profile.model_validate(example_profile())
    assert profile.enterprise.name == "聊城某某轴承有限公司"
    assert profile.financials[0].operating_revenue == Decimal("48000000")


def test_each_call_hands_out_a_fresh_copy() -> None:
    first = example_profile()
    first["enterprise"]["name"] = "changed"
    assert example_profile()["enterprise"]["name"] == "聊城某某轴承有限公司"


def test_no_test_or_benchmark_keeps_its_own_copy() -> None:
    copies = [str(path.relative_to(ROOT))
              for folder in (ROOT / "tests", ROOT / "bench")
              for path in folder.rglob("*.py")
              if any(mark in path.read_text(encoding="utf-8") for mark in COPY_MARKS)
              and path.resolve() != Path(__file__).resolve()]
    assert copies == []
