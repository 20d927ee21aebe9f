"""registry's settings (env prefix ``REGISTRY_``): database, broker, reminder schedule.

Defaults run on one laptop (a SQLite file, the local RabbitMQ). The reminder offsets are
configuration so the bureau can add a 60-day reminder without a release.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from yumiao_common.settings import CommonSettings


class Settings(CommonSettings):
    """Everything a registry process reads from the environment."""

    model_config = SettingsConfigDict(env_prefix="REGISTRY_", extra="ignore")

    service_name: str = "registry"
    database_url: str = "sqlite:///registry.db"
    #: Days before a certification expires on which a reminder event is emitted (once each).
    expiry_reminder_days: tuple[int, ...] = (90, 30, 7)
    #: Largest page a list endpoint returns.
    max_page_size: int = Field(default=200, ge=1, le=1000)
