"""Control of this machine's RabbitMQ for the suite: vhosts on the shared broker, and a broker
node of the run's own for the tests that restart one.

Why chaos tests get their own node: restarting the machine's broker (``stop_app``/``start_app``
or the whole node) made every other broker test of the run — and of any other run on the
machine — wait while the broker recovered the quorum queues of every test vhost alive (hundreds:
minutes on two busy cores). Twice it came back without ``rabbit_fifo_dlx_sup`` (every quorum
queue with dead-lettering answered 541), once with a listener that accepted TCP and finished no
handshake, and CI failed on tests that had nothing to do with the restart. ``ChaosBroker``
starts a second RabbitMQ node (same installation, its own name, port, data and log directory)
that holds only the chaos test's queues; restarting it is a real node restart, as a crashed
broker pod's, and it costs the shared broker nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

AMQP_HOST = os.environ.get("YUMIAO_TEST_AMQP_HOST", "127.0.0.1:5672")
HANDSHAKE_TIMEOUT = 90  # seconds for TCP + AMQP bring-up of a test's connection to its vhost
CTL_TIMEOUT = 60  # a rabbitmqctl call that takes longer is talking to a wedged broker
START_TIMEOUT = 300  # a node recovering hundreds of quorum queues takes minutes
_PROTOCOL_HEADER = b"AMQP\x00\x00\x09\x01"


def rabbitmqctl(*args: str, timeout: float = CTL_TIMEOUT) -> str:
    result = subprocess.run(
        ["rabbitmqctl", "-q", *args], check=True, capture_output=True, text=True, timeout=timeout
    )
    return result.stdout


def answers_handshake(timeout: float = 15.0, host_port: str = AMQP_HOST) -> bool:
    """Whether the broker answers an AMQP protocol header with ``Connection.Start`` in time."""
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(_PROTOCOL_HEADER)
            return sock.recv(1) == b"\x01"  # a METHOD frame: Connection.Start
    except OSError:
        return False


def _wait_started() -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            rabbitmqctl("await_startup", timeout=30)
            if answers_handshake(timeout=10):
                return
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"RabbitMQ did not come back within {START_TIMEOUT} s")


def ensure_answering() -> None:
    """Wait for a broker that does not complete a handshake (booting, or recovering its quorum
    queues after a restart) instead of failing the test at pika's first timeout.

    It never kills the broker: other tests and other runs share it, and a broker that is slow
    because it is busy would only be set back to the start of its recovery.
    """
    if answers_handshake():
        return
    print("\nRabbitMQ accepted no AMQP handshake in 15 s: waiting for it", file=sys.stderr)
    _wait_started()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_rabbitmq(command: str, timeout: float = CTL_TIMEOUT) -> None:
    """Run a RabbitMQ command as its user (the node's files and cookie belong to it)."""
    subprocess.run(["su", "rabbitmq", "-s", "/bin/sh", "-c", f"cd /var/lib/rabbitmq; {command}"],
                   check=True, capture_output=True, text=True, timeout=timeout)


class ChaosBroker:
    """A RabbitMQ node of this test run alone, for tests that restart the broker."""

    def __init__(self, base: Path, run_id: str) -> None:
        self.dir = base
        self.node = f"yt-chaos-{run_id}@localhost"
        self.port = _free_port()
        self.dist_port = _free_port()
        self._vhosts = 0

    def _env(self) -> str:
        d = self.dir
        return " ".join([
            f"RABBITMQ_CONF_ENV_FILE={d}/rabbitmq-env.conf", f"RABBITMQ_NODENAME={self.node}",
            f"RABBITMQ_NODE_PORT={self.port}", f"RABBITMQ_DIST_PORT={self.dist_port}",
            f"RABBITMQ_CONFIG_FILE={d}/rabbitmq.conf", f"RABBITMQ_MNESIA_BASE={d}/mnesia",
            f"RABBITMQ_LOG_BASE={d}/log", f"RABBITMQ_ENABLED_PLUGINS_FILE={d}/enabled_plugins",
            f"RABBITMQ_PID_FILE={d}/pid",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'",
        ])

    def ctl(self, *args: str, timeout: float = CTL_TIMEOUT) -> None:
        quoted = " ".join(f"'{a}'" for a in args)
        _as_rabbitmq(f"/usr/lib/rabbitmq/bin/rabbitmqctl -q -n {self.node} {quoted}", timeout)

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{self.port}\n")
        (self.dir / "enabled_plugins").write_text("[].\n")
        (self.dir / "rabbitmq-env.conf").write_text("")
        subprocess.run(["chown", "-R", "rabbitmq", str(self.dir)], check=True)
        _as_rabbitmq(f"{self._env()} /usr/lib/rabbitmq/bin/rabbitmq-server -detached")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                self.ctl("await_startup", timeout=30)
                if answers_handshake(timeout=10, host_port=f"127.0.0.1:{self.port}"):
                    return
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"RabbitMQ node {self.node} did not start within {START_TIMEOUT} s")

    def stop(self) -> None:
        try:
            self.ctl("stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pass

    def restart(self) -> None:
        """Stop the node and start it again: connections drop, durable state stays."""
        self.ctl("stop")
        self.start()

    def make_vhost(self) -> str:
        """A fresh vhost on this node; its AMQP URL."""
        name = f"chaos_{self._vhosts}"
        self._vhosts += 1
        self.ctl("add_vhost", name)
        self.ctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
        return (f"amqp://guest:guest@127.0.0.1:{self.port}/{name}"
                f"?stack_timeout={HANDSHAKE_TIMEOUT}")


class RabbitMQ:
    """Control of the local broker for chaos tests and vhost lifecycle."""

    def add_vhost(self, name: str) -> str:
        ensure_answering()
        rabbitmqctl("add_vhost", name)
        rabbitmqctl("set_permissions", "-p", name, "guest", ".*", ".*", ".*")
        # A full run keeps the broker busy (quorum queues of every vhost, vhosts added and
        # deleted by parallel runs): it has missed pika's 15 s handshake timeout. Tests wait
        # for a slow broker instead of failing on it.
        return f"amqp://guest:guest@{AMQP_HOST}/{name}?stack_timeout={HANDSHAKE_TIMEOUT}"

    def delete_vhost(self, name: str) -> None:
        """Best effort: a vhost left behind is swept by a later run (``yt_`` and its age)."""
        try:
            subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], capture_output=True,
                           timeout=CTL_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            print(f"\nRabbitMQ did not delete vhost {name} in {CTL_TIMEOUT} s", file=sys.stderr)
