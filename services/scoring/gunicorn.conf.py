"""gunicorn settings for the scoring service (port 8002).

Bind and worker count come from the environment (``SCORING_BIND``, ``WEB_CONCURRENCY``) so
compose, k8s and ``make up`` share one file. gthread workers because they keep client
connections alive: the gateway holds pooled keep-alive sessions, and on this machine the
what-if bench measured p50 ~22 ms with gthread against ~150 ms with sync workers, which close
every connection (bench/scoring_http.py).
"""

import os

wsgi_app = "scoring.app:create_app()"
bind = os.environ.get("SCORING_BIND", "127.0.0.1:8002")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("SCORING_WORKER_CLASS", "gthread")
threads = int(os.environ.get("SCORING_THREADS", "4"))
keepalive = 5
timeout = 60
accesslog = None
