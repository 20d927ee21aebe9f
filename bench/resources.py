"""Memory and CPU of every Yumiao process while a bench drives it (k8s requests and limits).

Runs a bench command (``-- <command …>``) and samples, every ``--interval`` seconds, every
process in its tree from ``/proc`` (no third-party dependency): the resident set (``VmRSS``),
the kernel's own peak of it (``VmHWM``, so a spike between two samples is not missed) and the
CPU time the process consumed (``utime + stime``). Both are robust on a shared, busy machine:
neither counts the time a process waited for a core, unlike wall-clock throughput.

Processes are named by kind from their command line, as the pods run them: ``registry web``
(``gunicorn -c services/registry/gunicorn.conf.py``; its first process is the arbiter, the
others are workers), ``notify-consumer`` (``python -m notify.consumer``), … ; the bench's own
process is ``bench <script>`` (in-process work: ``bench/registry_import.py`` runs the very
function ``registry-jobs`` runs; ``bench/notify.py`` runs the relay and the sender as threads).
Per kind it prints the number of processes, the median of the per-process RSS over the run's
second half (``steady``), the largest ``VmHWM`` (``peak``) and the CPU seconds of all its
processes. Divide by the units of work the bench prints (requests, events, deliveries, rows).

``--serve registry|notify [--requests N]`` is a driver of its own for the web pods no bench
drives alone: it starts that service under its ``gunicorn.conf.py`` on a fresh SQLite file and
sends N ``GET /readyz`` (a database round trip), one at a time.

    .venv/bin/python bench/resources.py -- .venv/bin/python bench/gateway.py --seconds 3
    .venv/bin/python bench/resources.py --serve notify --requests 500
    .venv/bin/python bench/resources.py --pipeline 2000     # the default without arguments

``--pipeline N`` carries N imported enterprises through the workers, each its own process as
in its pod (see ``pipeline``); it prints the CPU per event of each worker less its start-up.
The figures and the requests they justify are in k8s/README.md ("Requests and limits,
measured").
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CONF = {s: ROOT / "services" / s / "gunicorn.conf.py" for s in ("registry", "scoring", "notify")}
CONF["gateway"] = ROOT / "gateway" / "gunicorn.conf.py"
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
WORKERS = {"registry.relay": "registry-relay", "registry.consumer": "registry-consumer",
           "registry.jobs": "registry-jobs", "scoring.relay": "scoring-relay",
           "scoring.consumer": "scoring-consumer", "scoring.jobs": "scoring-jobs",
           "notify.relay": "notify-relay", "notify.consumer": "notify-consumer",
           "notify.sender": "notify-sender"}


@dataclass
class Proc:
    pid: int
    ppid: int
    argv: list[str]
    rss: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, bytes)
    hwm: int = 0
    cpu: float = 0.0


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, CPU seconds, RSS bytes) from /proc/<pid>/stat; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            rest = fh.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    # Fields after the command: state(3) ppid(4) … utime(14) stime(15) … rss(24).
    return int(rest[1]), (int(rest[11]) + int(rest[12])) / TICK, int(rest[21]) * PAGE


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _argv(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return [a.decode(errors="replace") for a in fh.read().split(b"\0") if a]
    except (FileNotFoundError, ProcessLookupError):
        return []


class Sampler:
    """Samples the process tree under ``root`` until stopped; keeps the last reading of each."""

    def __init__(self, root: int, interval: float) -> None:
        self.root, self.interval = root, interval
        self.procs: dict[int, Proc] = {}
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Sampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> dict[int, tuple[int, float, int]]:
        parents: dict[int, tuple[int, float, int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit() and (got := _stat(int(entry))) is not None:
                parents[int(entry)] = got
        inside, grew = {self.root}, True
        while grew:
            more = {pid for pid, (ppid, *_rest) in parents.items()
                    if ppid in inside and pid not in inside}
            inside |= more
            grew = bool(more)
        return {pid: parents[pid] for pid in inside if pid in parents}

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic() - self.started
            for pid, (ppid, cpu, rss) in self._tree().items():
                proc = self.procs.get(pid)
                if proc is None:
                    proc = self.procs[pid] = Proc(pid, ppid, _argv(pid))
                proc.cpu = max(proc.cpu, cpu)
                proc.hwm = max(proc.hwm, _hwm(pid), rss)
                proc.rss.append((now, rss))
            self._stop.wait(self.interval)


def kind(proc: Proc, procs: dict[int, Proc]) -> str:
    """What the process is in a pod's terms (``registry web worker``, ``notify-consumer``…)."""
    argv = proc.argv
    if any(Path(a).name == "gunicorn" for a in argv[:2]):
        conf = next((a for a in argv if a.endswith("gunicorn.conf.py")), "")
        service = Path(conf).parent.name
        parent = procs.get(proc.ppid)
        role = "worker" if parent is not None and parent.argv == argv else "arbiter"
        return f"{service} web {role}"
    if "-m" in argv and (module := argv[argv.index("-m") + 1]) in WORKERS:
        return WORKERS[module]
    script = next((a for a in argv[1:] if a.endswith(".py")), None)
    if script is not None and "bench" in Path(script).parts:
        return f"bench {Path(script).name}" + (" (child)" if procs.get(proc.ppid) else "")
    if len(argv) > 1 and Path(argv[1]).name == "flask":
        return "flask"
    return Path(argv[0]).name if argv else "?"


