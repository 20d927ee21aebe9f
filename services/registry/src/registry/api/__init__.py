"""HTTP resources under ``/api/v1``; each sub-package is one flask-smorest Blueprint.

A new resource adds its blueprint to ``blueprints()`` (one line).
"""

from __future__ import annotations

from flask_smorest import Blueprint


def blueprints() -> list[Blueprint]:
    """Fresh blueprint objects for one app (flask-smorest blueprints bind to one Api)."""
    from registry.api.enterprises import financial_routes
    from registry.api.enterprises import routes as enterprises
    from registry.api.pools import routes as pools
    from registry.api.records import routes as records
    from registry.api.reference import routes as reference
    from registry.exports.routes import blp as exports_blp
    from registry.imports.routes import blp as imports_blp

    return [enterprises.blp, financial_routes.blp, *records.blueprints(), pools.blp,
            reference.blp, imports_blp, exports_blp]
