"""The rankings at province scale (issue 16): 10,000 then 100,000 enterprises, 8 clients.

Builds a throwaway PostgreSQL scoring database (127.0.0.1:5432, trust; a unique name, dropped
at the end) migrated to head, and fills it fast: ``--templates`` distinct profiles of
bench/scoring.py ``make_profile`` are evaluated once by the real engine (every tier, the
answers stored as the consumer stores them), copied into two staging tables, and replicated
server-side (``INSERT … SELECT … generate_series``) under new credit codes, spread over the
district's towns, about a third of the firms in a reserve pool. Then ``VACUUM ANALYZE``.

At each size (``--sizes``, default 10,000 then 100,000 in the same run: the second fill adds
to the first) it starts the scoring app under gunicorn (as bench/scoring_http.py does), and
``--clients`` keep-alive clients each request, in ``--rounds`` shuffled rounds (the first
warms up), what the gateway's rankings page asks scoring for (``limit=50``):

* ``first``: ``GET /api/v1/rankings/hnte`` (the first page, with its total);
* ``filtered``: ``…/hnte?town=<busiest town>&verdict=eligible&verdict=near`` (the filters
  the page offers; bench/scale.py's filtered page: the engine finds few such firms among
  ``make_profile``'s, so the page is often empty);
* ``filtered_wide``: ``…/hnte?town=<busiest town>&verdict=unknown`` (a full filtered page:
  about a third of the town's firms);
* ``deep``: ``…/hnte?cursor=<half-way down the ranking>`` (a cursor far in);
* ``trivial``: ``GET /healthz`` (the same hop to a trivial endpoint, the baseline).

Each page's line gives p50/p99 in ms and the p99 as a ratio to the trivial hop's p99 of the
same size (issue 16: ≤ 5); the last line gives every figure and ``growth`` = p99 at the
largest size ÷ p99 at the smallest, per page (issue 16: ≤ 1.5). ``--explain`` prints
``EXPLAIN (ANALYZE, BUFFERS)`` of the pages' queries (as the app builds them) at each size.

Run: ``.venv/bin/python bench/rankings_scale.py [--sizes 10000 100000] [--rounds 25]
[--templates 300] [--explain]`` (a few minutes on a busy two-core machine).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import psycopg
import requests
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
# bench/scoring.py would shadow the scoring package: the packages first, bench's files after
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
from scoring.adapters.sql.evaluations import answer_json  # noqa: E402
from scoring.adapters.sql.rankings import RankingFilter  # noqa: E402
from scoring.adapters.sql.rankings import encode_cursor  # noqa: E402
from scoring.adapters.sql.rankings import ranking_count  # noqa: E402
from scoring.adapters.sql.rankings import ranking_page  # noqa: E402
from scoring.handlers.evaluations import evaluate_profile  # noqa: E402
from scoring.handlers.evaluations import evaluation_record  # noqa: E402
from scoring.handlers.profiles import profile_hash  # noqa: E402
from scoring.handlers.profiles import stored_snapshot  # noqa: E402
from yumiao_common.clock import utcnow  # noqa: E402
from yumiao_common.contracts.profile import Profile  # noqa: E402
from yumiao_common.vocabulary.towns import CURRENT_TOWNS  # noqa: E402

sys.path.append(str(ROOT / "bench"))
from scoring_consumer import load_make_profile  # noqa: E402
from scoring_http import free_port  # noqa: E402
from scoring_http import start_gunicorn  # noqa: E402
from scoring_http import wait_ready  # noqa: E402

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
TIER = "hnte"
LIMIT = 50
POOLS = ("innovative_sme", "tech_sme", "srdi_sme", "hnte")
PAGES = ("first", "filtered", "filtered_wide", "deep", "trivial")
EVALUATION_COLUMNS = ("tier", "verdict", "route", "score_milli", "failing", "rank_group",
                      "rank_a", "rank_b", "rulebook_version", "uses_local_parameter",
                      "profile_hash", "result", "evaluated_at")


def migrate(url: str) -> None:
    env = {**os.environ, "SCORING_DATABASE_URL": url, "SCORING_LOG_LEVEL": "WARNING",
           "SCORING_DEMO_MODE": "true"}
    env.pop("SCORING_INTERNAL_TOKEN", None)
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "scoring.app",
                    "migrate"], env=env, check=True, capture_output=True)


def stage_templates(dsn: str, count: int) -> None:
    """``count`` distinct profiles evaluated by the real engine, into two staging tables."""
    make_profile, rng = load_make_profile(), random.Random(16)
    now = utcnow()
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE bench_profile (k int PRIMARY KEY, name text, "
                    "industry_code text, profile text, profile_hash text)")
        cur.execute("CREATE TABLE bench_evaluation (k int, " + ", ".join(
            f"{c} text" for c in EVALUATION_COLUMNS) + ")")
        evaluations: list[tuple[Any, ...]] = []
        with cur.copy("COPY bench_profile FROM STDIN") as profiles:
            for k in range(count):
                profile = Profile.model_validate(make_profile(rng, k))
                snapshot = stored_snapshot(profile)
                digest = profile_hash(snapshot)
                profiles.write_row((k, profile.enterprise.name, profile.enterprise.industry_code,
                                    answer_json(snapshot), digest))
                for tier, result in evaluate_profile(profile, overrides=None).items():
                    row = evaluation_record("", tier, result, digest, now).columns
                    row["result"] = answer_json(row["result"])
                    evaluations.append((k, *(row[c] for c in EVALUATION_COLUMNS)))
        with cur.copy("COPY bench_evaluation FROM STDIN") as copy:
            for values in evaluations:
                copy.write_row(values)


def fill(dsn: str, start: int, stop: int, templates: int) -> float:
    """Firms ``start`` … ``stop - 1``: profiles, every tier's evaluation, some pools."""
    towns = "ARRAY[" + ",".join(f"'{t.code}'" for t in CURRENT_TOWNS) + "]"
    uscc = "'91371502MA' || lpad(g::text, 8, '0')"
    began = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO enterprise_profile (uscc, name, town_code, industry_code, profile, "
            "profile_hash, source_event_id, source_version, source_occurred_at, updated_at) "
            f"SELECT {uscc}, t.name || '-' || g, ({towns})[1 + (g * 7919) % {len(CURRENT_TOWNS)}],"
            " t.industry_code, t.profile::json, t.profile_hash, gen_random_uuid(), 1, now(), now()"
            f" FROM generate_series({start}, {stop - 1}) g JOIN bench_profile t "
            f"ON t.k = g % {templates}")
        conn.execute(
            "INSERT INTO evaluation (uscc, " + ", ".join(EVALUATION_COLUMNS) + ") "
            f"SELECT {uscc}, e.tier, e.verdict, e.route, e.score_milli::int, e.failing::int, "
            "e.rank_group::int, e.rank_a::int, e.rank_b::int, e.rulebook_version, "
            "e.uses_local_parameter::boolean, e.profile_hash, e.result::json, "
            "e.evaluated_at::timestamptz "
            f"FROM generate_series({start}, {stop - 1}) g JOIN bench_evaluation e "
            f"ON e.k = g % {templates}")
        pools = "ARRAY[" + ",".join(f"'{p}'" for p in POOLS) + "]"
        conn.execute(
            f"INSERT INTO enterprise_pool (uscc, pool) SELECT {uscc}, "
            f"({pools})[1 + (g * 31) % {len(POOLS)}] FROM generate_series({start}, {stop - 1}) g"
            " WHERE (g * 13) % 3 = 0")
        conn.execute("VACUUM ANALYZE enterprise_profile")
        conn.execute("VACUUM ANALYZE evaluation")
        conn.execute("VACUUM ANALYZE enterprise_pool")
    return time.perf_counter() - began


