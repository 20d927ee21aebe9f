"""Rule builders by ``check`` name: the generic ones and each tier family's own.

One module per tier family, each citing its clauses: ``tech_sme``, ``hnte``, ``miit``
(innovative SME, 专精特新, 小巨人) and ``agri`` (agricultural leaders). The numbers live in
the rulebook files; these modules hold only the logic that data alone cannot express.
"""

from __future__ import annotations

from scoring.domain.rules import agri
from scoring.domain.rules import base
from scoring.domain.rules import hnte
from scoring.domain.rules import miit
from scoring.domain.rules import tech_sme
from scoring.domain.rules import titles

BUILDERS: dict[str, base.Builder] = {
    **base.BUILDERS,
    **titles.BUILDERS,
    **tech_sme.BUILDERS,
    **hnte.BUILDERS,
    **miit.BUILDERS,
    **agri.BUILDERS,
}
