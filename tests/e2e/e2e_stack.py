"""The whole stack for e2e tests, started exactly as ``make up`` starts it (fixture + helpers).

``stack`` (session scope) runs ``scripts/dev-up.sh`` as a subprocess with its own data
directory under ``var/`` (the script builds SQLite URLs from ``$PWD/$YUMIAO_VAR_DIR``, so the
directory must be relative to the repository) and its own RabbitMQ vhost, waits for the
"running" banner, and stops it with SIGINT — the script's own Ctrl-C path — at the end.
dev-up.sh binds the fixed ports 8000–8003; if any is taken the fixture fails at once, naming
the port, rather than testing somebody else's stack.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PORTS = (8000, 8001, 8002, 8003)
BASE_URL = "http://127.0.0.1:8000"
BANNER = "is running"
START_TIMEOUT = 480.0  # a loaded 2-CPU machine takes over 4 minutes (3,000 demo firms)
STOP_TIMEOUT = 30.0
PASSWORD = "yumiao-e2e-demo"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).parent / "screenshots"


@dataclass
class Stack:
    """A running stack: its URL, the demo enterprises it printed, its output so far."""

    base_url: str
    password: str
    enterprises: list[str]
    output: list[str] = field(default_factory=list)
    #: A loopback port notify may push webhooks to (the bureau's allow-list), for a test sink.
    webhook_port: int = 0

    def tail(self, lines: int = 40) -> str:
        return "".join(self.output[-lines:])


def _taken(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pump(proc: subprocess.Popen[str], output: list[str], seen: threading.Event) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        output.append(line)
        if BANNER in line:
            seen.set()


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)  # dev-up.sh traps it and stops every service it started
    try:
        proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)  # its own process group (start_new_session)
        proc.wait(STOP_TIMEOUT)


@pytest.fixture(scope="session")
def stack(make_amqp_vhost: Callable[[], str]) -> Iterator[Stack]:
    busy = [port for port in PORTS if _taken(port)]
    if busy:
        pytest.fail(f"e2e: ports {busy} are in use — stop the other stack (make up) first; "
                    "dev-up.sh needs 8000–8003 free", pytrace=False)
    var_dir = f"var/e2e-{uuid.uuid4().hex[:8]}"
    webhook_port = _free_port()
    env = {**os.environ, "YUMIAO_VAR_DIR": var_dir, "YUMIAO_DEMO_PASSWORD": PASSWORD,
           "YUMIAO_AMQP_URL": make_amqp_vhost(), "PYTHONUNBUFFERED": "1",
           "NOTIFY_WEBHOOK_ALLOWED_TARGETS": '["127.0.0.1/32"]',
           "NOTIFY_WEBHOOK_ALLOWED_PORTS": f"[{webhook_port}]",
           # Every journey signs in from 127.0.0.1, a dozen and more times a minute when the
           # machine is quick: the sign-in limits (tested in tests/gateway) would refuse them.
           "GATEWAY_RATELIMIT_LOGIN": "600 per minute",
           "GATEWAY_RATELIMIT_LOGIN_ACCOUNT": "600 per 15 minutes"}
    proc = subprocess.Popen(["scripts/dev-up.sh"], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    output: list[str] = []
    seen = threading.Event()
    threading.Thread(target=_pump, args=(proc, output, seen), daemon=True).start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not seen.wait(1.0):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("e2e: make up did not come up:\n" + "".join(output[-40:]),
                            pytrace=False)
        usccs = re.findall(r"^\s+([0-9A-Z]{18})\s+enterprise", "".join(output), re.M)
        yield Stack(BASE_URL, PASSWORD, usccs, output, webhook_port)
    finally:
        _stop(proc)
        shutil.rmtree(REPO / var_dir, ignore_errors=True)


def poll(check: Callable[[], object], *, timeout: float, every: float = 0.5,
         what: str = "condition") -> object:
    """Call ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"e2e: timed out after {timeout:.0f}s waiting for {what}", pytrace=False)
        time.sleep(every)