def report(sampler: Sampler) -> list[str]:
    """One line per kind: processes, steady RSS (median over the run's second half), peak, CPU."""
    end = max((t for p in sampler.procs.values() for t, _ in p.rss), default=0.0)
    kinds: dict[str, list[Proc]] = {}
    for proc in sampler.procs.values():
        kinds.setdefault(kind(proc, sampler.procs), []).append(proc)
    lines = []
    for name, procs in sorted(kinds.items()):
        if name in {"rabbitmqctl", "sh", "?"}:
            continue
        # A zombie (exited, not yet reaped) reads as 0 bytes: not a sample of its memory.
        late = [r for p in procs for t, r in p.rss if t >= end / 2 and r] or [
            r for p in procs for _, r in p.rss if r]
        steady = statistics.median(late) / 2**20 if late else 0.0
        peak = max(p.hwm for p in procs) / 2**20
        cpu = sum(p.cpu for p in procs)
        lines.append(f"resources: kind={name.replace(' ', '_')} processes={len(procs)} "
                     f"steady_rss_mib={steady:.0f} peak_rss_mib={peak:.0f} cpu_s={cpu:.2f}")
    return lines


def _server_cpu(sampler: Sampler, arbiter: int) -> float:
    """CPU seconds so far of a gunicorn arbiter and its workers."""
    return sum(p.cpu for p in list(sampler.procs.values()) if arbiter in (p.pid, p.ppid))


def serve(service: str, path: str, requests_n: int, interval: float) -> None:
    """Start one web service under gunicorn (fresh SQLite) and send N ``GET <path>``."""
    import requests

    sys.path.insert(0, str(ROOT / "bench"))
    from scoring_http import free_port
    from scoring_http import wait_ready

    upper = service.upper()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {**os.environ, f"{upper}_BIND": f"127.0.0.1:{port}",
               f"{upper}_DATABASE_URL": f"sqlite:///{tmp}/{service}.db",
               f"{upper}_INTERNAL_TOKEN": secrets.token_urlsafe(24),
               f"{upper}_LOG_LEVEL": "WARNING", "GATEWAY_SECRET_KEY": secrets.token_urlsafe(32),
               "GATEWAY_ACCESS_LOG": ""}
        subprocess.run([str(BIN / "flask"), "--app", f"{service}.app", "migrate"], env=env,
                       check=True, capture_output=True)
        proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(CONF[service])],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sampler = Sampler(os.getpid(), interval).start()
        try:
            url = f"http://127.0.0.1:{port}"
            wait_ready(url + "/healthz")
            time.sleep(interval * 3)
            cpu_before = _server_cpu(sampler, proc.pid)
            statuses: dict[int, int] = {}
            with requests.Session() as session:
                for _ in range(requests_n):
                    status = session.get(url + path, timeout=30).status_code
                    statuses[status] = statuses.get(status, 0) + 1
            time.sleep(interval * 3)
            cpu_used = _server_cpu(sampler, proc.pid) - cpu_before
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            sampler.stop()
    print(f"{service} web: requests={requests_n} (GET {path}) start_up_cpu_s={cpu_before:.2f} "
          f"cpu_ms_per_request={cpu_used / requests_n * 1000:.2f} statuses={statuses}")
    for line in report(sampler):
        print(line)


