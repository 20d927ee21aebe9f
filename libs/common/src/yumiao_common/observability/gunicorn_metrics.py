"""Prometheus multiprocess mode for gunicorn: one ``/metrics`` for every worker of a server.

Each gunicorn worker is its own process with its own counters, so a plain registry answered a
scrape with whichever worker took the request (60 requests, one scrape counted 50). In
multiprocess mode every worker writes its samples to files in ``PROMETHEUS_MULTIPROC_DIR`` and
``/metrics`` sums them (``MultiProcessCollector``).

The directory is per process group: ``<tmp>/yumiao-metrics-<svc>-<master pid>`` (``/tmp`` is
the writable emptyDir of the read-only k8s containers), emptied when the master starts (a
restarted container reuses pid 1, and stale files would add old counts), removed when it
exits. ``child_exit`` marks a dead worker's live gauges gone. A ``gunicorn.conf.py``::

    from yumiao_common.observability import gunicorn_metrics

    on_starting, child_exit, on_exit = gunicorn_metrics.hooks("registry")

``on_starting`` sets the variable in the master, before any worker is forked and loads the
app (and so creates its metrics); workers inherit it. Loading the configuration alone changes
nothing (tests read it with ``runpy``); ``preload_app`` would create the metrics too early.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ENV = "PROMETHEUS_MULTIPROC_DIR"

Hook = Callable[..., None]


def multiprocess_dir(service: str) -> Path:
    """This process group's directory (the master's pid names it)."""
    return Path(tempfile.gettempdir()) / f"yumiao-metrics-{service}-{os.getpid()}"


def use_multiprocess_dir(path: Path) -> None:
    """Point prometheus_client at ``path`` (created empty) for this process and its children.

    prometheus_client picks its value class when it is first imported; if something imported
    it already (a config module's imports), the choice is made again so metrics created from
    now on are written to the directory.
    """
    reset_dir(path)
    os.environ[ENV] = str(path)
    values = sys.modules.get("prometheus_client.values")
    if values is not None:
        values.ValueClass = values.get_value_class()  # type: ignore[attr-defined]


def reset_dir(path: Path) -> None:
    """``path`` exists and holds no samples of an earlier server."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


def hooks(service: str) -> tuple[Hook, Hook, Hook]:
    """``on_starting``, ``child_exit``, ``on_exit`` for a service's ``gunicorn.conf.py``."""
    paths: list[Path] = []

    def on_starting(_server: Any) -> None:
        path = multiprocess_dir(service)
        use_multiprocess_dir(path)
        paths.append(path)

    def child_exit(_server: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        if paths:
            multiprocess.mark_process_dead(worker.pid, str(paths[-1]))

    def on_exit(_server: Any) -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return on_starting, child_exit, on_exit
