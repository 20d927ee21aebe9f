"""notify's settings (env prefix ``NOTIFY_``): database, broker, SMTP, delivery tuning.

Defaults run on one laptop (SQLite file, local RabbitMQ, SMTP on localhost:25, STARTTLS
required). Delivery tuning (attempts, weekly cap, prefetch) is configuration, not code, so the
bureau can tighten it without a release. Webhooks reach public addresses on ports 80/443
only; an on-premises bureau names its internal receivers and extra ports here
(``notify.adapters.channels.egress``).
"""

from __future__ import annotations

import re
from ipaddress import ip_network
from urllib.parse import urlsplit

from pydantic import Field
from pydantic import SecretStr
from pydantic import field_validator
from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from notify.adapters.channels.sms.config import SmsSettings
from yumiao_common.settings import CommonSettings

_HOST_NAME = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*")


class Settings(CommonSettings, SmsSettings):
    """Everything a notify process reads from the environment (the SMS fields, ``NOTIFY_SMS_*``,
    are declared beside the SMS channel: ``adapters.channels.sms.config``)."""

    model_config = SettingsConfigDict(env_prefix="NOTIFY_", extra="ignore")

    service_name: str = "notify"
    database_url: str = "sqlite:///notify.db"
    smtp_host: str = "127.0.0.1"
    #: 587 (submission, STARTTLS) for a real relay; 465 with ``NOTIFY_SMTP_SSL``.
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_sender: str = "noreply@yumiao.local"
    #: Seconds to connect, and to wait for each SMTP reply, before the push is retried later.
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    #: Upgrade the connection with STARTTLS (certificate and host name verified) before
    #: anything is sent. A relay that does not offer it fails the delivery (parked with the
    #: reason): e-mail never goes out in plain text by surprise. Off only for a demo sink.
    smtp_starttls: bool = True
    #: Implicit TLS from the first byte (SMTPS, port 465) instead of STARTTLS; set one of the two.
    smtp_ssl: bool = False
    #: A PEM file of the CA(s) that sign a private relay's certificate; unset = the system's
    #: trusted CAs.
    smtp_ca_file: str | None = None
    #: The relay account (AUTH after TLS); unset = no login. Needs STARTTLS or SSL: a password
    #: never crosses the network in plain text. A secret (k8s: ``notify-secrets``).
    smtp_username: str | None = None
    #: The relay account's password, used with ``NOTIFY_SMTP_USERNAME`` (ignored without
    #: one: no login). A secret.
    smtp_password: SecretStr | None = None
    #: The site's public address as enterprises reach it (the gateway), e.g.
    #: ``https://yumiao.example.gov.cn``: e-mails end with the link to their notice in the
    #: portal and webhook payloads carry it (``url``). Unset = no link.
    public_url: str | None = None
    webhook_timeout_seconds: float = 10.0
    #: Ports a webhook may use besides 80 and 443, e.g. ``NOTIFY_WEBHOOK_ALLOWED_PORTS=[8443]``.
    webhook_allowed_ports: list[int] = Field(default_factory=list)
    #: Internal receivers the bureau allows despite the public-address rule: host names
    #: (exact) and CIDR networks, e.g. ``NOTIFY_WEBHOOK_ALLOWED_TARGETS=["hooks.bureau.lan",
    #: "10.20.0.0/16"]``. Empty (the default): public addresses only.
    webhook_allowed_targets: list[str] = Field(default_factory=list)
    #: Push notices per enterprise per ISO week; deadline reminders bypass it.
    weekly_push_cap: int = Field(default=5, ge=0)
    #: Push attempts before a delivery is parked (a permanent failure parks at once). The waits
    #: between attempts are the broker's retry ladder of ``notify.deliveries`` (1 s, 5 s, 30 s,
    #: 120 s, the last repeating): queue arguments, which cannot change in place, so no setting.
    delivery_max_attempts: int = Field(default=5, ge=1)
    delivery_prefetch: int = Field(default=200, ge=1)
    delivery_workers: int = Field(default=8, ge=1)
    #: Events handled per consumer transaction (one multiple-ack per batch).
    consumer_batch_size: int = Field(default=1000, ge=1)
    #: Unacked events the broker may hand the consumer. At least twice the batch, so the next
    #: batch is already arriving while one commits (prefetch = batch stalls on every ack).
    consumer_prefetch: int = Field(default=2000, ge=1)

    @model_validator(mode="after")
    def _smtp_security_is_consistent(self) -> Settings:
        if self.smtp_starttls and self.smtp_ssl:
            raise ValueError("NOTIFY_SMTP_STARTTLS and NOTIFY_SMTP_SSL exclude each other: "
                             "STARTTLS upgrades a plain connection (587), SSL starts with TLS "
                             "(465); set one")
        if self.smtp_username and not (self.smtp_starttls or self.smtp_ssl):
            raise ValueError("NOTIFY_SMTP_USERNAME needs NOTIFY_SMTP_STARTTLS or NOTIFY_SMTP_SSL "
                             "(the password would cross the network in plain text)")
        return self

    @field_validator("smtp_username", "smtp_password", "smtp_ca_file", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """An empty variable (compose's ``${NOTIFY_SMTP_USERNAME:-}``) means unset."""
        return None if value == "" else value

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url_is_absolute(cls, value: object) -> object:
        """An absolute http(s) address without a trailing slash; empty means unset."""
        if value is None or value == "":
            return None
        text = str(value).strip().rstrip("/")
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
                or parts.fragment:
            raise ValueError(f"NOTIFY_PUBLIC_URL must be an absolute http(s) address, got "
                             f"{value!r}")
        return text

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
