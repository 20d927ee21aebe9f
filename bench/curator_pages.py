"""The curator's pages at district scale (issue 12): 100,000 enterprises, through the gateway.

Builds a throwaway PostgreSQL registry database (127.0.0.1:5432, trust) filled as
``bench/progress_report.py`` fills it (``--enterprises`` firms with certificates, figures, a
reserve pool with stage history, town moves), gives the bench curator ``--mine`` firms and
opens this year's high-tech reserve round. Starts registry, scoring, notify and the gateway
under gunicorn (each with its own ``gunicorn.conf.py``, one internal token; scoring, notify and
the gateway on fresh SQLite files: a page's notices panel is read from a notify that answers,
not refused on every page), freezes the ended years as the daily year-end run does, creates a
curator account and signs in as a browser does. Then, one
request at a time (a person's clicks, not a load test), interleaved in ``--rounds`` rounds so
a busy shared machine weighs on each alike, it times:

* ``list_search``: ``GET /enterprises?q=…`` (the enterprise list searched by part of a name);
* ``worklist``: ``GET /worklist`` (my firms, follow-ups, eligibility, expiring certificates);
* ``candidates``: ``GET /api/v1/rounds/<id>/candidates`` (the round's candidates, proxied);
* ``enterprise``: ``GET /enterprises/<uscc>`` (one enterprise's page);
* ``dashboard``: ``GET /dashboard`` (pools and the progress of the plan in force);
* ``trivial``: ``GET /internal/upstreams/registry/healthz`` (gateway → registry ``/healthz``:
  the same hop to a trivial endpoint, the baseline).

Each line gives p50 and p99 in ms and each as a ratio to the trivial hop's p50 and p99 of the
same run; the last line is ``curator_pages: enterprises=N list_search_p99_ms=…
list_search_ratio=… …`` (target: every p99 < 300 ms). Run: ``.venv/bin/python
bench/curator_pages.py [--enterprises 100000] [--rounds 40] [--mine 60]`` (a few minutes at
100,000 on a busy two-core machine).

``--only dashboard`` (any of the pages above, several allowed) times only those pages and the
trivial hop. With the dashboard among them the run reads it as the bureau does in a plan
period: a plan in force covering this year (every measure, yearly and per-town targets) is
created first, so this year is counted live and each ended year read from its snapshot; and
each round makes one real change through the registry's API first (rotating, as
``bench/progress_report.py`` does: a new high-tech certificate, this year's R&D expense, a firm
moved to another town), then reads ``dashboard_after_change`` (the first read after it) and
``dashboard`` (read again, nothing changed). Two upstream parts are timed beside them, straight
from the registry with the internal token: ``registry_progress`` (the dashboard's read,
``/api/v1/reports/progress?view=dashboard``) and ``registry_pools`` (``/api/v1/pools``). The
registry runs two workers, each keeping its own figures: a part read right after a change may
be the first read of it in the other worker.
With the enterprise page among them, each of its upstream reads is timed beside it, straight
from its service with the internal token, for a random firm of the curator's:
``registry_overview`` (everything the page shows from the registry in one read, issue 16),
``scoring_evaluations`` (scoring has stored none here: a 404), ``notify_notices``; and
``registry_enterprise`` (the firm alone: what one small registry read costs, the baseline).
``--seeded-plan`` keeps the seeded 2023–2025 plan in force instead (every year frozen).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
import requests

from yumiao_common.clock import beijing_today

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
from progress_report import ADMIN  # noqa: E402  (one way to fill a district for every bench)
from progress_report import _change  # noqa: E402
from progress_report import _populate  # noqa: E402
from scoring_http import free_port  # noqa: E402
from scoring_http import wait_ready  # noqa: E402

from registry.adapters.sql.migrations import upgrade_head  # noqa: E402
from registry.domain.monitoring import MEASURES  # noqa: E402
from yumiao_common.vocabulary.towns import CURRENT_TOWNS  # noqa: E402

CURATOR = "bench-curator"
PASSWORD = "bench-Curator-2026-pass"
TRIVIAL = "/internal/upstreams/registry/healthz"
PAGES = ("list_search", "worklist", "candidates", "enterprise", "dashboard")


def _give_firms(dsn: str, n: int, mine: int) -> list[int]:
    """``mine`` firms for the bench curator (spread over the district), some certificates of
    theirs expiring soon."""
    rng = random.Random(12)
    firms = sorted(rng.sample(range(1, n + 1), mine))
    now = datetime.now(UTC)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy("COPY curatorship (enterprise_id, curator, assigned_by, assigned_at, "
                      "version) FROM STDIN") as copy:
            for firm in firms:
                copy.write_row((firm, f"user:{CURATOR}", "bench", now, 1))
        with cur.copy("COPY certification (enterprise_id, tier, level, issued_on, expires_on, "
                      "version) FROM STDIN") as copy:
            for firm in firms[::5]:
                expires = beijing_today() + timedelta(days=rng.randint(10, 80))
                copy.write_row((firm, "hnte", None, expires - timedelta(days=3 * 365 - 1),
                                expires, 1))
        cur.execute("ANALYZE")
    return firms


def _start(tmp: Path, registry_url: str
           ) -> tuple[list[subprocess.Popen[bytes]], dict[str, str], str, str]:
    """Registry, scoring, notify and the gateway; the services' base URLs by name."""
    registry_port, scoring_port, gateway_port = free_port(), free_port(), free_port()
    notify_port = free_port()
    token = secrets.token_urlsafe(24)
    env = {**os.environ, "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
           "REGISTRY_BIND": f"127.0.0.1:{registry_port}",
           "REGISTRY_DATABASE_URL": registry_url, "REGISTRY_INTERNAL_TOKEN": token,
           "REGISTRY_LOG_LEVEL": "WARNING",
           "SCORING_BIND": f"127.0.0.1:{scoring_port}",
           "SCORING_DATABASE_URL": f"sqlite:///{tmp}/scoring.db",
           "SCORING_INTERNAL_TOKEN": token, "SCORING_LOG_LEVEL": "WARNING",
           "NOTIFY_BIND": f"127.0.0.1:{notify_port}",
           "NOTIFY_DATABASE_URL": f"sqlite:///{tmp}/notify.db",
           "NOTIFY_INTERNAL_TOKEN": token, "NOTIFY_LOG_LEVEL": "WARNING",
           "GATEWAY_BIND": f"127.0.0.1:{gateway_port}",
           "GATEWAY_DATABASE_URL": f"sqlite:///{tmp}/gateway.db",
           "GATEWAY_INTERNAL_TOKEN": token, "GATEWAY_SECRET_KEY": secrets.token_urlsafe(32),
           "GATEWAY_REGISTRY_URL": f"http://127.0.0.1:{registry_port}",
           "GATEWAY_SCORING_URL": f"http://127.0.0.1:{scoring_port}",
           "GATEWAY_NOTIFY_URL": f"http://127.0.0.1:{notify_port}",
           "GATEWAY_COOKIE_SECURE": "false",
           "GATEWAY_LOG_LEVEL": "WARNING", "GATEWAY_ACCESS_LOG": "",
           "GATEWAY_RATELIMIT_LOGIN": "10000000 per minute",
           "GATEWAY_RATELIMIT_PER_PRINCIPAL": "10000000 per minute",
           "GATEWAY_RATELIMIT_PER_ADDRESS": "10000000 per minute"}
    for app in ("scoring.app", "notify.app", "gateway.app"):
        subprocess.run([str(BIN / "flask"), "--app", app, "migrate"], env=env, check=True,
                       capture_output=True)
    subprocess.run([str(BIN / "flask"), "--app", "gateway.app", "create-account",
                    "--username", CURATOR, "--role", "curator", "--password", PASSWORD],
                   env=env, check=True, capture_output=True)
    procs = [subprocess.Popen([str(BIN / "gunicorn"), "-c", str(conf)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for conf in (ROOT / "services/registry/gunicorn.conf.py",
                          ROOT / "services/scoring/gunicorn.conf.py",
                          ROOT / "services/notify/gunicorn.conf.py",
                          ROOT / "gateway/gunicorn.conf.py")]
    urls = {"registry": f"http://127.0.0.1:{registry_port}",
            "scoring": f"http://127.0.0.1:{scoring_port}",
            "notify": f"http://127.0.0.1:{notify_port}"}
    gateway = f"http://127.0.0.1:{gateway_port}"
    for url in urls.values():
        wait_ready(url + "/healthz")
    wait_ready(gateway + TRIVIAL)
    return procs, urls, gateway, token


def _freeze_ended_years(registry: str, token: str) -> None:
    """What the daily year-end run leaves: every ended year frozen (the dashboard then counts
    only this year live)."""
    for year in range(2022, beijing_today().year):
        response = requests.post(f"{registry}/api/v1/reports/snapshots", timeout=300,
                                 json={"year": year, "reason": "bench"},
                                 headers={"X-Internal-Token": token, "X-Actor": "user:admin"})
        assert response.status_code == 201, response.text


def _round(registry: str, token: str) -> int:
    """This year's high-tech reserve round, open now."""
    today = beijing_today()
    response = requests.post(f"{registry}/api/v1/rounds", timeout=30, json={
        "pool": "hnte_reserve", "year": today.year, "quota": 20,
        "opens_on": (today - timedelta(days=30)).isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(), "reason": "bench"},
        headers={"X-Internal-Token": token, "X-Actor": "user:admin"})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _plan_in_force(registry: str, token: str) -> None:
    """A plan covering this year, as the bureau enters it: every measure, a target per year and
    a split per town (so the dashboard's per-year and per-town tables are full)."""
    start = beijing_today().year
    towns = [t.code for t in CURRENT_TOWNS]
    indicators = [{"measure": m, "final_target": "300",
                   "yearly_targets": {str(y): str(100 * (y - start + 1))
                                      for y in range(start, start + 3)},
                   "town_targets": {code: "20" for code in towns}} for m in MEASURES]
    response = requests.post(f"{registry}/api/v1/plans", timeout=60, json={
        "title": "下一个三年计划 / The next plan", "start_year": start, "end_year": start + 2,
        "indicators": indicators, "reason": "bench"},
        headers={"X-Internal-Token": token, "X-Actor": "user:admin"})
    assert response.status_code == 201, response.text


class _Registry:
    """The registry over HTTP, shaped like Flask's test client for ``progress_report._change``."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.http = base, requests.Session()
        self.http.headers.update({"X-Internal-Token": token, "X-Actor": "user:bench-curator"})

    def _call(self, method: str, path: str, **kwargs: Any) -> SimpleNamespace:
        response = self.http.request(method, self.base + path, timeout=60, **kwargs)
        return SimpleNamespace(status_code=response.status_code, json=response.json())

    def get(self, path: str, **kwargs: Any) -> SimpleNamespace:
        return self._call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> SimpleNamespace:
        return self._call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> SimpleNamespace:
        return self._call("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> SimpleNamespace:
        return self._call("PATCH", path, **kwargs)


def _enterprise_parts(urls: dict[str, str], firms: list[int], rng: random.Random
                      ) -> dict[str, Callable[[], str]]:
    """The upstream calls of the enterprise page, each timed straight from its service: the
    URL of one call for a random firm of the bench curator's."""
    def uscc() -> str:
        return f"91371502{rng.choice(firms):010d}"

    reg, api = urls["registry"], "/api/v1/enterprises"
    return {
        "registry_overview": lambda: f"{reg}{api}/{uscc()}/overview",
        "registry_enterprise": lambda: f"{reg}{api}/{uscc()}",
        "scoring_evaluations": lambda: f"{urls['scoring']}{api}/{uscc()}/evaluations",
        "notify_notices": lambda: f"{urls['notify']}{api}/{uscc()}/notices?limit=20",
    }


def _sign_in(gateway: str) -> requests.Session:
    browser = requests.Session()
    csrf = secrets.token_urlsafe(24)
    browser.cookies.set("yumiao_login_csrf", csrf, path="/login")
    response = browser.post(f"{gateway}/login", allow_redirects=False, timeout=30, data={
        "username": CURATOR, "password": PASSWORD, "login_token": csrf})
    assert response.status_code == 303, (response.status_code, response.text[:300])
    return browser


def _p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--mine", type=int, default=60)
    parser.add_argument("--only", nargs="+", choices=PAGES, default=list(PAGES),
                        help="time only these pages (and the trivial hop)")
    parser.add_argument("--seeded-plan", action="store_true",
                        help="keep the seeded 2023-2025 plan in force (every year frozen)")
    args = parser.parse_args()
    dashboard_run = "dashboard" in args.only and not args.seeded_plan
    name = f"bench_curator_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    dsn = f"postgresql://postgres@127.0.0.1:5432/{name}"
    procs: list[subprocess.Popen[bytes]] = []
    try:
        upgrade_head(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        started = time.perf_counter()
        _populate(dsn, args.enterprises)
        firms = _give_firms(dsn, args.enterprises, args.mine)
        print(f"populated {args.enterprises} enterprises in "
              f"{time.perf_counter() - started:.0f} s")
        with tempfile.TemporaryDirectory() as tmpdir:
            procs, urls, gateway, token = _start(
                Path(tmpdir), f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
            registry = urls["registry"]
            _freeze_ended_years(registry, token)
            if dashboard_run:
                _plan_in_force(registry, token)
            round_id = _round(registry, token)
            browser = _sign_in(gateway)
            direct = _Registry(registry, token)
            rng = random.Random(5)
            every = {
                "list_search": lambda: f"/enterprises?q=企业{rng.randint(1, 9999)}",
                "worklist": lambda: "/worklist",
                "candidates": lambda: f"/api/v1/rounds/{round_id}/candidates",
                "enterprise": lambda: f"/enterprises/91371502{rng.choice(firms):010d}",
                "dashboard": lambda: "/dashboard",
            }
            pages = {page: every[page] for page in PAGES if page in args.only}
            pages["trivial"] = lambda: TRIVIAL
            if dashboard_run:  # the first read after a change first, then read again
                pages = {"dashboard_after_change": pages.pop("dashboard"), **pages}
            services = requests.Session()  # straight to a service, as the gateway calls it
            services.headers.update({"X-Internal-Token": token,
                                     "X-Actor": f"user:{CURATOR}"})
            parts: dict[str, Callable[[], str]] = {}
            if "dashboard" in args.only:
                parts["registry_progress"] = \
                    lambda: f"{registry}/api/v1/reports/progress?view=dashboard"
                parts["registry_pools"] = lambda: f"{registry}/api/v1/pools?limit=200"
            if "enterprise" in args.only:
                parts.update(_enterprise_parts(urls, firms, rng))
            for path in pages.values():  # warm-up: connections, templates, caches
                browser.get(gateway + path(), timeout=60)
            for part_url in parts.values():
                services.get(part_url(), timeout=60)
            times: dict[str, list[float]] = {page: [] for page in [*pages, *parts]}
            if dashboard_run:
                times["dashboard"] = []
            for round_no in range(args.rounds):
                if dashboard_run:
                    _change(direct, round_no, args.enterprises, rng)
                for page, path in pages.items():
                    for label in ((page, "dashboard") if page == "dashboard_after_change"
                                  else (page,)):
                        start = time.perf_counter()
                        response = browser.get(gateway + path(), timeout=60,
                                               allow_redirects=False)
                        times[label].append((time.perf_counter() - start) * 1000)
                        assert response.status_code == 200, (label, response.status_code,
                                                             response.text[:300])
                for part, url in parts.items():
                    start = time.perf_counter()
                    answer = services.get(url(), timeout=60)
                    times[part].append((time.perf_counter() - start) * 1000)
                    assert answer.status_code in (
                        (200, 404) if part == "scoring_evaluations"
                        else (200,)), (part, answer.status_code)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    base50, base = statistics.median(times["trivial"]), _p(times["trivial"], 0.99)
    summary = [f"enterprises={args.enterprises}", f"rounds={args.rounds}",
               f"trivial_p50_ms={base50:.1f}", f"trivial_p99_ms={base:.1f}"]
    if "dashboard" in args.only:
        summary.append(f"plan={'seeded' if args.seeded_plan else 'current'}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (1 min) "
          f"{os.getloadavg()[1]:.2f} (5 min), {os.cpu_count()} cores")
    for page, got in times.items():
        print(f"{page:22} p50_ms={statistics.median(got):7.1f} p99_ms={_p(got, 0.99):7.1f} "
              f"p50_ratio={statistics.median(got) / base50:5.1f} "
              f"p99_ratio={_p(got, 0.99) / base:5.1f} (to the trivial hop)")
        if page != "trivial":
            summary += [f"{page}_p50_ms={statistics.median(got):.0f}",
                        f"{page}_p99_ms={_p(got, 0.99):.0f}",
                        f"{page}_ratio={_p(got, 0.99) / base:.1f}"]
    print("curator_pages: " + " ".join(summary))


if __name__ == "__main__":
    main()
