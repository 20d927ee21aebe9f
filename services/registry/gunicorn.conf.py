"""gunicorn settings for registry (port 8001): bind and workers from the environment."""

import os

wsgi_app = "registry.app:create_app()"
bind = os.environ.get("REGISTRY_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("REGISTRY_THREADS", "4"))
accesslog = "-"
