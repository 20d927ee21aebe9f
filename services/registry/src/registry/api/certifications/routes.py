"""``/enterprises/{uscc}/certifications``: the certifications an enterprise holds.

Served by the shared record views (``api/records/views.py``), as every record kind is.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.api.records.schemas import certification_fields
from registry.api.records.views import add_record_views
from registry.handlers.kinds import CERTIFICATIONS

blp = Blueprint("certifications", __name__, url_prefix="/enterprises",
                description="认定资质 / Certifications held")
add_record_views(blp, segment="certifications", kind=CERTIFICATIONS, name="Certification",
                 spec=certification_fields)
