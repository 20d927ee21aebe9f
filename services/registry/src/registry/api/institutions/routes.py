"""``/enterprises/{uscc}/institutions``: an enterprise's R&D institutions.

Served by the shared record views (``api/records/views.py``), as every record kind is.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.api.records.schemas import institution_fields
from registry.api.records.views import add_record_views
from registry.handlers.kinds import INSTITUTIONS

blp = Blueprint("institutions", __name__, url_prefix="/enterprises",
                description="研发机构 / R&D institutions")
add_record_views(blp, segment="institutions", kind=INSTITUTIONS, name="RdInstitution",
                 spec=institution_fields)
