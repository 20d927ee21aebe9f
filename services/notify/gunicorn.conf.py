"""gunicorn settings for notify (port 8003): bind and workers from the environment."""

import os

wsgi_app = "notify.app:create_app()"
bind = os.environ.get("NOTIFY_BIND", "127.0.0.1:8003")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("NOTIFY_THREADS", "4"))
accesslog = "-"
