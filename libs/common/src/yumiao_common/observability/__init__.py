"""Observability every Yumiao process shares: what workers export and how they report health.

* ``heartbeat``: the loop of a worker process beats; ``/healthz`` turns 503 once it has not
  beaten within the staleness window (a relay stuck on a database call stops beating).
* ``worker_metrics``: the worker series (outbox lag and throughput, consumer outcomes,
  parking depth, sender deliveries) on prometheus_client's default registry.
* ``worker_server``: :func:`start_worker_observability`, the one call a worker process makes:
  a small HTTP port (``<SVC>_WORKER_METRICS_PORT``) serving ``/metrics`` and ``/healthz``.
* ``gunicorn_metrics``: prometheus multiprocess mode for the web processes, so ``/metrics``
  aggregates every gunicorn worker (imported by the ``gunicorn.conf.py`` files only).

Nothing is imported here: ``gunicorn_metrics`` must run before prometheus_client is imported.
"""