def pipeline(n: int, interval: float) -> None:
    """registry import → ``registry.relay`` → ``scoring.consumer`` → ``scoring.relay`` →
    ``notify.consumer``, each worker its own process as in its pod, on fresh databases and vhost.

    The workers start first and idle; their CPU at that point (start-up) is subtracted, so the
    figure per event is the work the events caused. The import runs in this process with
    ``bench/registry_import.py``'s generator and ``run_job`` (what ``registry-jobs`` runs).
    """
    import psycopg

    sys.path.insert(0, str(ROOT / "bench"))
    from registry_import import make_csv
    from registry_import import real_import

    name = f"yb_res_{int(time.time())}_{secrets.token_hex(3)}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    services = ("registry", "scoring", "notify")
    with psycopg.connect(admin, autocommit=True) as conn:
        for service in services:
            conn.execute(f'CREATE DATABASE "{name}_{service}"')
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*",
                    ".*"], check=True)
    env = dict(os.environ)
    url = {s: f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}_{s}" for s in services}
    for service in services:
        upper = service.upper()
        env |= {f"{upper}_DATABASE_URL": url[service],
                f"{upper}_AMQP_URL": f"amqp://guest:guest@127.0.0.1:5672/{name}",
                f"{upper}_LOG_LEVEL": "WARNING", f"{upper}_WORKER_METRICS_PORT": "0",
                f"{upper}_INTERNAL_TOKEN": secrets.token_urlsafe(24)}
    workers: list[subprocess.Popen[bytes]] = []
    sampler = Sampler(os.getpid(), interval).start()
    try:
        for service in services:
            subprocess.run([str(BIN / "flask"), "--app", f"{service}.app", "migrate"], env=env,
                           check=True, capture_output=True)
        for module in ("scoring.consumer", "notify.consumer", "registry.relay",
                       "scoring.relay"):
            extra = ["--idle-exit", "25"] if module.endswith("consumer") else []
            workers.append(subprocess.Popen([sys.executable, "-m", module, *extra], env=env))
        time.sleep(15)  # start-up: imports, connections, topology
        start_up = {p.pid: p.cpu for p in list(sampler.procs.values())}
        data = make_csv(n)
        seconds, rows = real_import(url["registry"], data)
        for worker in workers[:2]:  # the consumers exit once idle for 25 s
            worker.wait(timeout=900)
        with psycopg.connect(url["scoring"].replace("+psycopg", ""), autocommit=True) as conn:
            produced = conn.execute("SELECT count(*) FROM outbox").fetchone()
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
        sampler.stop()
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], check=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            for service in services:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}_{service}" WITH (FORCE)')
    events = produced[0] if produced else 0
    print(f"pipeline: enterprises={n} figure_rows={rows} import_seconds={seconds:.1f} "
          f"scoring_events={events}")
    units = {"registry-relay": n, "scoring-consumer": n, "scoring-relay": events,
             "notify-consumer": events}
    for proc in list(sampler.procs.values()):
        name_ = kind(proc, sampler.procs)
        if name_ in units and units[name_]:
            used = proc.cpu - start_up.get(proc.pid, 0.0)
            print(f"resources: kind={name_} start_up_cpu_s={start_up.get(proc.pid, 0.0):.2f} "
                  f"units={units[name_]} cpu_ms_per_unit={used / units[name_] * 1000:.3f}")
    for line in report(sampler):
        print(line)


