"""A gunicorn worker whose request overruns the timeout is ended and replaced (issue 9, item 1).

gthread workers keep sending their heartbeat while a request thread burns CPU, so gunicorn's
own timeout never fired: one ``1E+999999`` what-if held a scoring worker for 13 minutes. These
tests start a real gunicorn with the scoring service's gunicorn.conf.py (a tiny app in place of
the service, a 2 s timeout) and check that the next request is served by a new worker.
"""

from __future__ import annotations

import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[3]
CONF_FILES = ["services/registry/gunicorn.conf.py", "services/scoring/gunicorn.conf.py",
              "services/notify/gunicorn.conf.py", "gateway/gunicorn.conf.py"]
TINY_APP = '''
import os, time

def app(environ, start_response):
    if environ["PATH_INFO"] == "/burn":
        end = time.monotonic() + 30
        while time.monotonic() < end:
            sum(range(10000))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
'''


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pid(base: str) -> int:
    return int(requests.get(base + "/pid", timeout=5).text)


@pytest.fixture
def gunicorn_server(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "tiny_app.py").write_text(TINY_APP)
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen(
        [gunicorn, "-c", str(ROOT / "services/scoring/gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2", "--timeout", "2",
         "--graceful-timeout", "1", "--pythonpath", str(tmp_path), "tiny_app:app"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "WEB_CONCURRENCY": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                _pid(base)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_a_request_past_the_timeout_ends_its_worker_and_a_new_one_serves(
    gunicorn_server: str,
) -> None:
    first = _pid(gunicorn_server)
    burn = threading.Thread(target=_burn, args=(gunicorn_server,), daemon=True)
    started = time.monotonic()
    burn.start()
    time.sleep(0.3)
    assert _pid(gunicorn_server) == first  # the other thread still answers meanwhile
    replaced = None
    while time.monotonic() - started < 8:
        try:
            pid = _pid(gunicorn_server)
        except requests.RequestException:
            pid = first
        if pid != first:
            replaced = pid
            break
        time.sleep(0.2)
    assert replaced is not None, "the worker burning CPU past its 2 s timeout was not replaced"
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # the old worker is gone, not merely idle


def _burn(base: str) -> None:
    try:
        requests.get(base + "/burn", timeout=15)
    except requests.RequestException:
        pass  # the connection is cut when the worker ends: that is the point


@pytest.mark.parametrize("conf", CONF_FILES)
def test_every_service_bounds_and_recycles_its_workers(conf: str) -> None:
    settings = runpy.run_path(str(ROOT / conf))
    assert 0 < settings["timeout"] <= 150
    assert 0 < settings["graceful_timeout"] <= 25  # k8s grace 30 s minus the 5 s preStop
    # Imports and re-evaluations run in the jobs workers (python -m <svc>.jobs), not in web
    # workers, so every web worker may be recycled.
    assert settings["max_requests"] > 0 and settings["max_requests_jitter"] > 0
    for hook in ("post_fork", "pre_request", "post_request"):
        assert callable(settings[hook]), hook
