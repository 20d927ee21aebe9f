"""registry's settings (env prefix ``REGISTRY_``): database, broker, reminder schedule.

Defaults run on one laptop (a SQLite file, the local RabbitMQ). The reminder offsets (90/30/7
days) are not configuration: they are part of the ``registry.certification.expiring`` contract.
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
    #: Largest page a list endpoint returns.
    max_page_size: int = Field(default=200, ge=1, le=1000)
