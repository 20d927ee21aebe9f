"""gunicorn settings for the gateway (port 8000).

gthread workers: the gateway spends its time waiting on upstream sockets, so a few threads per
worker keep the CPUs busy while requests are in flight, and each worker's pooled keep-alive
sessions are shared by its threads. Bind, workers and threads come from the environment.
"""

import os

wsgi_app = "gateway.app:create_app()"
bind = os.environ.get("GATEWAY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GATEWAY_THREADS", "8"))
keepalive = int(os.environ.get("GATEWAY_KEEPALIVE", "5"))
timeout = int(os.environ.get("GATEWAY_WORKER_TIMEOUT", "60"))
accesslog = os.environ.get("GATEWAY_ACCESS_LOG", "-") or None
