"""Independent upstream reads of one page, a few at a time (issue 16).

A page such as the enterprise page reads a dozen independent parts from registry, scoring and
notify; one after another their round trips add up (about 50 ms at rest). ``together`` hands
them to one small pool per gateway process, ``WIDTH`` threads, so a page alone costs its
slowest few reads rather than their sum. The pool is shared by every request of the process on
purpose: when the machine is busy (eight pages at once on two cores) the services are the
bottleneck, and a pool per page would only multiply the reads in flight and queue everyone's,
a trivial hop's too, at the registry's threads (measured: the trivial hop's p50 25 -> 97 ms);
with one pool the reads queue here, at most ``WIDTH`` per process in flight.

Each read runs in a copy of the request's context (``contextvars``): ``clients()``, ``g`` (the
request id every upstream call carries, the signed-in principal who is its X-Actor), the
language and the request-id log field are the request's own. What a read may cache on ``g``
lazily (the principal, the language) is resolved before the reads start, so threads only read
``g``. A read submits no further reads to the pool (no read can wait on the pool it holds).
Every read has finished, or was dropped before it started, when ``together`` returns: nothing
runs after the request's teardown.
"""

from __future__ import annotations

import contextvars
import os
import threading
from collections.abc import Callable
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait
from typing import Any

from gateway.frontdoor.credentials import current_principal
from gateway.web.i18n import current_lang

#: Reads in flight at once per gateway process (two workers: the registry's 2 x 4 threads).
WIDTH = 4
_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _shared_pool() -> ThreadPoolExecutor:
    """This process's pool (made on first use, again in a forked child)."""
    global _pool
    with _lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (os.getpid(), ThreadPoolExecutor(max_workers=WIDTH,
                                                     thread_name_prefix="page-read"))
        return _pool[1]


def together(reads: Mapping[str, Callable[[], Any]], *, first: str | None = None
             ) -> dict[str, Any]:
    """Every read's result by name, run concurrently; an exception a read raises is raised here
    as it would have been in turn (``soft`` reads turn upstream failures into a section).

    ``first`` names the read the page cannot do without: it is started first, and when it
    fails the reads not yet started are dropped and its exception raised."""
    current_principal()  # cached on g now, never lazily from two threads
    current_lang()
    if len(reads) <= 1:
        return {name: read() for name, read in reads.items()}
    pool = _shared_pool()
    futures: dict[str, Future[Any]] = {}
    try:
        for name in ([first] if first else []) + [n for n in reads if n != first]:
            futures[name] = pool.submit(contextvars.copy_context().run, reads[name])
        if first:
            error = futures[first].exception()
            if error is not None:
                raise error
        return {name: futures[name].result() for name in reads}
    finally:
        for future in futures.values():
            future.cancel()  # only those not started yet
        wait(futures.values())
