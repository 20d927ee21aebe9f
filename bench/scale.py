"""Province scale (issue 16): the whole system at N enterprises, and how its cost grows.

Starts the stack as ``make up`` starts it (scripts/dev-up.sh: every service under gunicorn with
its relay, consumer, jobs and sender workers — two scoring consumers, as make up starts on
PostgreSQL and prod runs —, the same migrations, ``seed-policies``) but on
PostgreSQL databases, ports and a RabbitMQ vhost of its own (``yb_scale_…``, created here and
dropped at the end; never the ports 8000–8003 nor the vhost of ``make up`` or of the tests).
Then, per size N:

* **load** through the real import path: the enterprise template (firms × 3 years of figures,
  bench/registry_import.py's generator; one firm in ``COMPLIANT_EVERY`` with every compliance
  flag 否 in its flag columns, as a bureau's credit checks confirm them: without known flags no
  firm is eligible for anything) cut into files of at most the import's row cap, then the
  certifications sheet and the IP sheet, each POSTed to the registry's ``/api/v1/imports`` and
  run by ``registry.jobs``;
* **drain**: from the first import's commit (its job's ``finished_at``) until every firm's
  evaluations are stored at the registry's newest profile version and every resulting notice is
  created (outboxes published, the vhost's queues empty, the last evaluation / notice / inbox
  time), against the scoring engine alone validating and evaluating the same stored profiles
  in-process (``drain_ratio``);
* **pages** through the gateway once the databases are vacuumed and analysed (``settle``:
  what autovacuum does after a bulk load; ``--unsettled`` measures them right after the
  drain too), p50/p99 under 8 concurrent signed-in clients: dashboard,
  rankings (first page, a filtered page, a deep page), the enterprise list with a search, an
  enterprise page, a curator's worklist, the anonymous self-check (POST /check), interleaved
  with a trivial gateway hop (``/internal/upstreams/registry/healthz``) → ``page_p99_ratio``
  of the worst page;
* **export**: one curator downloading the high-tech ranking as XLSX through the gateway,
  whole (refused past the export cap) and the busiest town's (rows, first byte, last byte,
  whether the file arrived whole);
* **faults** (the largest N, unless ``--skip-faults``): the same import once more into fresh
  databases on a RabbitMQ node of the bench's own (tests/local_broker.py ``ChaosBroker``: the
  machine's shared broker is never restarted), with the (first) scoring consumer and the notify
  consumer each SIGKILLed once and restarted and the broker node restarted once while it
  drains (after 20 %, 40 % and 60 % of the reference run's events reached scoring); stored
  evaluations and notices are compared with the fault-free run (lost and
  duplicated ones counted).

``growth`` = the worst page's p99 at the largest N over the same page's p99 at 10,000 (run
first unless ``--small`` or N ≤ 10,000). Last line:
``scale: n=N drain_s=S drain_ratio=R1 worst_page=NAME page_p99_ms=P page_p99_ratio=R2 growth=G
lost=L duplicates=D``. Targets: R1 ≤ 4, R2 ≤ 5, G ≤ 1.5, L = D = 0.

    .venv/bin/python bench/scale.py --n 2000 --skip-faults     # a few minutes
    .venv/bin/python bench/scale.py --small                    # 10,000 only
    .venv/bin/python bench/scale.py --deadline 15:00           # 10,000 then 100,000 + faults

``--deadline HH:MM`` (UTC) or ``--deadline SECONDS``: past it every process the bench started
is ended and everything it made is dropped. ``--keep`` keeps the databases and vhost.
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import requests

from yumiao_common.clock import beijing_today

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# bench/scoring.py would shadow the scoring package: the packages first, then bench's helpers
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
from registry.adapters.files.columns import COLUMNS  # noqa: E402
from registry.models.enterprise import FLAG_FIELDS  # noqa: E402
from scoring.adapters.sql.rankings import encode_cursor  # noqa: E402
from tests.local_broker import ChaosBroker  # noqa: E402
from yumiao_common.vocabulary.towns import CURRENT_TOWNS  # noqa: E402

sys.path.append(str(ROOT / "bench"))
from curator_pages import CURATOR  # noqa: E402  (the bench curator, signed in as a browser)
from curator_pages import PASSWORD  # noqa: E402
from curator_pages import TRIVIAL  # noqa: E402
from curator_pages import _freeze_ended_years  # noqa: E402
from curator_pages import _p  # noqa: E402
from curator_pages import _sign_in  # noqa: E402
from progress_report import ADMIN  # noqa: E402
from registry_import import make_csv  # noqa: E402
from scoring_consumer import engine_alone  # noqa: E402
from scoring_http import free_port  # noqa: E402
from scoring_http import wait_ready  # noqa: E402

SERVICES = ("registry", "scoring", "notify", "gateway")
#: make up's processes (scripts/dev-up.sh), in its order: name → command
PROCESSES: dict[str, list[str]] = {
    "registry": [str(BIN / "gunicorn"), "-c", "services/registry/gunicorn.conf.py"],
    "registry-relay": [sys.executable, "-m", "registry.relay"],
    "registry-jobs": [sys.executable, "-m", "registry.jobs"],
    "registry-consumer": [sys.executable, "-m", "registry.consumer"],
    "scoring": [str(BIN / "gunicorn"), "-c", "services/scoring/gunicorn.conf.py"],
    "scoring-consumer": [sys.executable, "-m", "scoring.consumer"],
    # on PostgreSQL make up starts a second scoring consumer, as prod runs two (dev-up.sh)
    "scoring-consumer-2": [sys.executable, "-m", "scoring.consumer"],
    "scoring-relay": [sys.executable, "-m", "scoring.relay"],
    "scoring-jobs": [sys.executable, "-m", "scoring.jobs"],
    "notify": [str(BIN / "gunicorn"), "-c", "services/notify/gunicorn.conf.py"],
    "notify-consumer": [sys.executable, "-m", "notify.consumer"],
    "notify-relay": [sys.executable, "-m", "notify.relay"],
    "notify-sender": [sys.executable, "-m", "notify.sender"],
    "gateway": [str(BIN / "gunicorn"), "-c", "gateway/gunicorn.conf.py"],
}
ROWS_PER_FILE = 48_000  # under the import's 50,000-row cap (REGISTRY_IMPORT_MAX_ROWS)
CLIENTS = 8
COMPLIANT_EVERY = 5  # one firm in five has its compliance flags confirmed
HEADERS = {"X-Actor": "user:admin"}
#: the anonymous self-check as a browser posts it (a manufacturer; required fields filled)
CHECK_FORM = {"name": "聊城自测有限公司", "established_on": "2015-01-01",
              "industry_code": "C3451", "tax_method": "audited", "flags": "none",
              "employees": "100", "operating_revenue": "40000000",
              "sales_revenue": "40000000", "rd_expense": "2400000",
              "total_assets": "30000000", "total_liabilities": "12000000"}


class DeadlineReached(Exception):
    """The bench's time is up (``--deadline``) or it was asked to stop (SIGTERM)."""


