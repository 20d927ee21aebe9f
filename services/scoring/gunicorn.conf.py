"""gunicorn settings for the scoring service (port 8002).

Bind and worker count come from the environment (``SCORING_BIND``, ``WEB_CONCURRENCY``) so
compose, k8s and ``make up`` share one file. Sync workers: the what-if endpoint is CPU-bound
pure Python, so threads would only add GIL contention.
"""

import os

wsgi_app = "scoring.app:create_app()"
bind = os.environ.get("SCORING_BIND", "127.0.0.1:8002")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("SCORING_WORKER_CLASS", "sync")
keepalive = 5
timeout = 60
accesslog = None
