"""Next steps do not depend on the process: when two routes need as many changes, the first
in the rulebook's order wins — every gunicorn worker gives the same answer for a profile."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.contracts.golden import example_profile

PROFILE = {
    **example_profile(),
    "as_of": "2026-06-30",
    "financials": [
        {"year": y, "employees": 120, "science_staff": 30, "rd_staff": 20,
         "operating_revenue": r, "sales_revenue": r, "main_business_revenue": r,
         "total_income": r, "hightech_revenue": r * 7 // 10, "rd_expense": r // 18,
         "rd_expense_domestic": r // 18, "total_assets": 60_000_000,
         "total_liabilities": 30_000_000, "net_profit": 4_000_000}
        for y, r in ((2022, 36_000_000), (2023, 42_000_000), (2024, 48_000_000))
    ],
    # No award, standard or certificate: every direct route of tech_sme stays open.
    "awards": [], "standards_led": [], "certifications": [],
}  # fmt: skip

SCRIPT = """
import json, sys
from scoring.domain import evaluate
from yumiao_common.contracts.profile import Profile
profile = Profile.model_validate_json(sys.stdin.read())
print(json.dumps({t: [s.to_dict() for s in r.next_steps] for t, r in evaluate(profile).items()},
                 ensure_ascii=False, sort_keys=True))
"""


def _steps_with_hash_seed(seed: int) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], input=json.dumps(PROFILE), env=env,
                          capture_output=True, text=True, check=True, timeout=120)
    return done.stdout


def test_next_steps_are_the_same_whatever_the_hash_seed() -> None:
    answers = {_steps_with_hash_seed(seed) for seed in (1, 2, 3, 4)}
    assert len(answers) == 1
    steps = json.loads(answers.pop())
    # tech_sme: the four direct routes each need one change the firm cannot make within a
    # year, fewer than the score route; the one the rulebook lists first is proposed.
    assert steps["tech_sme"][-1]["criterion"] == "tech_sme.d_hnte"