def sender(m: int, interval: float) -> None:
    """``python -m notify.sender`` as its own process pushing m signed webhooks to a sink.

    The deliveries are prepared as ``bench/notify.py`` prepares its webhook part (preferences
    with a webhook, eligibility events, the relay publishing the delivery requests), in this
    process; the sender starts first and idles, and its start-up CPU is subtracted.
    """
    import importlib.util

    import psycopg
    import requests

    spec = importlib.util.spec_from_file_location("bench_notify", ROOT / "bench" / "notify.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    name = f"yb_res_{int(time.time())}_{secrets.token_hex(3)}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    amqp = f"amqp://guest:guest@127.0.0.1:5672/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*",
                    ".*"], check=True)
    port_file = f"/tmp/{name}.port"
    sink = subprocess.Popen([sys.executable, str(ROOT / "bench" / "notify.py"), "--sink",
                             port_file])
    worker: subprocess.Popen[bytes] | None = None
    sampler = Sampler(os.getpid(), interval).start()
    try:
        while not os.path.exists(port_file):
            time.sleep(0.05)
        time.sleep(0.2)
        with open(port_file) as fh:
            port = int(fh.read().strip())
        env = {**os.environ, "NOTIFY_DATABASE_URL": url, "NOTIFY_AMQP_URL": amqp,
               "NOTIFY_LOG_LEVEL": "WARNING", "NOTIFY_WORKER_METRICS_PORT": "0",
               "NOTIFY_INTERNAL_TOKEN": secrets.token_urlsafe(24),
               "NOTIFY_WEBHOOK_ALLOWED_TARGETS": '["127.0.0.1/32"]',
               "NOTIFY_WEBHOOK_ALLOWED_PORTS": f"[{port}]"}
        subprocess.run([str(BIN / "flask"), "--app", "notify.app", "migrate"], env=env,
                       check=True, capture_output=True)
        sessions = bench.make_session_factory(bench.make_engine(url))
        with sessions.begin() as session:
            bench.create_policy(session, data=dict(
                code="bench_hook-award", trigger="eligible", tier="bench_hook",
                name_zh="基准奖励", name_en="bench award", summary_zh="测", summary_en="t",
                benefit_zh="奖励", benefit_en="award", amount_yuan=100000,
                source_document="doc"), actor="bench", reason="bench")
            session.execute(bench.insert(bench.Preference), [dict(
                uscc=bench.uscc(10_000_000 + i), language="zh-CN",
                channels=["inapp", "webhook"], webhook_url=f"http://127.0.0.1:{port}/hook",
                webhook_secret=bench.SECRET, version=1) for i in range(m)])
        bench.declare_topology(amqp, bench.RELAY_QUEUES)
        worker = subprocess.Popen([sys.executable, "-m", "notify.sender"], env=env)
        time.sleep(15)  # start-up
        start_up = next((p.cpu for p in list(sampler.procs.values())
                         if p.pid == worker.pid), 0.0)
        templates = bench.TemplateSet()
        for start in range(0, m, 1000):
            with sessions.begin() as session:
                bench.process_events(session, [bench.event(10_000_000 + i, "bench_hook")
                                               for i in range(start, min(m, start + 1000))],
                                     templates=templates, weekly_cap=5)
        bench.run_relay(amqp, bench.make_engine(url), bench.outbox_table,
                        bench.RelayConfig(once=True), registry=bench.RELAY_QUEUES)
        deadline = time.monotonic() + 600
        while int(requests.get(f"http://127.0.0.1:{port}/count", timeout=10).text) < m:
            if time.monotonic() > deadline:
                raise RuntimeError("the sender did not push every delivery in 10 minutes")
            time.sleep(0.2)
        time.sleep(interval * 3)
        used = next(p.cpu for p in list(sampler.procs.values()) if p.pid == worker.pid)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        sink.terminate()
        sampler.stop()
        if os.path.exists(port_file):
            os.remove(port_file)
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], check=False)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"resources: kind=notify-sender start_up_cpu_s={start_up:.2f} units={m} "
          f"cpu_ms_per_unit={(used - start_up) / m * 1000:.3f}")
    for line in report(sampler):
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between samples")
    parser.add_argument("--serve", choices=["registry", "notify", "scoring", "gateway"])
    parser.add_argument("--path", default="/readyz", help="what --serve requests")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--pipeline", type=int, default=0,
                        help="enterprises to import and carry through the workers")
    parser.add_argument("--sender", type=int, default=0,
                        help="webhook deliveries for a notify.sender process to push")
    parser.add_argument("command", nargs="*", help="the bench to run (after --)")
    args = parser.parse_args()
    if args.pipeline:
        pipeline(args.pipeline, args.interval)
        return
    if args.sender:
        sender(args.sender, args.interval)
        return
    if args.serve:
        serve(args.serve, args.path, args.requests, args.interval)
        return
    if not args.command:  # `make bench` runs every bench bare: the workers' pipeline then
        pipeline(2000, args.interval)
        return
    child = subprocess.Popen(args.command, cwd=ROOT)
    sampler = Sampler(child.pid, args.interval).start()
    code = child.wait()
    sampler.stop()
    print(f"resources: command={' '.join(args.command)!r} exit={code} "
          f"date={time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}")
    for line in report(sampler):
        print(line)
    raise SystemExit(code)


if __name__ == "__main__":
    main()
