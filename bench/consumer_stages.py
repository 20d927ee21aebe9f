"""What one snapshot costs the scoring consumer in Python, stage by stage (issue 16's floor).

The province-scale drain ratio (bench/scale.py, target ≤ 4) compares the whole pipeline with
the scoring engine alone validating and evaluating every profile once. This bench measures, in
process and with no broker or database, what the consumer's own Python adds to each snapshot
before any I/O, each stage cumulative and timed in the same run as the baseline:

* ``engine``   — validate the snapshot into ``Profile`` and evaluate every tier (the baseline);
* ``snapshot`` — + the stored snapshot and its digest (what decides whether anything changed);
* ``outcome``  — + each tier's typed outcome (figures as shown, gap texts): what the rank keys,
  the stored verdict columns and the eligibility events are made of;
* ``answer``   — + the full explained answer (criteria, gaps, next steps) with the outcome;
* ``stored``   — + the answer as stored JSON text and its digest (``evaluation.result``).

Each stage runs ``--rounds`` times and keeps its fastest round (the machine is shared and
noisy). The last line is ``consumer_stages: n=N engine_ms=E snapshot=… outcome=… answer=…
stored=…``: milliseconds per snapshot for the baseline, the stages as ratios to it.

    .venv/bin/python bench/consumer_stages.py --n 2000
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# bench/scoring.py would shadow the scoring package: the packages first, bench's file by path.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
from scoring.adapters.sql.evaluations import answer_digest  # noqa: E402
from scoring.adapters.sql.evaluations import answer_json  # noqa: E402
from scoring.handlers.evaluations import evaluate_profile  # noqa: E402
from scoring.handlers.profiles import profile_hash  # noqa: E402
from scoring.handlers.profiles import stored_snapshot  # noqa: E402
from yumiao_common.contracts.profile import Profile  # noqa: E402

sys.path.append(str(ROOT / "bench"))  # after the packages, as bench/scale.py does
from scoring_consumer import load_make_profile  # noqa: E402

STAGES = ("engine", "snapshot", "outcome", "answer", "stored")


def snapshots(n: int, seed: int) -> list[dict[str, Any]]:
    """N snapshots as the consumer receives them: JSON, as the registry's relay publishes."""
    make_profile, rng = load_make_profile(), random.Random(seed)
    return [json.loads(json.dumps(make_profile(rng, i), default=str)) for i in range(n)]


def run_stage(raw: list[dict[str, Any]], stage: int) -> float:
    """Seconds for every snapshot through the stages up to ``stage`` (an index of STAGES)."""
    started = time.perf_counter()
    for snapshot in raw:
        profile = Profile.model_validate(snapshot)
        results = evaluate_profile(profile, overrides=None)
        if stage >= 1:
            profile_hash(stored_snapshot(profile))
        if stage == 2:
            for result in results.values():
                result.outcome()
        elif stage >= 3:
            for result in results.values():
                answer, _outcome = result.answer_and_outcome()
                if stage >= 4:
                    answer_digest(answer_json(answer))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    raw = snapshots(args.n, args.seed)
    run_stage(raw[: min(200, len(raw))], len(STAGES) - 1)  # warm every code path once
    gc.disable()  # as the consumer applies a batch (scoring.consumer.collector_paused)
    best = [min(run_stage(raw, stage) for _ in range(args.rounds))
            for stage in range(len(STAGES))]
    gc.enable()
    base = best[0]
    for name, seconds in zip(STAGES, best, strict=True):
        print(f"  {name:<9} {seconds * 1000 / args.n:7.3f} ms per snapshot  "
              f"{seconds / base:5.2f} × engine")
    ratios = " ".join(f"{name}={seconds / base:.2f}"
                      for name, seconds in zip(STAGES[1:], best[1:], strict=True))
    print(f"consumer_stages: n={args.n} engine_ms={base * 1000 / args.n:.3f} {ratios}")


if __name__ == "__main__":
    main()
