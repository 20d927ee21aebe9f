"""Control of this machine's RabbitMQ for the suite: vhosts, a real restart, and recovery.

Why not ``stop_app``/``start_app``: restarting the broker's application inside the same Erlang
VM, run after run, has twice left RabbitMQ 3.10 without ``rabbit_fifo_dlx_sup`` (every quorum
queue with dead-lettering then answers 541) and once with a listener that accepted TCP but
never finished an AMQP handshake, which failed every later broker test of that run. A chaos
test now restarts the whole node, as a crashed or rescheduled broker pod would be, and every
vhost the suite creates first checks that the broker still completes a handshake; one that
does not is killed and started again (with a warning on stderr), so one wedged broker costs a
test run ten seconds instead of every broker test after it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

AMQP_HOST = os.environ.get("YUMIAO_TEST_AMQP_HOST", "127.0.0.1:5672")
HANDSHAKE_TIMEOUT = 90  # seconds for TCP + AMQP bring-up of a test's connection to its vhost
CTL_TIMEOUT = 60  # a rabbitmqctl call that takes longer is talking to a wedged broker
START_TIMEOUT = 90
_PROTOCOL_HEADER = b"AMQP\x00\x00\x09\x01"


def rabbitmqctl(*args: str, timeout: float = CTL_TIMEOUT) -> str:
    result = subprocess.run(
        ["rabbitmqctl", "-q", *args], check=True, capture_output=True, text=True, timeout=timeout
    )
    return result.stdout


def answers_handshake(timeout: float = 15.0) -> bool:
    """Whether the broker answers an AMQP protocol header with ``Connection.Start`` in time."""
    host, _, port = AMQP_HOST.rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(_PROTOCOL_HEADER)
            return sock.recv(1) == b"\x01"  # a METHOD frame: Connection.Start
    except OSError:
        return False


def _is_local() -> bool:
    return AMQP_HOST.split(":")[0] in {"127.0.0.1", "localhost"}


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


def _start() -> None:
    subprocess.run(["rabbitmq-server", "-detached"], capture_output=True, check=False,
                   timeout=60)
    _wait_started()


def _kill_broker_vms() -> None:
    """SIGKILL every Erlang VM of RabbitMQ: the node and any rabbitmqctl hung on it."""
    pids = subprocess.run(["pgrep", "-f", "beam.smp"], capture_output=True, text=True,
                          check=False).stdout.split()
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
    time.sleep(1)


def restart_node() -> None:
    """Stop the whole broker node and start it again; durable queues and messages stay."""
    try:
        rabbitmqctl("stop")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        _kill_broker_vms()
    _start()


def ensure_answering() -> None:
    """Recover a local broker that no longer completes a handshake (kill and start it)."""
    if answers_handshake() or not _is_local():
        return
    print("\nRabbitMQ accepted no AMQP handshake in 15 s: killing and restarting it",
          file=sys.stderr)
    _kill_broker_vms()
    _start()


class RabbitMQ:
    """Control of the local broker for chaos tests and vhost lifecycle."""

    def add_vhost(self, name: str) -> str:
        ensure_answering()
        try:
            rabbitmqctl("add_vhost", name)
        except subprocess.TimeoutExpired:
            _kill_broker_vms()
            _start()
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

    def restart(self) -> None:
        """Restart the broker node (connections drop; durable state stays)."""
        restart_node()
