"""OpenAPI components the marshmallow schemas do not produce.

The what-if body is validated by the pydantic ``Profile`` contract itself (one source of truth,
and the fast path), so its schema comes from ``Profile.model_json_schema()`` converted to
OpenAPI 3.0.3 by ``yumiao_common.web.openapi.pydantic_components`` (``nullable`` instead of
``type: null``, each ``$defs`` entry a component). A marshmallow mirror would be a second copy
of the contract that could drift from it.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Api

from yumiao_common.contracts.profile import Profile
from yumiao_common.web.openapi import REF_TEMPLATE
from yumiao_common.web.openapi import pydantic_components

PROFILE_REF = {"$ref": REF_TEMPLATE.format(model="Profile")}


def profile_components() -> dict[str, dict[str, Any]]:
    """``{"Profile": {...}, "Enterprise": {...}, ...}`` ready for ``components.schemas``."""
    return pydantic_components(Profile)


def register_profile_schema(api: Api) -> None:
    for name, component in profile_components().items():
        api.spec.components.schema(name, component=component)
