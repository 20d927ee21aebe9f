"""notify's settings (env prefix ``NOTIFY_``): database, broker, SMTP, delivery tuning.

Defaults run on one laptop (SQLite file, local RabbitMQ, SMTP on localhost:25). Delivery
tuning (attempts, back-off, weekly cap) is configuration, not code, so the bureau can tighten
it without a release.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from yumiao_common.settings import CommonSettings


class Settings(CommonSettings):
    """Everything a notify process reads from the environment."""

    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    service_name: str = "notify"
    database_url: str = "sqlite:///notify.db"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_sender: str = "noreply@yumiao.local"
    smtp_timeout_seconds: float = 10.0
    webhook_timeout_seconds: float = 10.0
    #: Push notices per enterprise per ISO week; deadline reminders bypass it.
    weekly_push_cap: int = Field(default=5, ge=0)
    #: Delivery attempts before a delivery is parked; back-off doubles from the first delay.
    delivery_max_attempts: int = Field(default=5, ge=1)
    delivery_first_retry_ms: int = Field(default=1000, ge=10)
    delivery_prefetch: int = Field(default=200, ge=1)
    delivery_workers: int = Field(default=8, ge=1)
    #: Events handled per consumer transaction (one multiple-ack per batch).
    consumer_batch_size: int = Field(default=1000, ge=1)
    #: Unacked events the broker may hand the consumer. At least twice the batch, so the next
    #: batch is already arriving while one commits (prefetch = batch stalls on every ack).
    consumer_prefetch: int = Field(default=2000, ge=1)
