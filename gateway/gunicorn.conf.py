"""gunicorn settings for the gateway (port 8000).

gthread workers: the gateway spends its time waiting on upstream sockets, so a few threads per
worker keep the CPUs busy while requests are in flight, and each worker's pooled keep-alive
sessions are shared by its threads. Bind, workers and threads come from the environment.
"""

import os

from yumiao_common.observability import gunicorn_metrics
from yumiao_common.web import gunicorn_watchdog

wsgi_app = "gateway.app:create_app()"
bind = os.environ.get("GATEWAY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
keepalive = int(os.environ.get("GATEWAY_KEEPALIVE", "5"))
accesslog = os.environ.get("GATEWAY_ACCESS_LOG", "-") or None

# Worker lifetime (issue 9): a request running longer than `timeout` ends its worker and the
# arbiter starts a new one. gthread workers keep sending their heartbeat while a request thread
# burns CPU, so gunicorn's own timeout never fires for them: the request watchdog does it
# (yumiao_common.web.gunicorn_watchdog). The gateway waits up to its bulk read timeout (120 s) on
# imports and exports.
timeout = int(os.environ.get("GATEWAY_WORKER_TIMEOUT", "150"))
# On SIGTERM, requests in flight get this long; below k8s' 30 s grace minus the 5 s preStop.
graceful_timeout = int(os.environ.get("GATEWAY_GRACEFUL_TIMEOUT", "20"))
# Recycle each worker after this many requests (jittered so workers do not restart together):
# whatever a worker leaked or fragmented is returned to the system regularly.
max_requests = int(os.environ.get("GATEWAY_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GATEWAY_MAX_REQUESTS_JITTER", "200"))
post_fork, pre_request, post_request = gunicorn_watchdog.hooks()
# /metrics sums the samples of every worker (prometheus multiprocess mode): a per-process-group
# directory under /tmp, emptied at start, a dead worker's live gauges dropped.
on_starting, child_exit, on_exit = gunicorn_metrics.hooks("gateway")


def post_worker_init(worker: object) -> None:
    """Compile the web pages' templates before the worker takes its first request. Compiled
    lazily, a fresh worker (a deploy, or a recycle after max_requests) compiles a page's
    templates on its first requests, each concurrent request compiling them again under one
    GIL: the enterprise page's six took 0.5-2 s each on two busy cores, every request in
    flight on the new worker stalling with them (issue 16)."""
    import logging

    app = getattr(worker, "wsgi", None)
    env = getattr(app, "jinja_env", None)
    if app is None or env is None:
        return
    try:
        with app.app_context():
            for name in env.list_templates(filter_func=lambda n: n.startswith("web/")):
                env.get_template(name)
    except Exception:  # a failed warm-up only leaves the first requests to compile
        logging.getLogger("gateway").warning("template warm-up failed", exc_info=True)
