"""Long jobs (imports, re-evaluations, reports) run by a worker process, not by the web.

A service's job table carries the lease columns of ``JobLease``; a request validates, stores
what the job needs, ``queue(job, step)``s it and answers 202. ``python -m <svc>.jobs`` runs a
``Worker`` that claims queued steps (PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite a
conditional UPDATE), renews its lease while the step runs, and on every poll finds steps whose
lease expired (their worker died): a restartable step is run again (up to its attempts), any
other is failed with a visible reason. SIGTERM stops claiming and lets the running step finish
within the grace period, or releases it for another worker. Progress stays in the service's
own columns, so the existing ``GET`` endpoints show it.
"""

from yumiao_common.jobs.lease import JobLease
from yumiao_common.jobs.lease import queue
from yumiao_common.jobs.worker import INTERRUPTED
from yumiao_common.jobs.worker import JobKind
from yumiao_common.jobs.worker import Timing
from yumiao_common.jobs.worker import Worker
from yumiao_common.jobs.worker import main

__all__ = ["INTERRUPTED", "JobKind", "JobLease", "Timing", "Worker", "main", "queue"]
