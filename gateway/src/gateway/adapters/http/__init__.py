"""Typed HTTP clients for registry, scoring and notify: one pooled keep-alive session each.

``build_clients(settings)`` makes them once per process (in ``create_app``); routes reach them
with ``clients()``. The web UI uses the typed methods; the proxy uses ``forward``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from gateway.adapters.http.base import ServiceClient
from gateway.adapters.http.notify import NotifyClient
from gateway.adapters.http.registry import RegistryClient
from gateway.adapters.http.scoring import ScoringClient
from gateway.settings import Settings


@dataclass(frozen=True)
class Clients:
    registry: RegistryClient
    scoring: ScoringClient
    notify: NotifyClient

    def by_name(self, service: str) -> ServiceClient:
        client: ServiceClient = getattr(self, service)
        return client

    def all(self) -> tuple[ServiceClient, ...]:
        return (self.registry, self.scoring, self.notify)


def build_clients(settings: Settings) -> Clients:
    token = settings.internal_token.get_secret_value() if settings.internal_token else None
    common = {
        "internal_token": token,
        "connect_timeout": settings.connect_timeout_seconds,
        "read_timeout": settings.read_timeout_seconds,
        "pool_size": settings.upstream_pool_size,
    }
    return Clients(
        registry=RegistryClient(settings.registry_url, **common),  # type: ignore[arg-type]
        scoring=ScoringClient(settings.scoring_url, **common),  # type: ignore[arg-type]
        notify=NotifyClient(settings.notify_url, **common),  # type: ignore[arg-type]
    )


def clients() -> Clients:
    """The current app's clients."""
    value: Clients = current_app.extensions["gateway.clients"]
    return value


__all__ = ["Clients", "ServiceClient", "RegistryClient", "ScoringClient", "NotifyClient",
           "build_clients", "clients"]
