"""``/enterprises/{uscc}/ip``: an enterprise's IP assets.

Served by the shared record views (``api/records/views.py``), as every record kind is.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.api.records.schemas import ip_fields
from registry.api.records.views import add_record_views
from registry.handlers.kinds import IP

blp = Blueprint("ip", __name__, url_prefix="/enterprises",
                description="知识产权 / IP assets")
add_record_views(blp, segment="ip", kind=IP, name="Ip",
                 spec=ip_fields)
