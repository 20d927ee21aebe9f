"""The worker port: ``/metrics`` and ``/healthz`` for a process that serves no HTTP otherwise.

Relays, consumers, notify's sender and the jobs workers call
:func:`start_worker_observability` once at start; it binds ``<SVC>_WORKER_METRICS_HOST``:
``<SVC>_WORKER_METRICS_PORT`` (0 = no port) on a daemon thread and returns the
:class:`WorkerProbe` whose :meth:`~WorkerProbe.beat` the process's loop calls each time round.
``/healthz`` answers 503 once the loop has not beaten for ``<SVC>_WORKER_STALE_SECONDS``
(the liveness probe of the worker Deployments); ``/metrics`` is prometheus_client's exposition
of the default registry. A port already taken (several workers of one service on a laptop)
is logged and skipped: the worker still runs, only unobserved.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler
from wsgiref.simple_server import WSGIServer
from wsgiref.simple_server import make_server

from prometheus_client import REGISTRY
from prometheus_client import make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer

from yumiao_common.observability.heartbeat import Heartbeat
from yumiao_common.observability.worker_metrics import HEARTBEAT_AGE
from yumiao_common.settings import CommonSettings

log = logging.getLogger("yumiao.metrics")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass
class WorkerProbe:
    """What a worker process reports: its name, its heartbeat and (maybe) its HTTP port."""

    service: str
    process: str
    heartbeat: Heartbeat
    server: WSGIServer | None = field(default=None, repr=False)

    @classmethod
    def detached(cls, service: str, process: str, stale_after: float = 60.0) -> WorkerProbe:
        """A probe without a port (tests, embedded loops): beats are kept, nothing served."""
        return cls(service, process, Heartbeat(stale_after))

    @property
    def port(self) -> int | None:
        return None if self.server is None else int(self.server.server_port)

    def beat(self) -> None:
        self.heartbeat.beat()

    def close(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


def start_worker_observability(settings: CommonSettings, process: str) -> WorkerProbe:
    """Serve this worker's ``/metrics`` and ``/healthz``; ``process`` names it (``registry.relay``).

    Call once, before the loop starts; pass the probe to the loop (``run_relay(probe=…)``,
    ``QueueConsumer(probe=…)``) or call ``probe.beat()`` from a loop of your own.
    """
    heartbeat = Heartbeat(settings.worker_stale_seconds)
    probe = WorkerProbe(settings.service_name, process, heartbeat)
    HEARTBEAT_AGE.labels(process).set_function(heartbeat.age)
    port = settings.worker_metrics_port
    if port:
        try:
            probe.server = serve(settings.worker_metrics_host, port, heartbeat)
        except OSError as exc:
            log.warning("%s: metrics port %s:%d unavailable, not served: %s",
                        process, settings.worker_metrics_host, port, exc)
        else:
            log.info("%s: /metrics and /healthz on %s:%d", process,
                     settings.worker_metrics_host, probe.port)
    return probe


def serve(host: str, port: int, heartbeat: Heartbeat) -> WSGIServer:
    """Start the worker port on a daemon thread (``port`` 0: any free port, for tests)."""
    server = make_server(host, port, worker_app(heartbeat), ThreadingWSGIServer,
                         handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="worker-metrics", daemon=True)
    thread.start()
    return server


def worker_app(heartbeat: Heartbeat) -> Callable[[dict[str, Any], StartResponse],
                                                 Iterable[bytes]]:
    """``/healthz`` from the heartbeat; every other path is the metrics exposition."""
    metrics = make_wsgi_app(REGISTRY)

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            age = round(heartbeat.age(), 3)
            healthy = age <= heartbeat.stale_after
            body = json.dumps({"status": "ok" if healthy else "stale", "heartbeat_age": age,
                               "stale_after": heartbeat.stale_after}).encode()
            start_response("200 OK" if healthy else "503 Service Unavailable",
                           [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body)))])
            return [body]
        return metrics(environ, start_response)  # type: ignore[no-any-return]

    return app


class _QuietHandler(WSGIRequestHandler):
    """No access log line per probe and scrape."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base signature
        pass
