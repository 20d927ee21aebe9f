"""gunicorn settings for registry (port 8001): bind and workers from the environment."""

import os

from yumiao_common.observability import gunicorn_metrics
from yumiao_common.web import gunicorn_watchdog

wsgi_app = "registry.app:create_app()"
bind = os.environ.get("REGISTRY_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("REGISTRY_THREADS", "4"))
accesslog = "-"

# Worker lifetime (issue 9): a request running longer than `timeout` ends its worker and the
# arbiter starts a new one. gthread workers keep sending their heartbeat while a request thread
# burns CPU, so gunicorn's own timeout never fires for them: the request watchdog does it
# (yumiao_common.web.gunicorn_watchdog). Imports and exports may take up to the gateway's bulk read
# timeout (120 s).
timeout = int(os.environ.get("REGISTRY_WORKER_TIMEOUT", "150"))
# On SIGTERM, requests in flight get this long; below k8s' 30 s grace minus the 5 s preStop.
graceful_timeout = int(os.environ.get("REGISTRY_GRACEFUL_TIMEOUT", "20"))
# Workers are recycled after `max_requests` (+ jitter) requests, as in the gateway and notify:
# the long jobs (imports) run in `python -m registry.jobs`, not in the web worker, so
# recycling cuts nothing off. A worker is also ended and replaced when a request overruns
# `timeout` (the watchdog below). Ten times the gateway's: one enterprise page is about a dozen
# registry requests, and every new worker warms the dashboard's live year (below), seconds of
# CPU at 100,000 firms spent beside live requests; at 2,000 a worker was recycled every ~170
# pages and its warm-up stalled the requests around it (issue 16).
max_requests = int(os.environ.get("REGISTRY_MAX_REQUESTS", "20000"))
max_requests_jitter = int(os.environ.get("REGISTRY_MAX_REQUESTS_JITTER", "2000"))
post_fork, pre_request, post_request = gunicorn_watchdog.hooks()
# /metrics sums the samples of every worker (prometheus multiprocess mode): a per-process-group
# directory under /tmp, emptied at start, a dead worker's live gauges dropped.
on_starting, child_exit, on_exit = gunicorn_metrics.hooks("registry")


def post_worker_init(worker: object) -> None:
    """Count the dashboard's running year in the background as the worker starts, so the first
    dashboard read after a deploy or a recycle does not wait on it (``reports.warm``)."""
    import logging
    import threading

    from registry.handlers.reports import warm
    from yumiao_common.clock import beijing_today
    from yumiao_common.db.engine import make_session_factory

    app = getattr(worker, "wsgi", None)
    engine = getattr(app, "extensions", {}).get("registry.engine")
    if app is None or engine is None:
        return

    def run() -> None:
        try:
            with app.app_context():
                warm(make_session_factory(engine), beijing_today())
        except Exception:  # a failed warm-up only leaves the first read to count
            logging.getLogger("registry").warning("progress warm-up failed", exc_info=True)

    threading.Thread(target=run, name="warm-progress", daemon=True).start()
