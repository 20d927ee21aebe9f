"""Independent upstream reads of one page, a few at a time (issue 16).

A page such as the enterprise page reads a dozen independent parts from registry, scoring and
notify; one after another their round trips add up (about 50 ms at rest, far more when the
services are busy). ``together`` runs them on a small pool of its own for the request, at most
``WIDTH`` at once, so a page costs its slowest few reads rather than their sum, and one page
can never hold more than ``WIDTH`` of an upstream's threads.

Each read runs in a copy of the request's context (``contextvars``): ``clients()``, ``g`` (the
request id every upstream call carries, the signed-in principal who is its X-Actor), the
language and the request-id log field are the request's own. What a read may cache on ``g``
lazily (the principal, the language) is resolved before the pool starts, so threads only read
``g``. Every read has finished (or was never started) before ``together`` returns, so nothing
runs after the request's teardown.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from collections.abc import Mapping
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from gateway.frontdoor.credentials import current_principal
from gateway.web.i18n import current_lang

#: Reads in flight at once for one page (the registry serves 2 workers x 4 threads).
WIDTH = 4


def together(reads: Mapping[str, Callable[[], Any]], *, first: str | None = None
             ) -> dict[str, Any]:
    """Every read's result by name, run concurrently; an exception a read raises is raised here
    as it would have been in turn (``soft`` reads turn upstream failures into a section).

    ``first`` names the read the page cannot do without: when it fails, the reads not yet
    started are dropped and its exception raised at once."""
    current_principal()  # cached on g now, never lazily from two threads
    current_lang()
    if len(reads) <= 1:
        return {name: read() for name, read in reads.items()}
    pool = ThreadPoolExecutor(max_workers=min(WIDTH, len(reads)),
                              thread_name_prefix="page-read")
    try:
        futures: dict[str, Future[Any]] = {}
        for name in ([first] if first else []) + [n for n in reads if n != first]:
            futures[name] = pool.submit(contextvars.copy_context().run, reads[name])
        if first:
            error = futures[first].exception()
            if error is not None:
                pool.shutdown(wait=True, cancel_futures=True)
                raise error
        return {name: futures[name].result() for name in reads}
    finally:
        pool.shutdown(wait=True)