def targets(dsn: str) -> tuple[str, str]:
    """The busiest town, and a cursor half-way down the ranking (as bench/scale.py's)."""
    with psycopg.connect(dsn) as conn:
        town = conn.execute("SELECT town_code FROM enterprise_profile GROUP BY town_code "
                            "ORDER BY count(*) DESC LIMIT 1").fetchone()
        total = conn.execute("SELECT count(*) FROM evaluation WHERE tier = %s",
                             (TIER,)).fetchone()
        position = max(1, (total[0] if total else 0) // 2)
        row = conn.execute(
            "SELECT rank_group, rank_a, rank_b, uscc FROM evaluation WHERE tier = %s "
            "ORDER BY rank_group, rank_a, rank_b, uscc OFFSET %s LIMIT 1",
            (TIER, position - 1)).fetchone()
    assert town is not None and row is not None
    return town[0], encode_cursor((row[0], row[1], row[2], row[3]), position)


def totals(url: str, town: str) -> str:
    """How many firms the pages rank (their "共 N 家")."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            return " ".join(f"{page}_total={ranking_count(session, flt)}" for page, flt in (
                ("first", RankingFilter(tier=TIER)),
                ("filtered", RankingFilter(tier=TIER, verdicts=("eligible", "near"), town=town)),
                ("filtered_wide", RankingFilter(tier=TIER, verdicts=("unknown",), town=town))))
    finally:
        engine.dispose()


def paths(town: str, cursor: str) -> dict[str, tuple[str, dict[str, Any]]]:
    ranking = f"/api/v1/rankings/{TIER}"
    return {
        "first": (ranking, {"limit": LIMIT}),
        "filtered": (ranking, {"limit": LIMIT, "town": town, "verdict": ["eligible", "near"]}),
        "filtered_wide": (ranking, {"limit": LIMIT, "town": town, "verdict": ["unknown"]}),
        "deep": (ranking, {"limit": LIMIT, "cursor": cursor}),
        "trivial": ("/healthz", {}),
    }


def load(base: str, wanted: dict[str, tuple[str, dict[str, Any]]], clients: int,
         rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {page: [] for page in wanted}
    lock = threading.Lock()
    errors: list[str] = []

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with requests.Session() as session:
            for round_no in range(rounds + 1):  # round 0 warms up
                chosen = list(wanted.items())
                rng.shuffle(chosen)
                for page, (path, params) in chosen:
                    started = time.perf_counter()
                    response = session.get(base + path, params=params, timeout=120)
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.status_code != 200:
                        errors.append(f"{page}: {response.status_code} {response.text[:200]}")
                        return
                    if round_no:
                        with lock:
                            times[page].append(elapsed)

    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return times


def quantiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[98]


def explain(url: str, town: str, cursor: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each page's statements, as the app builds them."""
    engine = create_engine(url)
    flts = {"first": (RankingFilter(tier=TIER), None),
            "filtered": (RankingFilter(tier=TIER, verdicts=("eligible", "near"), town=town),
                         None),
            "filtered_wide": (RankingFilter(tier=TIER, verdicts=("unknown",), town=town), None),
            "deep": (RankingFilter(tier=TIER), cursor)}
    captured: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor_: Any, statement: str, parameters: Any, context: Any,
                executemany: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        for page, (flt, position) in flts.items():
            captured.clear()
            with Session(engine) as session:
                ranking_page(session, flt, limit=LIMIT, cursor=position)
                ranking_count(session, flt)
            with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
                for sql, params in list(captured):
                    print(f"--- {page}: {' '.join(sql.split())} {params}")
                    for (line,) in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params):
                        print("    " + line)
    finally:
        engine.dispose()


