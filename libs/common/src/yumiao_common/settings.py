"""The settings bases every service extends.

``ServiceSettings`` holds what every process reads (database, logging, limits, pool bounds);
``CommonSettings`` adds the broker, for the services that publish or consume events (registry,
scoring, notify). The gateway speaks no AMQP, so it extends ``ServiceSettings`` and has no
broker settings to mislead an operator.

Configuration comes from environment variables (read by pydantic-settings) with embedded
defaults that run on one laptop: a SQLite file per service and the local RabbitMQ. Secrets are
``SecretStr``; none has a default that could reach production (the internal token may be left
out only in demo mode, so a single service can be run alone in development).
"""

from __future__ import annotations

from pydantic import Field
from pydantic import SecretStr
from pydantic_settings import BaseSettings
from pydantic_settings import SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Settings shared by every Yumiao process; subclasses set ``env_prefix``."""

    model_config = SettingsConfigDict(env_prefix="YUMIAO_", extra="ignore")

    service_name: str = "yumiao"
    database_url: str = "sqlite:///yumiao.db"
    #: Shared secret the gateway presents to internal services (header X-Internal-Token).
    #: An internal service refuses to start without it unless ``demo_mode`` is on
    #: (`make up`, docker compose and k8s always set it).
    internal_token: SecretStr | None = None
    #: A demo or test run on one machine: an internal service may then run without the token.
    demo_mode: bool = False
    log_level: str = "INFO"
    log_json: bool = True
    #: Largest request body accepted, in bytes (uploads included).
    max_content_length: int = Field(default=20 * 1024 * 1024, ge=1024)
    #: Largest JSON body accepted, in bytes: validating a list costs about 10 µs an item, so
    #: 13.5 MB of one bad list held a worker for 20 s of CPU; 256 KiB keeps it under a second.
    json_max_content_length: int = Field(default=256 * 1024, ge=1024)
    #: SQL echo for debugging.
    sql_echo: bool = False
    #: Connections each process keeps open to PostgreSQL (SQLAlchemy ``pool_size``). Every
    #: gunicorn worker and every worker process has its own pool: k8s/README.md ("Connection
    #: budget") multiplies it out against the server's ``max_connections``.
    db_pool_size: int = Field(default=5, ge=1, le=100)
    #: Extra connections a process may open above ``db_pool_size`` under bursts, closed again
    #: when returned (SQLAlchemy ``max_overflow``).
    db_max_overflow: int = Field(default=5, ge=0, le=100)
    #: Seconds a request waits for a pooled connection before it fails (SQLAlchemy
    #: ``pool_timeout``): a full pool answers 503 quickly instead of queueing every thread.
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)


class CommonSettings(ServiceSettings):
    """``ServiceSettings`` plus the broker: the services with an outbox relay or a consumer."""

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/%2F"
    exchange: str = "yumiao.events"
    #: Port of a worker process's (relay, consumer, sender, jobs) ``/metrics`` and
    #: ``/healthz`` (the liveness probe: 503 once its loop stops beating); 0 = not served.
    #: A port already taken (several workers on one machine) is logged and skipped.
    worker_metrics_port: int = Field(default=9100, ge=0, le=65535)
    #: Address the worker port binds (k8s: ``0.0.0.0``, so the kubelet and Prometheus reach it).
    worker_metrics_host: str = "127.0.0.1"
    #: Seconds without a beat of a worker's loop after which its ``/healthz`` answers 503.
    #: Above the longest quiet step: a relay's batch, a consumer's batch, a reconnect back-off
    #: (at most 30 s).
    worker_stale_seconds: float = Field(default=90.0, gt=0)
