"""OpenAPI components the marshmallow schemas do not produce.

The what-if body is validated by the pydantic ``Profile`` contract itself (one source of truth,
and the fast path), so its JSON schema comes from ``Profile.model_json_schema()``: each of its
``$defs`` becomes a component and references point at ``#/components/schemas/…``. A marshmallow
mirror would be a second copy of the contract that could drift from it.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Api

from yumiao_common.contracts.profile import Profile

REF_TEMPLATE = "#/components/schemas/{model}"
PROFILE_REF = {"$ref": REF_TEMPLATE.format(model="Profile")}


def profile_components() -> dict[str, dict[str, Any]]:
    """``{"Profile": {...}, "Enterprise": {...}, ...}`` ready for ``components.schemas``."""
    schema = Profile.model_json_schema(ref_template=REF_TEMPLATE, mode="validation")
    defs: dict[str, dict[str, Any]] = schema.pop("$defs", {})
    return {"Profile": schema, **defs}


def register_profile_schema(api: Api) -> None:
    for name, component in profile_components().items():
        api.spec.components.schema(name, component=component)
