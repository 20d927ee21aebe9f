"""What-if requests through gunicorn: p50/p99 latency at 8 concurrent keep-alive clients.

Starts the scoring app under gunicorn on a free port (its own SQLite file, migrated first),
then 8 client threads, each with one keep-alive ``requests.Session``, post the same valid
profile N times in total to ``POST /api/v1/evaluate`` (``--view summary`` adds
``?view=summary``: the compact answer the gateway's self-check uses). Prints one line:
``scoring_http: requests=N clients=C workers=W view=V bytes=B p50_ms=… p99_ms=… rps=…``
(B: size of one answer).

``bench/scoring.py`` (the engine benchmark) calls ``measure()``; it also runs on its own:
``.venv/bin/python bench/scoring_http.py [--requests N] [--clients C] [--workers W]
[--view full|summary|both]`` (``both`` loads the two views one after the other on the same
gunicorn, full first).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
GUNICORN_CONF = ROOT / "services" / "scoring" / "gunicorn.conf.py"

#: The golden example profile (tests/contracts/), over three years so every growth rate reads.
PROFILE: dict[str, Any] = {
    **json.loads((ROOT / "tests" / "contracts" / "profile.example.json").read_text("utf-8")),
    "financials": [
        {"year": y, "employees": 120, "science_staff": 30, "rd_staff": 20,
         "operating_revenue": r, "sales_revenue": r, "main_business_revenue": r,
         "total_income": r, "hightech_revenue": r * 7 // 10, "rd_expense": r // 18,
         "rd_expense_domestic": r // 18, "total_assets": 60_000_000,
         "total_liabilities": 30_000_000, "net_profit": 4_000_000}
        for y, r in ((2022, 36_000_000), (2023, 42_000_000), (2024, 48_000_000))
    ],
}


@dataclass(frozen=True)
class Figures:
    requests: int
    clients: int
    workers: int
    p50_ms: float
    p99_ms: float
    rps: float
    view: str = "full"
    answer_bytes: int = 0

    def line(self) -> str:
        return (f"scoring_http: requests={self.requests} clients={self.clients} "
                f"workers={self.workers} view={self.view} bytes={self.answer_bytes} "
                f"p50_ms={self.p50_ms:.2f} p99_ms={self.p99_ms:.2f} rps={self.rps:.0f}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int, workers: int, db_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SCORING_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers),
           "SCORING_DATABASE_URL": db_url, "SCORING_LOG_LEVEL": "WARNING"}
    env.pop("SCORING_INTERNAL_TOKEN", None)
    env["SCORING_DEMO_MODE"] = "true"  # no gateway in front: may start without the token
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "flask"), "--app", "scoring.app", "migrate"], env=env,
                   check=True, capture_output=True)
    return subprocess.Popen([str(bin_dir / "gunicorn"), "-c", str(GUNICORN_CONF)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_ready(url: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def _client(url: str, body: bytes, count: int, out: list[float]) -> int:
    headers = {"Content-Type": "application/json"}
    size = 0
    with requests.Session() as session:
        for _ in range(count):
            started = time.perf_counter()
            resp = session.post(url, data=body, headers=headers, timeout=30)
            out.append(time.perf_counter() - started)
            if resp.status_code != 200:
                raise RuntimeError(f"what-if answered {resp.status_code}: {resp.text[:300]}")
            size = len(resp.content)
    return size


def load(url: str, total: int, clients: int) -> tuple[list[float], float, int]:
    body = json.dumps(PROFILE).encode()
    size = _client(url, body, 20, [])  # warm-up: imports, rulebook load, connection pools
    per = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    samples: list[list[float]] = [[] for _ in range(clients)]
    threads = [threading.Thread(target=_client, args=(url, body, n, s))
               for n, s in zip(per, samples, strict=True)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [x for s in samples for x in s], time.perf_counter() - started, size


def measure_views(total: int = 4000, clients: int = 8, workers: int = 2,
                  views: tuple[str, ...] = ("full",)) -> list[Figures]:
    """Run gunicorn, load it once per view, stop it; the latency figures in milliseconds."""
    port = free_port()
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        proc = start_gunicorn(port, workers, f"sqlite:///{tmp}/bench-scoring.db")
        try:
            wait_ready(f"http://127.0.0.1:{port}/healthz")
            for view in views:
                url = f"http://127.0.0.1:{port}/api/v1/evaluate"
                if view != "full":
                    url += f"?view={view}"
                latencies, elapsed, size = load(url, total, clients)
                cuts = statistics.quantiles(latencies, n=100, method="inclusive")
                found.append(Figures(len(latencies), clients, workers, cuts[49] * 1000,
                                     cuts[98] * 1000, len(latencies) / elapsed, view, size))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return found


def measure(total: int = 4000, clients: int = 8, workers: int = 2, view: str = "full"
            ) -> Figures:
    """Run gunicorn, load it, stop it; the latency figures in milliseconds."""
    return measure_views(total, clients, workers, (view,))[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    parser.add_argument("--view", choices=("full", "summary", "both"), default="full")
    args = parser.parse_args(argv)
    views = ("full", "summary") if args.view == "both" else (args.view,)
    for figures in measure_views(args.requests, args.clients, args.workers, views):
        print(figures.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
