"""notify's settings (env prefix ``NOTIFY_``): database, broker, SMTP, delivery tuning.

Defaults run on one laptop (SQLite file, local RabbitMQ, SMTP on localhost:25). Delivery
tuning (attempts, back-off, weekly cap) is configuration, not code, so the bureau can tighten
it without a release. Webhooks reach public addresses on ports 80/443 only; an on-premises
bureau names its internal receivers and extra ports here (``notify.adapters.channels.egress``).
"""

from __future__ import annotations

import re
from ipaddress import ip_network

from pydantic import Field
from pydantic import field_validator
from pydantic_settings import SettingsConfigDict

from yumiao_common.settings import CommonSettings

_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*")


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
    #: Ports a webhook may use besides 80 and 443, e.g. ``NOTIFY_WEBHOOK_ALLOWED_PORTS=[8443]``.
    webhook_allowed_ports: list[int] = Field(default_factory=list)
    #: Internal receivers the bureau allows despite the public-address rule: host names
    #: (exact) and CIDR networks, e.g. ``NOTIFY_WEBHOOK_ALLOWED_TARGETS=["hooks.bureau.lan",
    #: "10.20.0.0/16"]``. Empty (the default): public addresses only.
    webhook_allowed_targets: list[str] = Field(default_factory=list)
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

    @field_validator("webhook_allowed_ports")
    @classmethod
    def _ports_in_range(cls, ports: list[int]) -> list[int]:
        bad = [p for p in ports if not 1 <= p <= 65535]
        if bad:
            raise ValueError(f"ports must be 1-65535, got {bad}")
        return ports

    @field_validator("webhook_allowed_targets")
    @classmethod
    def _targets_parse(cls, targets: list[str]) -> list[str]:
        out = []
        for entry in (t.strip().lower().rstrip(".") for t in targets):
            if not entry:
                continue
            try:
                ip_network(entry, strict=False)
            except ValueError:
                if not _HOST_NAME.fullmatch(entry):
                    raise ValueError(f"not a host name or CIDR network: {entry!r}") from None
            out.append(entry)
        return out
