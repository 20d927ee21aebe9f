"""``/metrics`` under gunicorn counts the requests of every worker (issue 11, item 3).

Each gunicorn worker is a process with its own counters: a scrape used to show whichever
worker answered it (60 requests, one scrape counted 50). A real gunicorn with the notify
service's gunicorn.conf.py (prometheus multiprocess mode) and two workers serves a small app
wired by ``configure_app``; after 60 requests every scrape counts 60, and the metrics
directory of the process group is gone once the server stops.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
WIRED_APP = '''
import os
import time

from flask import Flask

from yumiao_common.settings import CommonSettings
from yumiao_common.web.wiring import configure_app

app = Flask("wired")
configure_app(app, CommonSettings(service_name="wired", demo_mode=True))


@app.get("/pid")
def pid() -> str:
    time.sleep(0.02)  # long enough that a busy worker leaves the next request to the other
    return str(os.getpid())
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    (tmp_path / "wired_app.py").write_text(WIRED_APP)
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    proc = subprocess.Popen(
        [gunicorn, "-c", str(ROOT / "services/notify/gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "1",
         "--max-requests", "0", "--pythonpath", str(tmp_path), "wired_app:app"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**env, "TMPDIR": str(tmp_path)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                requests.get(base + "/healthz", timeout=5)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        yield base, proc, tmp_path
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _pid_requests(base: str) -> float:
    body = requests.get(base + "/metrics", timeout=5).text
    return sum(sample.value for family in text_string_to_metric_families(body)
               for sample in family.samples
               if sample.name == "http_requests_total" and sample.labels["endpoint"] == "/pid")


def test_a_scrape_counts_the_requests_of_every_worker(
    server: tuple[str, subprocess.Popen[bytes], Path],
) -> None:
    base, proc, tmp = server
    def one(_n: int) -> str:
        with requests.Session() as fresh:  # a new connection: either worker may take it
            return fresh.get(base + "/pid", timeout=5).text

    with ThreadPoolExecutor(4) as pool:  # one thread per worker: both take a share
        pids = set(pool.map(one, range(60)))
    assert len(pids) == 2, "both workers should have served some of the 60 requests"
    for _ in range(5):  # whichever worker answers the scrape
        assert _pid_requests(base) == 60

    (metrics_dir,) = tmp.glob(f"yumiao-metrics-notify-{proc.pid}")
    assert any(metrics_dir.iterdir())
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)
    assert not metrics_dir.exists()
