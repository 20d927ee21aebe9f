"""Gateway overhead: the eligibility self-check through gateway → scoring vs a trivial hop.

Starts scoring and the gateway under gunicorn as subprocesses (each with its own
``gunicorn.conf.py``, the same ``WEB_CONCURRENCY``, fresh migrated SQLite files, one shared
internal token) on free ports. A second process — ``wrk`` when installed (C, so the load
generator does not eat the CPU it measures), else a Python load generator with threads and
keep-alive sessions — drives 32 connections for a bounded time (short slices, the loads
interleaved so a noisy shared machine weighs on each alike) at:

1. ``POST /api/v1/eligibility/check`` (gateway → scoring ``/api/v1/evaluate``, a real profile);
2. ``GET /internal/upstreams/scoring/healthz`` (gateway → scoring ``/healthz``): the same
   gateway code path (rate limits, pooled client, response conversion) to a trivial endpoint.

Rate limits stay on (same code path as production) but are set far above the load, so they
never refuse a bench request. The last line is
``gateway: rps=X p99_ms=P ratio_to_trivial_hop=R p99_ratio=Q errors=E`` (targets: R >= 0.5,
Q <= 2, E = 0). Run: ``.venv/bin/python bench/gateway.py [--seconds 4] [--connections 32]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
from scoring_http import PROFILE  # noqa: E402  (one sample profile for every bench)
from scoring_http import free_port  # noqa: E402
from scoring_http import wait_ready  # noqa: E402

CHECK = "/api/v1/eligibility/check"
TRIVIAL = "/internal/upstreams/scoring/healthz"


@dataclass(frozen=True)
class Run:
    rps: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Stack:
    procs: list[subprocess.Popen[bytes]]
    gateway: str
    scoring: str
    token: str


def start_stack(tmp: Path, workers: int) -> Stack:
    scoring_port, gateway_port = free_port(), free_port()
    token = secrets.token_urlsafe(24)
    env = {**os.environ, "WEB_CONCURRENCY": str(workers),
           "SCORING_BIND": f"127.0.0.1:{scoring_port}",
           "SCORING_DATABASE_URL": f"sqlite:///{tmp}/scoring.db",
           "SCORING_INTERNAL_TOKEN": token, "SCORING_LOG_LEVEL": "WARNING",
           "GATEWAY_BIND": f"127.0.0.1:{gateway_port}",
           "GATEWAY_DATABASE_URL": f"sqlite:///{tmp}/gateway.db",
           "GATEWAY_INTERNAL_TOKEN": token, "GATEWAY_SECRET_KEY": secrets.token_urlsafe(32),
           "GATEWAY_SCORING_URL": f"http://127.0.0.1:{scoring_port}",
           "GATEWAY_LOG_LEVEL": "WARNING", "GATEWAY_ACCESS_LOG": "",
           "GATEWAY_RATELIMIT_ELIGIBILITY": "10000000 per minute",
           "GATEWAY_RATELIMIT_PER_PRINCIPAL": "10000000 per minute",
           "GATEWAY_RATELIMIT_PER_ADDRESS": "10000000 per minute"}
    for app in ("scoring.app", "gateway.app"):
        subprocess.run([str(BIN / "flask"), "--app", app, "migrate"], env=env, check=True,
                       capture_output=True)
    procs = [subprocess.Popen([str(BIN / "gunicorn"), "-c", str(conf)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for conf in (ROOT / "services/scoring/gunicorn.conf.py",
                          ROOT / "gateway/gunicorn.conf.py")]
    stack = Stack(procs, f"http://127.0.0.1:{gateway_port}", f"http://127.0.0.1:{scoring_port}",
                  token)
    wait_ready(stack.scoring + "/healthz")
    wait_ready(stack.gateway + TRIVIAL)
    return stack


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(url: str, body: bytes | None, seconds: int, connections: int, tmp: Path,
        headers: dict[str, str]) -> Run:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    lines = [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    if body is not None:
        lines += ['wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"',
                  f"wrk.body = {json.dumps(body.decode())}"]
    script = tmp / "request.lua"
    script.write_text("\n".join(lines) + "\n")
    args += ["-s", str(script)]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)\b", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    errors += sum(int(x) for x in sock.groups()) if sock else 0
    return Run(rps, _ms(*p99.groups()) if p99 else float("nan"), errors)


def python_load(url: str, body: bytes | None, seconds: int, connections: int,
                headers: dict[str, str]) -> Run:
    """Fallback when wrk is absent: threads with keep-alive sessions (slower generator)."""
    import threading

    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds

    def worker() -> None:
        with requests.Session() as session:
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    resp = (session.post(url, data=body, timeout=10,
                                         headers={**headers,
                                                  "Content-Type": "application/json"})
                            if body is not None else session.get(url, timeout=10,
                                                                 headers=headers))
                    ok = resp.status_code == 200
                except requests.RequestException:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    return Run(len(latencies) / seconds, p99, errors[0])


def load(url: str, body: bytes | None, seconds: int, connections: int, tmp: Path,
         headers: dict[str, str] | None = None) -> Run:
    if shutil.which("wrk"):
        return wrk(url, body, seconds, connections, tmp, headers or {})
    return python_load(url, body, seconds, connections, headers or {})


def interleaved(runs: list[tuple[str, str, bytes | None, dict[str, str]]], rounds: int,
                seconds: int, connections: int, tmp: Path) -> dict[str, Run]:
    """Alternate the loads in short slices so background load on a shared machine hits each
    alike; rps is the mean over slices, p99 the median of the slices' p99, errors summed."""
    slices: dict[str, list[Run]] = {name: [] for name, *_ in runs}
    for index in range(rounds):
        order = runs if index % 2 == 0 else list(reversed(runs))
        for name, url, body, headers in order:
            slices[name].append(load(url, body, seconds, connections, tmp, headers))
    return {name: Run(statistics.fmean(r.rps for r in got),
                      statistics.median(r.p99_ms for r in got), sum(r.errors for r in got))
            for name, got in slices.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=4, help="length of one slice")
    parser.add_argument("--rounds", type=int, default=3, help="slices per load, interleaved")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))
    args = parser.parse_args()
    body = json.dumps(PROFILE).encode()
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        stack = start_stack(tmp, args.workers)
        base = stack.gateway
        try:
            check = requests.post(base + CHECK, data=body, timeout=10,
                                  headers={"Content-Type": "application/json"})
            if check.status_code != 200:
                raise SystemExit(f"eligibility check answered {check.status_code}: "
                                 f"{check.text[:300]}")
            load(base + CHECK, body, 2, args.connections, tmp)  # warm-up, both paths
            load(base + TRIVIAL, None, 2, args.connections, tmp)
            results = interleaved([
                ("trivial", base + TRIVIAL, None, {}),
                ("check", base + CHECK, body, {}),
                # Context only (not a target): scoring's what-if answered directly.
                ("direct", stack.scoring + "/api/v1/evaluate", body,
                 {"X-Internal-Token": stack.token}),
            ], args.rounds, args.seconds, args.connections, tmp)
            trivial, real, direct = results["trivial"], results["check"], results["direct"]
        finally:
            for proc in stack.procs:
                proc.terminate()
            for proc in stack.procs:
                proc.wait(timeout=30)
    generator = "wrk" if shutil.which("wrk") else "python"
    print(f"trivial hop ({TRIVIAL}): rps={trivial.rps:.0f} p99_ms={trivial.p99_ms:.2f} "
          f"errors={trivial.errors}  [{generator}, {args.connections} connections, "
          f"{args.rounds}x{args.seconds}s interleaved, WEB_CONCURRENCY={args.workers}]")
    print(f"scoring /api/v1/evaluate direct (no gateway): rps={direct.rps:.0f} "
          f"p99_ms={direct.p99_ms:.2f} errors={direct.errors}; through the gateway "
          f"{real.rps / direct.rps:.0%} of that")
    print(f"gateway: rps={real.rps:.0f} p99_ms={real.p99_ms:.2f} "
          f"ratio_to_trivial_hop={real.rps / trivial.rps:.2f} "
          f"p99_ratio={real.p99_ms / trivial.p99_ms:.2f} errors={real.errors + trivial.errors}")


if __name__ == "__main__":
    main()
