"""Scoring benchmark, part 1 (in-process): evaluate N profiles against every tier.

Generates N varied, realistic profiles deterministically (seeded), then in the same run times
(a) merely validating them into the ``Profile`` contract — the baseline — and (b) evaluating
the validated profiles against all tiers. Target: evaluation ≤ 3 × validation. The last line
is ``scoring: profiles=N tiers=T seconds=S ratio_to_parse=R``.

Part 2 (what-if requests through gunicorn, p50/p99 at 8 clients) plugs in at
``http_part`` (bench/scoring_http.py: gunicorn, 8 keep-alive clients, p50/p99).

    .venv/bin/python bench/scoring.py --n 100000
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services/scoring/src"))

from scoring.domain import evaluate  # noqa: E402
from yumiao_common.contracts.profile import TIER_KEYS  # noqa: E402
from yumiao_common.contracts.profile import Profile  # noqa: E402
from yumiao_common.identifiers import USCC_ALPHABET  # noqa: E402
from yumiao_common.identifiers import generate_uscc  # noqa: E402

FIELDS = ["advanced_manufacturing", "new_materials", "electronic_information", None]
KINDS = ["invention_patent", "utility_model", "utility_model", "software_copyright",
         "design_patent", "plant_variety"]  # fmt: skip
PRODUCT = ["key_chain_gap", "six_foundations", "strategic_emerging", "manufacturing_power_key"]


def _year(rng: random.Random, year: int, scale: float, growth: float) -> dict[str, Any]:
    f = scale * (1 + growth) ** (year - 2022)
    employees = rng.randint(8, 900)
    science = rng.randint(0, employees // 2)
    revenue = int(f * rng.uniform(0.9, 1.1))
    rd = int(revenue * rng.uniform(0.0, 0.09))
    assets = int(revenue * rng.uniform(0.6, 2.0))
    return {
        "year": year,
        "employees": employees,
        "science_staff": science,
        "rd_staff": rng.randint(0, science),
        "operating_revenue": revenue,
        "sales_revenue": int(revenue * 0.98),
        "main_business_revenue": int(revenue * rng.uniform(0.5, 1)),
        "total_income": int(revenue * 1.01),
        "hightech_revenue": int(revenue * rng.uniform(0.2, 0.9)),
        "rd_expense": rd,
        "rd_expense_domestic": int(rd * rng.uniform(0.5, 1)),
        "total_cost": int(revenue * rng.uniform(0.5, 0.95)),
        "total_assets": assets,
        "total_liabilities": int(assets * rng.uniform(0.2, 0.9)),
        "fixed_assets": int(assets * 0.3),
        "net_profit": int(revenue * rng.uniform(-0.05, 0.15)),
        "total_profit": int(revenue * rng.uniform(-0.05, 0.18)),
        "interest_expense": int(assets * 0.01),
        "new_equity_financing": rng.choice([0, 0, 0, 3000000, 25000000]),
        "tech_conversions": rng.randint(0, 8),
        "agri_sales": rng.choice([0, int(revenue * 0.8)]),
        "farmer_households": rng.randint(0, 6000),
        "farm_sourced_share_pct": str(rng.randint(0, 100)),
    }


def make_profile(rng: random.Random, i: int) -> dict[str, Any]:
    body = "MA3" + "".join(rng.choice(USCC_ALPHABET) for _ in range(5))
    scale = rng.choice([5e6, 2e7, 6e7, 1.5e8, 3e8])
    growth = rng.uniform(-0.1, 0.4)
    years = [2024, 2023, 2022][: rng.choice([3, 3, 3, 2])]
    flags = {k: rng.random() < 0.02 for k in ("major_safety_incident", "major_quality_incident",
             "serious_environmental_violation", "research_misconduct",
             "abnormal_operations_list", "serious_dishonesty_list")}  # fmt: skip
    ip = [
        {
            "kind": rng.choice(KINDS),
            "number": f"ZL{i}{k}",
            "granted_on": "2021-06-01",
            "acquired_by": rng.choice(["self_developed", "self_developed", "transferred"]),
            "related_to_main_product": rng.random() < 0.85,
            "high_value": rng.random() < 0.1,
        }
        for k in range(rng.randint(0, 8))
    ]
    return {
        "as_of": rng.choice(["2025-06-30", "2025-11-30", "2026-06-30"]),
        "enterprise": {
            "uscc": generate_uscc("91", "371502", body),
            "name": f"聊城示例企业{i}",
            "established_on": f"{rng.randint(2005, 2023)}-03-01",
            "division_code": "371502",
            "industry_code": rng.choice(["C3451", "C3670", "C2641", "I6513", "F5123", "C1351"]),
            "hightech_field": rng.choice(FIELDS),
            "tax_method": rng.choice(["audited"] * 9 + ["deemed"]),
            "niche_market_years": rng.randint(0, 15),
            "main_product_fields": rng.sample(PRODUCT, rng.randint(0, 2)),
            "market_share_pct": str(round(rng.uniform(0, 20), 1)),
            "market_rank_national": rng.randint(1, 50),
            "flags": flags,
        },
        "financials": [_year(rng, y, scale, growth) for y in years],
        "ip": ip,
        "awards": [
            {
                "level": rng.choice(["national", "provincial", "municipal"]),
                "year": 2023,
                "rank": rng.randint(1, 6),
            }
        ]
        if rng.random() < 0.15
        else [],
        "rd_institutions": [
            {"level": rng.choice(["provincial", "municipal", "below"]), "name": "企业技术中心"}
        ]
        if rng.random() < 0.4
        else [],
        "standards_led": [{"level": "industry", "year": 2022}] if rng.random() < 0.05 else [],
        "certifications": [
            {"tier": "innovative_sme", "issued_on": "2024-09-01", "expires_on": "2027-08-31"}
        ]
        if rng.random() < 0.3
        else [],
        "assessments": {
            "digital_level": rng.randint(1, 4),
            "quality_items": rng.sample(["iso9001", "own_brand", "standards"], 2),
            "srdi_dev_score": rng.randint(30, 90),
        },
    }


def http_part(profiles: list[dict[str, Any]], args: argparse.Namespace) -> None:
    """Part 2: what-if requests through gunicorn at 8 concurrent keep-alive clients (p50/p99)."""
    if args.http_requests <= 0:
        return
    import scoring_http  # bench/ is on sys.path when this file runs as a script

    figures = scoring_http.measure(args.http_requests, clients=8)
    print(figures.line())


def measure(raw: list[dict[str, Any]], chunk: int) -> dict[str, Any]:
    """Validate then evaluate chunk by chunk, summing each side's CPU and wall time.

    Interleaving makes background load on a shared machine hit both sides alike; CPU time
    (``process_time``) leaves out the time the process waited for a core, so the ratio stays
    meaningful when other work runs on the machine. Wall time is reported beside it.
    """
    cpu = [0.0, 0.0]
    wall = [0.0, 0.0]
    verdicts: dict[str, int] = {}
    validate, cpu_clock, wall_clock = Profile.model_validate, time.process_time, time.perf_counter
    for start in range(0, len(raw), chunk):
        part = raw[start : start + chunk]
        c0, w0 = cpu_clock(), wall_clock()
        profiles = [validate(d) for d in part]
        c1, w1 = cpu_clock(), wall_clock()
        outcome = [r.verdict for p in profiles for r in evaluate(p).values()]
        c2, w2 = cpu_clock(), wall_clock()
        cpu[0] += c1 - c0
        cpu[1] += c2 - c1
        wall[0] += w1 - w0
        wall[1] += w2 - w1
        for verdict in outcome:
            verdicts[verdict] = verdicts.get(verdict, 0) + 1
    return {"cpu": cpu, "wall": wall, "verdicts": verdicts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument("--chunk", type=int, default=2_000)
    parser.add_argument(
        "--gc", choices=["on", "off"], default="on",
        help="on: Python's default collector (input frozen); off: no collection in either phase",
    )  # fmt: skip
    parser.add_argument("--http-requests", type=int, default=2_000,
                        help="what-if requests through gunicorn (0 skips that part)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    raw = [make_profile(rng, i) for i in range(args.n)]
    gc.collect()
    gc.freeze()  # the generated input is permanent: neither side should rescan it
    if args.gc == "off":
        gc.disable()
    m = measure(raw, args.chunk)
    gc.enable()
    gc.unfreeze()
    (parse, seconds), (wall_parse, wall_eval) = m["cpu"], m["wall"]
    print(
        f"validate: cpu {parse:.2f}s ({parse / args.n * 1e6:.1f} µs/profile), "
        f"wall {wall_parse:.2f}s"
    )
    print(
        f"evaluate: cpu {seconds:.2f}s ({seconds / args.n * 1e6:.1f} µs/profile, all tiers), "
        f"wall {wall_eval:.2f}s (ratio {wall_eval / wall_parse:.2f})"
    )
    print(f"verdicts: {dict(sorted(m['verdicts'].items()))}")
    http_part(raw, args)
    print(f"scoring (cpu): seconds={seconds:.2f} ratio_to_parse={seconds / parse:.2f}")
    print(f"scoring: profiles={args.n} tiers={len(TIER_KEYS)} seconds={wall_eval:.2f} "
          f"ratio_to_parse={wall_eval / wall_parse:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
