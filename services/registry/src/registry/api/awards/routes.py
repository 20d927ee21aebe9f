"""``/enterprises/{uscc}/awards``: an enterprise's awards.

Served by the shared record views (``api/records/views.py``), as every record kind is.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from registry.api.records.schemas import award_fields
from registry.api.records.views import add_record_views
from registry.handlers.kinds import AWARDS

blp = Blueprint("awards", __name__, url_prefix="/enterprises",
                description="奖励 / Awards")
add_record_views(blp, segment="awards", kind=AWARDS, name="Award",
                 spec=award_fields)