def _raise(signum: int, _frame: object) -> None:
    raise DeadlineReached(signal.Signals(signum).name)


def _port() -> int:
    while (port := free_port()) in range(8000, 8004):  # make up's ports, never ours
        pass
    return port


def _sql(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _first(row: tuple[Any, ...] | None) -> Any:
    return row[0] if row else None


def _scalar(dsn: str, query: str) -> Any:
    with psycopg.connect(dsn) as conn:
        return _first(conn.execute(query).fetchone())


# --- the data, as the bureau receives it -----------------------------------------------------


@dataclass
class Files:
    """The import files of N firms: enterprise template parts, certifications, IP items."""

    enterprises: list[bytes]
    certifications: bytes
    ip: bytes
    firms: list[tuple[str, str]]  # (uscc, name)


def _sheet(header: list[str], rows: Iterator[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _with_flags(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """The generator's rows with every compliance flag 否 for one firm in ``COMPLIANT_EVERY``
    (no incident, on no list), the others' flag cells blank (unknown); and the firms' names."""
    keys = [c.key for c in COLUMNS]
    at_uscc, at_name = keys.index("uscc"), keys.index("name")
    flag_at = [keys.index(f) for f in FLAG_FIELDS]
    firms: dict[str, str] = {}
    compliant: dict[str, bool] = {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in csv.reader(lines):
        uscc = row[at_uscc]
        if uscc not in firms:
            compliant[uscc] = len(firms) % COMPLIANT_EVERY == 0
            firms[uscc] = row[at_name]
        row += [""] * (len(keys) - len(row))  # the generator leaves the flag columns out
        if compliant[uscc]:
            for i in flag_at:
                row[i] = "否"
        writer.writerow(row)
    return out.getvalue().splitlines(), firms


def make_files(n: int) -> Files:
    data = make_csv(n).decode()
    header, *generated = data.splitlines()
    lines, firms = _with_flags(generated)
    parts = ["\n".join([header, *lines[i:i + ROWS_PER_FILE]]) + "\n"
             for i in range(0, len(lines), ROWS_PER_FILE)]
    listed = list(firms.items())

    def certs() -> Iterator[list[str]]:  # 40 % hold a high-tech certificate, 10 % tech SME
        for i, (uscc, name) in enumerate(listed):
            if i % 5 < 2:
                yield [uscc, name, "hnte", "national", f"GR2024{i:09d}", "山东省科学技术厅",
                       "2024-11-28", ""]
            if i % 10 == 3:
                yield [uscc, name, "tech_sme", "", f"TS2025{i:09d}", "", "2025-04-01", ""]

    def items() -> Iterator[list[str]]:  # half hold IP: a patent and a utility model
        for i, (uscc, name) in enumerate(listed):
            if i % 2 == 0:
                yield [uscc, name, "invention_patent", f"ZL2022{i:08d}.1", "一种轴承保持架",
                       "2023-05-10", "self_developed", "是", "否", "是", "", "否"]
                yield [uscc, name, "utility_model", f"ZL2023{i:08d}.2", "一种密封结构",
                       "2024-03-01", "self_developed", "是", "否", "是", "", "否"]

    return Files(
        enterprises=[p.encode() for p in parts],
        certifications=_sheet(["uscc", "name", "tier", "level", "number", "issuer",
                               "issued_on", "expires_on"], certs()),
        ip=_sheet(["uscc", "name", "kind", "number", "title", "granted_on", "acquired_by",
                   "related_to_main_product", "high_value", "in_force", "used_in_hnte",
                   "in_dispute"], items()),
        firms=listed)


def _chunks(data: bytes, rows: int) -> list[bytes]:
    header, *lines = data.decode().splitlines()
    return [("\n".join([header, *lines[i:i + rows]]) + "\n").encode()
            for i in range(0, len(lines), rows)] or [data]


# --- the stack, as make up starts it ----------------------------------------------------------


@dataclass
class Stack:
    """Databases, vhost and the processes of ``make up`` for one run."""

    tag: str
    amqp: str
    logs: Path
    urls: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    restarts: collections.Counter[str] = field(default_factory=collections.Counter)
    env: dict[str, str] = field(default_factory=dict)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def create(self) -> None:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            for service in SERVICES:
                conn.execute(f'CREATE DATABASE "{self.tag}_{service}"')
        self.configure()
        for service in SERVICES:
            self._flask(service, "migrate")
        self._flask("notify", "seed-policies")
        self._flask("gateway", "create-account", "--username", CURATOR, "--role", "curator",
                    "--password", PASSWORD)

    def configure(self) -> None:
        """URLs, ports and the processes' environment (the databases exist: made by
        ``create``, or kept by an earlier ``--keep`` run)."""
        self.urls = {service: f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.tag}_{service}"
                     for service in SERVICES}
        self.ports = {service: _port() for service in SERVICES}
        env = {**os.environ, "GATEWAY_DEMO_MODE": "true",
               "GATEWAY_SECRET_KEY": secrets.token_urlsafe(32),
               "GATEWAY_COOKIE_SECURE": "false", "GATEWAY_ACCESS_LOG": "",
               "GATEWAY_RATELIMIT_LOGIN": "10000000 per minute",
               "GATEWAY_RATELIMIT_LOGIN_ACCOUNT": "10000000 per minute",
               "GATEWAY_RATELIMIT_PER_PRINCIPAL": "10000000 per minute",
               "GATEWAY_RATELIMIT_PER_ADDRESS": "10000000 per minute",
               "GATEWAY_RATELIMIT_ELIGIBILITY": "10000000 per minute"}
        for service in SERVICES:
            upper = service.upper()
            env |= {f"{upper}_DATABASE_URL": self.urls[service], f"{upper}_AMQP_URL": self.amqp,
                    f"{upper}_INTERNAL_TOKEN": self.token, f"{upper}_LOG_JSON": "false",
                    f"{upper}_LOG_LEVEL": "WARNING", f"{upper}_WORKER_METRICS_PORT": "0",
                    f"{upper}_BIND": f"127.0.0.1:{self.ports[service]}"}
            env[f"GATEWAY_{upper}_URL"] = self.url(service)
        env["NOTIFY_PUBLIC_URL"] = env["GATEWAY_PUBLIC_URL"] = self.url("gateway")
        self.env = env
        self.logs.mkdir(parents=True, exist_ok=True)

    def _flask(self, service: str, *args: str) -> None:
        subprocess.run([str(BIN / "flask"), "--app", f"{service}.app", *args], env=self.env,
                       cwd=ROOT, check=True, capture_output=True, timeout=600)

    def start(self, name: str) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the process owns it
        self.procs[name] = subprocess.Popen(PROCESSES[name], env=self.env, cwd=ROOT,
                                            stdout=log, stderr=log, start_new_session=True)
        log.close()

    def up(self) -> None:
        for name in PROCESSES:
            self.start(name)
        for service in SERVICES:
            wait_ready(self.url(service) + "/healthz")

    def kill(self, name: str) -> None:
        """SIGKILL one worker (a crashed pod) and start it again."""
        self.procs[name].send_signal(signal.SIGKILL)
        self.procs[name].wait(timeout=30)
        self.restarts[name] += 1
        self.start(name)

    def revive(self) -> None:
        """Start again a worker that exited (as its pod would be restarted)."""
        for name, proc in list(self.procs.items()):
            if proc.poll() is not None:
                self.restarts[name] += 1
                self.start(name)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
        self.procs.clear()

    def drop(self) -> None:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            for service in SERVICES:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.tag}_{service}" WITH (FORCE)')

    def dsn(self, service: str) -> str:
        return _sql(self.urls[service])

    # --- what the registry's import API does ---

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"X-Internal-Token": self.token, **HEADERS, **kwargs.pop("headers", {})}
        return requests.request(method, self.url("registry") + path, headers=headers,
                                timeout=300, **kwargs)

    def import_file(self, data: bytes, sheet: str, name: str) -> dict[str, Any]:
        """POST one file to the import API and wait for ``registry.jobs`` to finish it."""
        while True:
            response = self.call("POST", f"/api/v1/imports?sheet={sheet}",
                                 files={"file": (name, data, "text/csv")})
            if response.status_code != 429:  # as many jobs as allowed run: wait a moment
                break
            time.sleep(2)
        assert response.status_code == 202, (sheet, response.status_code, response.text[:500])
        job_id = response.json()["id"]
        while True:
            job = self.call("GET", f"/api/v1/imports/{job_id}").json()
            if job.get("finished_at"):
                break
            time.sleep(1)
        assert job["status"] == "succeeded", (sheet, job["status"], job.get("message"),
                                              job.get("errors", [])[:3])
        return dict(job)


def _queue_depth(stack: Stack, broker: ChaosBroker | None, vhost: str) -> int:
    """Messages ready or unacknowledged in every queue of the vhost (retry queues too)."""
    if broker is None:
        command = ["rabbitmqctl", "-q", "list_queues", "-p", vhost, "name", "messages"]
    else:
        command = ["su", "rabbitmq", "-s", "/bin/sh", "-c",
                   f"cd /var/lib/rabbitmq; /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "
                   f"{broker.node} list_queues -p {vhost} name messages"]
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60,
                             check=True).stdout
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return -1  # the broker is away (restarting): not drained
    return sum(int(line.split()[-1]) for line in out.splitlines()
               if line.split() and line.split()[-1].isdigit())


# --- load and drain -----------------------------------------------------------------------


@dataclass
class Drain:
    import_s: float
    drain_s: float  # from the first import's commit (the headline: the whole load counts)
    tail_s: float  # from the last import's commit: what the pipeline still had to do then
    events: int
    firms: int


def _settled(stack: Stack) -> bool:
    """Every outbox published and every firm's evaluations at the registry's newest version."""
    if _scalar(stack.dsn("registry"), "SELECT count(*) FROM outbox WHERE published_at IS NULL"):
        return False
    if _scalar(stack.dsn("scoring"), "SELECT count(*) FROM outbox WHERE published_at IS NULL"):
        return False
    with psycopg.connect(stack.dsn("registry")) as conn:
        versions: dict[str, int] = dict(
            conn.execute("SELECT uscc, profile_version FROM enterprise").fetchall())
    with psycopg.connect(stack.dsn("scoring")) as conn:
        held: dict[str, int] = dict(conn.execute(
            "SELECT p.uscc, p.source_version FROM enterprise_profile p "
            "WHERE EXISTS (SELECT 1 FROM evaluation e WHERE e.uscc = p.uscc "
            "AND e.profile_hash = p.profile_hash)").fetchall())
    return all(held.get(uscc) == version for uscc, version in versions.items())


def _last_effect(stack: Stack) -> datetime:
    """When the pipeline's last effect was stored: evaluation, profile, notice, inbox row."""
    times = [_scalar(stack.dsn("scoring"), "SELECT max(evaluated_at) FROM evaluation"),
             _scalar(stack.dsn("scoring"), "SELECT max(updated_at) FROM enterprise_profile"),
             _scalar(stack.dsn("scoring"), "SELECT max(received_at) FROM inbox"),
             _scalar(stack.dsn("notify"), "SELECT max(created_at) FROM notices"),
             _scalar(stack.dsn("notify"), "SELECT max(received_at) FROM inbox")]
    return max(t for t in times if t is not None)


def load_and_drain(stack: Stack, files: Files, vhost: str, broker: ChaosBroker | None = None,
                   faults: Callable[[float], None] | None = None) -> Drain:
    """Import every file through the API; wait until the pipeline has drained."""
    started = time.perf_counter()
    jobs = []
    first: datetime | None = None
    work = [(part, "enterprises", f"enterprises-{i}.csv")
            for i, part in enumerate(files.enterprises)]
    work += [(part, "certifications", f"certifications-{i}.csv")
             for i, part in enumerate(_chunks(files.certifications, ROWS_PER_FILE))]
    work += [(part, "ip", f"ip-{i}.csv") for i, part in enumerate(_chunks(files.ip,
                                                                          ROWS_PER_FILE))]
    for data, sheet, name in work:
        jobs.append(stack.import_file(data, sheet, name))
        if first is None:
            first = datetime.fromisoformat(jobs[0]["finished_at"])
        if faults is not None:
            faults(time.monotonic())
        stack.revive()
        print(f"  imported {name}: {jobs[-1].get('created', 0)} created, "
              f"{jobs[-1].get('skipped', 0)} skipped, {time.perf_counter() - started:.0f} s",
              flush=True)
    import_s = time.perf_counter() - started
    assert first is not None
    wait_drained(stack, vhost, broker, faults)
    end = _last_effect(stack)
    events = _scalar(stack.dsn("registry"), "SELECT count(*) FROM outbox")
    firms = _scalar(stack.dsn("registry"), "SELECT count(*) FROM enterprise")
    last = datetime.fromisoformat(jobs[-1]["finished_at"])
    return Drain(import_s, (end - first).total_seconds(), (end - last).total_seconds(),
                 int(events), int(firms))


def _progress_marks(stack: Stack) -> tuple[Any, ...]:
    """Cheap marks that move while the pipeline works: events each consumer has taken, the
    outboxes' unpublished rows, notices."""
    return (_scalar(stack.dsn("scoring"), "SELECT count(*) FROM inbox"),
            _scalar(stack.dsn("notify"), "SELECT count(*) FROM inbox"),
            _scalar(stack.dsn("notify"), "SELECT count(*) FROM notices"),
            _scalar(stack.dsn("registry"),
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL"),
            _scalar(stack.dsn("scoring"),
                    "SELECT count(*) FROM outbox WHERE published_at IS NULL"))


def wait_drained(stack: Stack, vhost: str, broker: ChaosBroker | None,
                 faults: Callable[[float], None] | None) -> None:
    """Until the pipeline settled, twice in a row 3 s apart with the queues empty.

    The full check (every firm's versions, the queues through rabbitmqctl) costs seconds of
    the machine's two cores at 100,000 firms, so it runs only once the cheap marks have stood
    still for a poll; the drain's end is read from the stored rows' times, not from here."""
    quiet = 0
    marks: tuple[Any, ...] = ()
    while quiet < 2:
        if faults is not None:
            faults(time.monotonic())
        stack.revive()
        time.sleep(3)
        try:
            now = _progress_marks(stack)
        except psycopg.Error:
            now = ()
        if now != marks:
            marks, quiet = now, 0
        elif _settled(stack) and _queue_depth(stack, broker, vhost) == 0:
            quiet += 1
        else:
            quiet = 0




# --- pages -----------------------------------------------------------------------------------


def _assign_curator(stack: Stack, firms: list[tuple[str, str]], mine: int) -> None:
    """``mine`` firms for the bench curator, through the registry's API."""
    for uscc, _name in random.Random(12).sample(firms, mine):
        response = stack.call("PUT", f"/api/v1/enterprises/{uscc}/curator",
                              json={"curator": f"user:{CURATOR}", "reason": "bench"})
        assert response.status_code in (200, 201), response.text[:300]


def _open_round(stack: Stack) -> None:
    today = beijing_today()
    response = stack.call("POST", "/api/v1/rounds", json={
        "pool": "hnte_reserve", "year": today.year, "quota": 20,
        "opens_on": (today - timedelta(days=30)).isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(), "reason": "bench"})
    assert response.status_code == 201, response.text[:300]


def _deep_cursor(stack: Stack) -> str:
    """A ranking cursor half-way down the high-tech ranking (the page a curator reaches by
    paging on, or by a bookmarked link)."""
    with psycopg.connect(stack.dsn("scoring")) as conn:
        total = conn.execute("SELECT count(*) FROM evaluation WHERE tier = 'hnte'").fetchone()
        position = max(1, (total[0] if total else 0) // 2)
        row = conn.execute(
            "SELECT rank_group, rank_a, rank_b, uscc FROM evaluation WHERE tier = 'hnte' "
            "ORDER BY rank_group, rank_a, rank_b, uscc OFFSET %s LIMIT 1",
            (position - 1,)).fetchone()
    assert row is not None
    return encode_cursor((row[0], row[1], row[2], row[3]), position)


def busiest_town(stack: Stack) -> str:
    """The town holding the most firms (what the filtered page and export ask for)."""
    return str(_scalar(stack.dsn("scoring"), "SELECT town_code FROM enterprise_profile "
                       "GROUP BY town_code ORDER BY count(*) DESC LIMIT 1")
               or CURRENT_TOWNS[0].code)


def pages(stack: Stack, files: Files, rounds: int) -> dict[str, list[float]]:
    """Every page under ``CLIENTS`` concurrent clients, each its own browser session."""
    gateway = stack.url("gateway")
    deep = _deep_cursor(stack)
    busiest = busiest_town(stack)

    def paths(rng: random.Random) -> dict[str, tuple[str, str]]:
        uscc, name = rng.choice(files.firms)
        return {
            "dashboard": ("GET", "/dashboard"),
            "rankings_first": ("GET", "/rankings?tier=hnte"),
            "rankings_filtered": ("GET", f"/rankings?tier=hnte&town={busiest}"
                                         "&verdict=eligible&verdict=near"),
            "rankings_deep": ("GET", f"/rankings?tier=hnte&cursor={deep}"),
            "enterprise_search": ("GET", f"/enterprises?q={name[2:5]}"),
            "enterprise": ("GET", f"/enterprises/{uscc}"),
            "worklist": ("GET", "/worklist"),
            "self_check": ("POST", "/check"),
            "trivial": ("GET", TRIVIAL),
        }

    times: dict[str, list[float]] = {page: [] for page in paths(random.Random(0))}
    lock = threading.Lock()
    errors: list[str] = []
    retried: collections.Counter[str] = collections.Counter()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        browser = _sign_in(gateway)
        anonymous = requests.Session()
        try:
            for round_no in range(rounds + 1):  # round 0 warms up
                chosen = list(paths(rng).items())
                rng.shuffle(chosen)
                for page, (method, path) in chosen:
                    session = anonymous if page == "self_check" else browser
                    start = time.perf_counter()
                    for attempt in (1, 2):  # a keep-alive connection closed by a recycled
                        try:              # worker is retried as a browser does (timed in)
                            response = session.request(
                                method, gateway + path, timeout=120, allow_redirects=False,
                                data=CHECK_FORM if method == "POST" else None)
                            break
                        except requests.ConnectionError:
                            if attempt == 2:
                                raise
                            with lock:
                                retried[page] += 1
                    elapsed = (time.perf_counter() - start) * 1000
                    if response.status_code != 200:
                        errors.append(f"{page} {path}: {response.status_code} "
                                      f"{response.text[:200]}")
                        return
                    if round_no:
                        with lock:
                            times[page].append(elapsed)
        except Exception as exc:  # noqa: BLE001 - reported below, the run fails
            errors.append(f"client {seed}: {exc!r}")

    threads = [threading.Thread(target=client, args=(seed,), daemon=True)
               for seed in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    if retried:
        print(f"  connections reset and retried: {dict(retried)}", flush=True)
    return times


def export(stack: Stack, query: str = "", tier: str = "hnte") -> str:
    """One curator's download of a tier's ranking as XLSX through the gateway (what the
    rankings page links to): status, rows, seconds to the first byte and to the last, size,
    and whether the file is whole (its ZIP directory reads back: a download cut off by a
    worker's timeout, 130 s for scoring and 150 s for the gateway, is not)."""
    browser = _sign_in(stack.url("gateway"))
    body = io.BytesIO()
    start = time.perf_counter()
    first = 0.0
    with browser.get(f"{stack.url('gateway')}/api/v1/rankings/{tier}.xlsx{query}", stream=True,
                     timeout=600) as response:
        if response.status_code != 200:
            return f"export {tier}.xlsx{query}: {response.status_code} {response.text[:300]}"
        try:
            for chunk in response.iter_content(256 * 1024):
                first = first or time.perf_counter() - start
                body.write(chunk)
        except requests.RequestException as exc:
            return f"export {tier}.xlsx: cut off after {time.perf_counter() - start:.1f} s ({exc})"
    whole = time.perf_counter() - start
    try:
        intact = zipfile.ZipFile(body).testzip() is None
    except zipfile.BadZipFile:
        intact = False
    return (f"export {tier}.xlsx{query}: rows {response.headers.get('X-Total-Count', '?')}, "
            f"first byte {first:.1f} s, whole {whole:.1f} s, {body.tell() / 2**20:.1f} MiB, "
            f"{'whole file' if intact else 'NOT a whole file'}")


def exports(stack: Stack) -> list[str]:
    """The whole high-tech ranking (refused past the export cap, which is what a curator then
    reads) and the busiest town's."""
    busiest = busiest_town(stack)
    return [export(stack), export(stack, f"?town={busiest}")]


# --- one size ------------------------------------------------------------------------------


@dataclass
class Result:
    n: int
    drain: Drain
    engine_s: float
    times: dict[str, list[float]]
    sizes_mb: dict[str, float]

    @property
    def trivial_p99(self) -> float:
        return _p(self.times["trivial"], 0.99)

    def worst(self) -> tuple[str, float]:
        return max(((page, _p(got, 0.99)) for page, got in self.times.items()
                    if page != "trivial"), key=lambda item: item[1])


def _sizes(stack: Stack) -> dict[str, float]:
    with psycopg.connect(ADMIN) as conn:
        return {service: _first(conn.execute("SELECT pg_database_size(%s)",
                                             (f"{stack.tag}_{service}",)).fetchone()) / 2**20
                for service in SERVICES}


class Run:
    """Everything the bench made, so that it can all be ended and dropped."""

    def __init__(self, keep: bool) -> None:
        self.keep = keep
        self.id = f"{int(time.time()) % 10**6}_{secrets.token_hex(2)}"
        self.base = Path("/tmp") / f"yb_scale_{self.id}"
        self.stacks: list[Stack] = []
        self.vhosts: list[str] = []
        self.broker: ChaosBroker | None = None

    def stack(self, label: str, broker: ChaosBroker | None = None) -> tuple[Stack, str]:
        tag = f"yb_scale_{self.id}_{label}"
        if broker is None:
            subprocess.run(["rabbitmqctl", "-q", "add_vhost", tag], check=True, timeout=60)
            subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", tag, "guest", ".*",
                            ".*", ".*"], check=True, timeout=60)
            self.vhosts.append(tag)
            amqp = f"amqp://guest:guest@127.0.0.1:5672/{tag}"
        else:
            broker.ctl("add_vhost", tag)
            broker.ctl("set_permissions", "-p", tag, "guest", ".*", ".*", ".*")
            amqp = f"amqp://guest:guest@127.0.0.1:{broker.port}/{tag}?stack_timeout=90"
        stack = Stack(tag, amqp, self.base / label / "logs")
        self.stacks.append(stack)
        stack.create()
        return stack, tag

    def chaos_broker(self) -> ChaosBroker:
        self.broker = ChaosBroker(self.base / "broker", self.id.replace("_", ""))
        self.base.mkdir(parents=True, exist_ok=True)
        self.base.chmod(0o755)
        self.broker.start()
        return self.broker

    def close(self) -> None:
        for stack in self.stacks:
            stack.stop()
        if self.broker is not None:
            self.broker.stop()
        if self.keep:
            print(f"kept: databases {[s.tag for s in self.stacks]}_*, vhosts {self.vhosts}, "
                  f"logs {self.base}")
            return
        for stack in self.stacks:
            stack.drop()
        for vhost in self.vhosts:
            subprocess.run(["rabbitmqctl", "-q", "delete_vhost", vhost], check=False,
                           timeout=120, capture_output=True)
        subprocess.run(["rm", "-rf", str(self.base)], check=False)


def settle(stack: Stack) -> float:
    """``VACUUM (ANALYZE)`` every database of the stack; returns the seconds it took.

    What autovacuum does after a bulk load, done at once so that the pages are measured on
    the database a curator opens once the import has settled: right after a drain the
    visibility map is unset and the statistics stale, and the rankings' count of a tier then
    reads every heap page instead of its index (issue 16; ``--unsettled`` measures that too).
    """
    started = time.perf_counter()
    for service in SERVICES:
        with psycopg.connect(stack.dsn(service), autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - started


def _print_pages(n: int, when: str, times: dict[str, list[float]]) -> None:
    base = _p(times["trivial"], 0.99)
    print(f"  n={n} pages, {when}:", flush=True)
    for page, got in times.items():
        print(f"  n={n} {page:18} p50_ms={statistics.median(got):7.1f} "
              f"p99_ms={_p(got, 0.99):7.1f} ratio_to_trivial_hop={_p(got, 0.99) / base:5.1f}",
              flush=True)


def measure(run: Run, n: int, rounds: int, unsettled: bool = False
            ) -> tuple[Result, Stack, Files]:
    started = time.perf_counter()
    files = make_files(n)
    print(f"n={n}: {len(files.enterprises)} enterprise files, "
          f"{len(files.certifications.splitlines()) - 1} certificates, "
          f"{len(files.ip.splitlines()) - 1} IP items "
          f"(generated in {time.perf_counter() - started:.0f} s)", flush=True)
    stack, vhost = run.stack(f"n{n}")
    stack.up()
    drain = load_and_drain(stack, files, vhost)
    engine_s = engine_alone(stack.dsn("scoring"))
    print(f"n={n}: import {drain.import_s:.0f} s, drain {drain.drain_s:.0f} s "
          f"({drain.tail_s:.0f} s after the last import's commit; {drain.events} registry "
          f"events), engine alone {engine_s:.1f} s", flush=True)
    sizes = _sizes(stack)
    _freeze_ended_years(stack.url("registry"), stack.token)  # what the pages read
    _open_round(stack)
    _assign_curator(stack, files.firms, min(60, len(files.firms)))
    if unsettled:
        _print_pages(n, "right after the drain", pages(stack, files, rounds))
    print(f"n={n}: databases vacuumed and analysed in {settle(stack):.0f} s", flush=True)
    times = pages(stack, files, rounds)
    result = Result(n, drain, engine_s, times, sizes)
    _print_pages(n, "settled", times)
    for line in exports(stack):
        print(f"  n={n} {line}", flush=True)
    print(f"  n={n} database MiB: " + " ".join(f"{k}={v:.0f}"
                                                for k, v in result.sizes_mb.items()), flush=True)
    return result, stack, files


# --- faults --------------------------------------------------------------------------------


def _outcome(stack: Stack) -> tuple[dict[tuple[str, str], tuple[str, str]],
                                    collections.Counter[tuple[Any, ...]]]:
    with psycopg.connect(stack.dsn("scoring")) as conn:
        evaluations = {(u, t): (v, h) for u, t, v, h in conn.execute(
            "SELECT uscc, tier, verdict, profile_hash FROM evaluation")}
    with psycopg.connect(stack.dsn("notify")) as conn:
        notices = collections.Counter(conn.execute(
            "SELECT uscc, kind, tier, policy_code, pool FROM notices").fetchall())
    return evaluations, notices


def with_faults(run: Run, reference: Stack, files: Files, events: int) -> tuple[int, int, Drain]:
    """The same import on a broker node of the bench's own, with faults while it drains: each
    injected once the scoring consumer has taken that share of the reference run's events."""
    broker = run.chaos_broker()
    stack, vhost = run.stack("faults", broker)
    stack.up()
    plan = [(0.2, "scoring-consumer"), (0.4, "notify-consumer"), (0.6, "broker")]

    def faults(_now: float) -> None:
        consumed = _scalar(stack.dsn("scoring"), "SELECT count(*) FROM inbox") or 0
        while plan and (consumed >= plan[0][0] * events or _now == float("inf")):
            _share, what = plan.pop(0)
            print(f"  fault after {consumed} of {events} events: {what}", flush=True)
            if what == "broker":
                broker.restart()
            else:
                stack.kill(what)

    drain = load_and_drain(stack, files, vhost, broker, faults)
    if plan:  # not reached before the drain ended: injected now, then drained again
        print(f"  the drain ended before {[what for _f, what in plan]}", flush=True)
        faults(float("inf"))
        wait_drained(stack, vhost, broker, faults)
    ref_eval, ref_notices = _outcome(reference)
    got_eval, got_notices = _outcome(stack)
    lost = sum(1 for key, value in ref_eval.items() if got_eval.get(key) != value)
    lost += sum((ref_notices - got_notices).values())
    duplicates = sum((got_notices - ref_notices).values())
    duplicates += sum(1 for key in got_eval if key not in ref_eval)
    print(f"  faults: restarts {dict(stack.restarts)}; evaluations {len(got_eval)} "
          f"(reference {len(ref_eval)}), notices {sum(got_notices.values())} "
          f"(reference {sum(ref_notices.values())}); drain {drain.drain_s:.0f} s", flush=True)
    return lost, duplicates, drain


# --- main ------------------------------------------------------------------------------------


def _progress(stack: Stack) -> str:
    """How far a cut-off drain had come: firms imported, firms evaluated, notices."""
    queries = {"firms": ("registry", "SELECT count(*) FROM enterprise"),
               "registry_events": ("registry", "SELECT count(*) FROM outbox"),
               "consumed_by_scoring": ("scoring", "SELECT count(*) FROM inbox"),
               "evaluated": ("scoring", "SELECT count(DISTINCT uscc) FROM evaluation"),
               "notices": ("notify", "SELECT count(*) FROM notices")}
    try:
        return stack.tag + ": " + " ".join(
            f"{name}={_scalar(stack.dsn(service), query)}"
            for name, (service, query) in queries.items())
    except psycopg.Error as exc:
        return f"{stack.tag}: unreadable ({exc})"


def _deadline(value: str | None) -> int | None:
    if not value:
        return None
    if ":" in value:
        hour, minute = (int(x) for x in value.split(":"))
        now = datetime.now(UTC)
        end = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return max(1, int((end - now).total_seconds()))
    return int(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--small", action="store_true", help="10,000 only")
    parser.add_argument("--skip-faults", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the databases and vhosts")
    parser.add_argument("--rounds", type=int, default=20, help="page rounds per client")
    parser.add_argument("--unsettled", action="store_true",
                        help="also measure the pages right after the drain, before VACUUM")
    parser.add_argument("--deadline", help="HH:MM (UTC) or seconds: end everything then")
    args = parser.parse_args()
    n = 10_000 if args.small else args.n
    sizes = [n] if n <= 10_000 else [10_000, n]
    signal.signal(signal.SIGTERM, _raise)
    signal.signal(signal.SIGALRM, _raise)
    if (seconds := _deadline(args.deadline)) is not None:
        signal.alarm(seconds)
    run = Run(args.keep)
    results: dict[int, Result] = {}
    lost = duplicates = 0
    load = os.getloadavg()
    began = time.monotonic()
    try:
        for size in sizes:
            result, stack, files = measure(run, size, args.rounds, args.unsettled)
            results[size] = result
            if size != sizes[-1]:  # the smaller size is done with: free the machine
                stack.stop()
            elif not args.skip_faults:
                stack.stop()
                lost, duplicates, _ = with_faults(run, stack, files, result.drain.events)
    except DeadlineReached as exc:
        print(f"scale: stopped ({exc}) after {time.monotonic() - began:.0f} s: ending every "
              "process and dropping what the run made", file=sys.stderr)
        for stack in run.stacks[-1:]:
            print(f"scale: where it was: {_progress(stack)}", file=sys.stderr)
        raise SystemExit(2) from None
    finally:
        signal.alarm(0)
        run.close()
    big = results[sizes[-1]]
    worst, p99 = big.worst()
    small = results.get(10_000)
    # One size only (--small): growth is not measured, and the line says so ("-"), not 1.00.
    growth = (f"{p99 / _p(small.times[worst], 0.99):.2f}"
              if small is not None and small is not big else "-")
    faults = "" if args.skip_faults else f" lost={lost} duplicates={duplicates}"
    print(f"scale: machine load {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f} at start, "
          f"{os.cpu_count()} cores; database MiB per 100,000 firms: " + " ".join(
              f"{k}={v * 100_000 / big.n:.0f}" for k, v in big.sizes_mb.items()))
    print(f"scale: n={big.n} drain_s={big.drain.drain_s:.0f} "
          f"drain_ratio={big.drain.drain_s / big.engine_s:.1f} worst_page={worst} "
          f"page_p99_ms={p99:.0f} page_p99_ratio={p99 / big.trivial_p99:.1f} "
          f"growth={growth}" + (faults or " lost=- duplicates=-"))


if __name__ == "__main__":
    main()
