"""The progress report at district scale: 100,000 enterprises, the dashboard's registry read.

Builds a throwaway PostgreSQL database (127.0.0.1:5432, trust) with ``--enterprises`` firms
spread over the towns (a third hold a high-tech certificate, some several; tech-SME
registrations, SRDI titles, agricultural leaders, R&D institutions, five years of figures, a
reserve pool with stage history, town moves in the audit log), then times
``GET /api/v1/reports/progress`` (the plan in force at its latest year, what the dashboard and
the report page read) in-process, in the steady state the daily year-end run leaves: every
ended year frozen.

1. The seeded 2023–2025 plan (every year frozen): ``frozen_p50_ms``/``frozen_p99_ms``.
2. A plan in force covering this year (this year computed live, the baseline frozen), read
   as the dashboard is read while curators work: ``--changes`` rounds of one real change
   through the API (rotating: a new high-tech certificate, this year's R&D expense filed, a
   firm moved to another town — each lands in a different part of the figures) followed by
   ``--reads`` reads. The first read after a change computes this year in SQL
   (``first_after_change_p50_ms``/``…_p99_ms``); the reads after it find the figures kept
   while no change came in; ``dashboard_p99_ms`` is the p99 over every read of the stream.
3. Baselines measured interleaved in the same run, so a busy shared machine weighs on both:
   ``GET /healthz`` through the same app (``trivial_p99_ms``) and one scan of the firm table
   through the same engine (``scan_p99_ms``: ``SELECT count(*) FROM enterprise``, 100,000
   rows). Each dashboard figure is also printed as a ratio to them.

The last line is ``progress_report: enterprises=N … dashboard_p99_ms=… first_after_change_p99_ms=…
…_ratio_to_trivial=… …_ratio_to_scan=…`` (target: every p99 < 300 ms). Run:
``.venv/bin/python bench/progress_report.py [--enterprises 100000] [--requests 40]
[--changes 30] [--reads 3]`` (two to three minutes at 100,000 on a busy two-core machine).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta

import psycopg
from sqlalchemy import text

from registry.adapters.sql.migrations import upgrade_head
from registry.app import create_app
from registry.domain.monitoring import MEASURES
from registry.settings import Settings
from yumiao_common.clock import beijing_today
from yumiao_common.vocabulary.towns import CURRENT_TOWNS

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _populate(dsn: str, n: int) -> None:
    rng = random.Random(13)
    towns = [t.code for t in CURRENT_TOWNS]
    now = datetime.now(UTC)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy("COPY enterprise (id, uscc, name, division_code, town_code, industry_code,"
                      " size_class, version, profile_version, created_at, updated_at) "
                      "FROM STDIN") as copy:
            for i in range(1, n + 1):
                copy.write_row((i, f"91371502{i:010d}", f"企业{i}", "371502",
                                rng.choice(towns), rng.choice(("C3451", "C3360", "A0111")),
                                rng.choice(("small", "micro", "medium")), 1, 1, now, now))
        certs: list[tuple[object, ...]] = []
        for i in range(1, n + 1):
            roll = rng.random()
            if roll < 0.35:
                issued = date(rng.randint(2019, 2025), rng.randint(1, 12), 1)
                certs.append((i, "hnte", None, issued, issued + timedelta(days=3 * 365 - 1)))
                if roll < 0.05:  # renewed: two certificates
                    again = issued + timedelta(days=3 * 365)
                    certs.append((i, "hnte", None, again, again + timedelta(days=3 * 365 - 1)))
            if roll > 0.6:
                year = rng.randint(2022, 2026)
                certs.append((i, "tech_sme", None, date(year, 4, 1), date(year, 12, 31)))
            if roll > 0.95:
                issued = date(rng.randint(2021, 2025), 6, 1)
                certs.append((i, rng.choice(("srdi_sme", "little_giant")), "provincial", issued,
                              issued + timedelta(days=3 * 365 - 1)))
            if 0.5 < roll < 0.52:
                certs.append((i, "agri_leader_district", "district",
                              date(rng.randint(2020, 2025), 3, 1), None))
        with cur.copy("COPY certification (enterprise_id, tier, level, issued_on, expires_on, "
                      "version) FROM STDIN") as copy:
            for row in certs:
                copy.write_row((*row, 1))
        with cur.copy("COPY annual_financials (enterprise_id, year, rd_expense, "
                      "hightech_revenue, version, updated_at) FROM STDIN") as copy:
            for i in range(1, n + 1):
                base = rng.randint(100_000, 9_000_000)
                for year in range(2021, 2026):
                    copy.write_row((i, year, int(base * (1.1 ** (year - 2021))), base * 8, 1,
                                    now))
        with cur.copy("COPY rd_institution (enterprise_id, level, name, version) FROM STDIN"
                      ) as copy:
            for i in range(1, n + 1, 40):
                copy.write_row((i, rng.choice(("municipal", "provincial")), "企业技术中心", 1))
        with cur.copy("COPY pool_membership (id, enterprise_id, pool, stage, nominated_by, "
                      "nominated_at, stage_changed_at, version) FROM STDIN") as copy:
            for m, i in enumerate(range(1, n + 1, 20), start=1):
                copy.write_row((m, i, "hnte_reserve", "admitted", "bench", now, now, 1))
        with cur.copy("COPY stage_move (membership_id, from_stage, to_stage, actor, reason, "
                      "moved_at) FROM STDIN") as copy:
            for m in range(1, n // 20 + 1):
                at = datetime(rng.randint(2022, 2026), rng.randint(1, 11), 10, tzinfo=UTC)
                copy.write_row((m, None, "nominated", "bench", "提名", at))
                copy.write_row((m, "nominated", "screened", "bench", "遴选",
                                at + timedelta(days=10)))
                copy.write_row((m, "screened", "admitted", "bench", "入库",
                                at + timedelta(days=20)))
        with cur.copy("COPY audit_log (enterprise_id, entity, entity_id, action, actor, at, "
                      "changes) FROM STDIN") as copy:
            for i in range(1, n + 1):
                copy.write_row((i, "enterprise", i, "create", "bench", now,
                                '{"town_code": {"from": null, "to": "371502101"}}'))
                if i % 50 == 0:
                    copy.write_row((i, "enterprise", i, "update", "bench",
                                    now - timedelta(days=400),
                                    '{"town_code": {"from": "371502102", "to": "371502101"}}'))
        for table in ("enterprise", "pool_membership"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")
        cur.execute("ANALYZE")


def _time(client: object, count: int, query: str) -> list[float]:
    times = []
    for _ in range(count):
        times.append(_once(client, f"/api/v1/reports/progress{query}"))
    return sorted(times)


def _once(client: object, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)  # type: ignore[attr-defined]
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.json
    return elapsed


def _scan(engine: object) -> float:
    start = time.perf_counter()
    with engine.connect() as conn:  # type: ignore[attr-defined]
        conn.execute(text("SELECT count(*) FROM enterprise")).scalar()
    return (time.perf_counter() - start) * 1000


ACTOR = {"X-Actor": "bench:curator"}


def _change(client: object, round_no: int, n: int, rng: random.Random) -> None:
    """One real change through the API, rotating over what the figures are made of."""
    uscc = f"91371502{rng.randint(1, n):010d}"
    today = beijing_today()
    kind = round_no % 3
    if kind == 0:  # a new high-tech certificate: the held count, cohorts
        response = client.post(  # type: ignore[attr-defined]
            f"/api/v1/enterprises/{uscc}/certifications", headers=ACTOR,
            json={"tier": "hnte", "issued_on": (today - timedelta(days=30)).isoformat(),
                  "expires_on": (today + timedelta(days=3 * 365)).isoformat()})
        assert response.status_code == 201, response.json
    elif kind == 1:  # this year's R&D expense filed: the growth
        path = f"/api/v1/enterprises/{uscc}/financials/{today.year}"
        current = client.get(path)  # type: ignore[attr-defined]
        body: dict[str, object] = {"rd_expense": rng.randint(100_000, 9_000_000)}
        if current.status_code == 200:
            body["version"] = current.json["version"]
        response = client.put(path, headers=ACTOR, json=body)  # type: ignore[attr-defined]
        assert response.status_code in (200, 201), response.json
    else:  # a firm moved to another town: every per-town figure
        firm = client.get(f"/api/v1/enterprises/{uscc}").json  # type: ignore[attr-defined]
        towns = [t.code for t in CURRENT_TOWNS if t.code != firm["town_code"]]
        response = client.patch(  # type: ignore[attr-defined]
            f"/api/v1/enterprises/{uscc}", headers=ACTOR,
            json={"town_code": rng.choice(towns), "version": firm["version"]})
        assert response.status_code == 200, response.json


def _p(times: list[float], q: float) -> float:
    return times[min(len(times) - 1, int(round(q * (len(times) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--reads", type=int, default=3)
    args = parser.parse_args()
    name = f"bench_progress_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    try:
        upgrade_head(url)
        started = time.perf_counter()
        _populate(f"postgresql://postgres@127.0.0.1:5432/{name}", args.enterprises)
        print(f"populated {args.enterprises} enterprises in {time.perf_counter() - started:.0f} s")
        app = create_app(Settings(database_url=url, log_json=False, log_level="WARNING",
                                  demo_mode=True))
        client = app.test_client()
        started = time.perf_counter()
        for year in range(2022, beijing_today().year):  # what the daily year-end run leaves
            frozen_year = client.post("/api/v1/reports/snapshots", json={"year": year},
                                      headers={"X-Actor": "bench"})
            assert frozen_year.status_code == 201, frozen_year.json
        freeze_s = (time.perf_counter() - started) / max(1, beijing_today().year - 2022)
        ended = _time(client, args.requests, "")  # the seeded 2023–2025 plan: all years frozen
        created = client.post("/api/v1/plans", headers={"X-Actor": "bench"}, json={
            "title": "下一个三年计划 / The next plan", "start_year": beijing_today().year,
            "end_year": beijing_today().year + 2,
            "indicators": [{"measure": m, "final_target": "100"} for m in MEASURES]})
        assert created.status_code == 201, created.json
        first = _time(client, 1, "")[0]  # the plan in force: this year computed live
        current = _time(client, args.requests, "")  # read again, nothing changed since
        engine = app.extensions["registry.engine"]
        rng = random.Random(7)
        after_change: list[float] = []
        stream: list[float] = []
        trivial: list[float] = []
        scan: list[float] = []
        for round_no in range(args.changes):
            _change(client, round_no, args.enterprises, rng)
            after_change.append(_once(client, "/api/v1/reports/progress"))
            stream.append(after_change[-1])
            for _ in range(args.reads):
                stream.append(_once(client, "/api/v1/reports/progress"))
            for _ in range(args.reads + 1):
                trivial.append(_once(client, "/healthz"))
            scan.append(_scan(engine))
        after_change.sort()
        stream.sort()
        trivial.sort()
        scan.sort()
        base = {"trivial": _p(trivial, 0.99), "scan": _p(scan, 0.99)}
        ratios = " ".join(f"{label}_ratio_to_{name}={value / base[name]:.1f}"
                          for label, value in (("dashboard_p99", _p(stream, 0.99)),
                                               ("first_after_change_p99",
                                                _p(after_change, 0.99)))
                          for name in base)
        print(f"progress_report: enterprises={args.enterprises} "
              f"freeze_s_per_year={freeze_s:.1f} "
              f"frozen_p50_ms={statistics.median(ended):.0f} frozen_p99_ms={_p(ended, 0.99):.0f} "
              f"current_year_first_ms={first:.0f} "
              f"current_year_p50_ms={statistics.median(current):.0f} "
              f"current_year_p99_ms={_p(current, 0.99):.0f} "
              f"changes={args.changes} reads_per_change={args.reads} "
              f"dashboard_p50_ms={statistics.median(stream):.0f} "
              f"dashboard_p99_ms={_p(stream, 0.99):.0f} "
              f"first_after_change_p50_ms={statistics.median(after_change):.0f} "
              f"first_after_change_p99_ms={_p(after_change, 0.99):.0f} "
              f"trivial_p99_ms={base['trivial']:.1f} scan_p99_ms={base['scan']:.1f} {ratios}")
    finally:
        app_engine = locals().get("app")
        if app_engine is not None:
            app_engine.extensions["registry.engine"].dispose()
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
