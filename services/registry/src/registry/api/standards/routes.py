"""``/enterprises/{uscc}/standards``: the standards an enterprise led.

Served by the shared record views (``api/records/views.py``), as every record kind is.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.api.records.schemas import standard_fields
from registry.api.records.views import add_record_views
from registry.handlers.kinds import STANDARDS

blp = Blueprint("standards", __name__, url_prefix="/enterprises",
                description="主导标准 / Standards led")
add_record_views(blp, segment="standards", kind=STANDARDS, name="StandardLed",
                 spec=standard_fields)
