"""scoring's settings (env prefix ``SCORING_``): database, broker and job tuning.

Defaults run on one laptop (a SQLite file, the local RabbitMQ). Batch sizes are configuration
so an operator can trade latency for throughput without a release.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from yumiao_common.settings import CommonSettings


class Settings(CommonSettings):
    """Everything a scoring process reads from the environment."""

    model_config = SettingsConfigDict(env_prefix="SCORING_", extra="ignore")

    service_name: str = "scoring"
    database_url: str = "sqlite:///scoring.db"
    #: Deliveries the broker may hand the profile consumer before it acknowledges (AMQP
    #: prefetch; its batches of up to 500 events are applied in one transaction each).
    consumer_prefetch: int = Field(default=500, ge=1)
    #: Seconds a process may serve what-if requests with cached parameter overrides before it
    #: re-reads them; writes through this process invalidate its cache at once.
    parameter_cache_seconds: float = Field(default=5.0, ge=0)
    #: Rows per executemany when a re-evaluation writes evaluations.
    reevaluation_write_batch: int = Field(default=1000, ge=1)

    # The jobs worker (``python -m scoring.jobs``, yumiao_common.jobs).
    #: Seconds a jobs worker's lease on a re-evaluation lasts unless renewed (every third of
    #: it); a re-evaluation whose worker stopped renewing is resumed this long after it died.
    job_lease_seconds: int = Field(default=30, ge=1, le=3600)
    #: Seconds a stopping jobs worker (SIGTERM) lets its running re-evaluation finish before
    #: it hands it back to the queue; k8s' terminationGracePeriodSeconds for it exceeds it.
    job_grace_seconds: int = Field(default=150, ge=0, le=3600)
