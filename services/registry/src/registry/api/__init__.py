"""HTTP resources under ``/api/v1``; each sub-package is one flask-smorest Blueprint."""

from __future__ import annotations

from flask_smorest import Blueprint

BLUEPRINTS: list[Blueprint] = []