def measure(url: str, clients: int, rounds: int, workers: int, town: str, cursor: str
            ) -> dict[str, tuple[float, float]]:
    port = free_port()
    proc = start_gunicorn(port, workers, url)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base + "/healthz")
        times = load(base, paths(town, cursor), clients, rounds)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {page: quantiles(samples) for page, samples in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--templates", type=int, default=300)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    name = f"yumiao_bench_rankings_{uuid.uuid4().hex[:8]}"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    figures: dict[int, dict[str, tuple[float, float]]] = {}
    try:
        migrate(url)
        stage_templates(dsn, args.templates)
        filled = 0
        for size in sorted(args.sizes):
            took = fill(dsn, filled, size, args.templates)
            filled = size
            town, cursor = targets(dsn)
            print(f"rankings_scale: filled {size} firms ({took:.0f} s); {totals(url, town)}",
                  flush=True)
            if args.explain:
                explain(url, town, cursor)
            found = figures[size] = measure(url, args.clients, args.rounds, args.workers,
                                            town, cursor)
            trivial_p99 = found["trivial"][1]
            for page in PAGES:
                p50, p99 = found[page]
                print(f"  n={size} {page:13} p50_ms={p50:8.1f} p99_ms={p99:8.1f} "
                      f"ratio={p99 / trivial_p99:6.1f}", flush=True)
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sizes = sorted(figures)
    small, large = sizes[0], sizes[-1]
    parts = []
    for size in sizes:
        trivial_p99 = figures[size]["trivial"][1]
        parts += [f"n{size}_{page}_p99_ms={figures[size][page][1]:.1f}" for page in PAGES]
        parts += [f"n{size}_{page}_ratio={figures[size][page][1] / trivial_p99:.1f}"
                  for page in PAGES if page != "trivial"]
    parts += [f"{page}_growth={figures[large][page][1] / figures[small][page][1]:.2f}"
              for page in PAGES if page != "trivial"]
    print("rankings_scale: clients=" + str(args.clients) + " " + " ".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
