"""gunicorn settings for the scoring service (port 8002).

Bind and worker count come from the environment (``SCORING_BIND``, ``WEB_CONCURRENCY``) so
compose, k8s and ``make up`` share one file. gthread workers because they keep client
connections alive: the gateway holds pooled keep-alive sessions, and on this machine the
what-if bench measured p50 ~22 ms with gthread against ~150 ms with sync workers, which close
every connection (bench/scoring_http.py).
"""

import os

from yumiao_common.observability import gunicorn_metrics
from yumiao_common.web import gunicorn_watchdog

wsgi_app = "scoring.app:create_app()"
bind = os.environ.get("SCORING_BIND", "127.0.0.1:8002")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("SCORING_WORKER_CLASS", "gthread")
threads = int(os.environ.get("SCORING_THREADS", "4"))
keepalive = 5
accesslog = None

# Worker lifetime (issue 9): a request running longer than `timeout` ends its worker and the
# arbiter starts a new one. gthread workers keep sending their heartbeat while a request thread
# burns CPU, so gunicorn's own timeout never fires for them: the request watchdog does it
# (yumiao_common.web.gunicorn_watchdog). A what-if takes milliseconds; a reevaluation preview
# may use
# up to the gateway's bulk read timeout (120 s).
timeout = int(os.environ.get("SCORING_WORKER_TIMEOUT", "130"))
# On SIGTERM, requests in flight get this long; below k8s' 30 s grace minus the 5 s preStop.
graceful_timeout = int(os.environ.get("SCORING_GRACEFUL_TIMEOUT", "20"))
# Workers are recycled after `max_requests` (+ jitter) requests, as in the gateway and notify:
# the long jobs (re-evaluations) run in `python -m scoring.jobs`, not in the web worker, so
# recycling cuts nothing off. A worker is also ended and replaced when a request overruns
# `timeout` (the watchdog below).
max_requests = int(os.environ.get("SCORING_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("SCORING_MAX_REQUESTS_JITTER", "200"))
post_fork, pre_request, post_request = gunicorn_watchdog.hooks()
# /metrics sums the samples of every worker (prometheus multiprocess mode): a per-process-group
# directory under /tmp, emptied at start, a dead worker's live gauges dropped.
on_starting, child_exit, on_exit = gunicorn_metrics.hooks("scoring")
