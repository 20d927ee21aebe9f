"""Pool memberships of demo firms: every stage of every pool is populated.

Title holders sit at ``certified`` in their pool; candidates and near-misses are spread over
the open stages in turn (round-robin, so even a small ``n`` covers every stage; large firms
cycle through every listing-reserve stage, ``certified`` meaning listed), and some are
``rejected`` or ``withdrawn`` with a reason, as a curator's list would show.
"""

from __future__ import annotations

import random
from datetime import date
from datetime import timedelta
from itertools import cycle
from typing import Any
from typing import Final

POOLS: Final = ("hnte_reserve", "tech_sme", "srdi_ladder", "agri_leader", "listing_reserve")
STAGES: Final = (
    "nominated", "screened", "admitted", "cultivating", "applied", "certified",
    "rejected", "withdrawn",
)
OPEN_STAGES: Final = STAGES[:5] + STAGES[6:]

REASONS: Final = {
    "rejected": "研发费用占比未达标 / R&D ratio below the required band",
    "withdrawn": "企业主动申请退库 / withdrawn at the firm's request",
}

#: role → (pool, stage or None for "next open stage in turn")
_POOL_OF_ROLE: Final[dict[str, tuple[tuple[str, str | None], ...]]] = {
    "hnte": (("hnte_reserve", "certified"),),
    "hnte_srdi": (("hnte_reserve", "certified"), ("srdi_ladder", "certified")),
    "little_giant": (("hnte_reserve", "certified"), ("srdi_ladder", "certified")),
    "srdi_only": (("srdi_ladder", "certified"), ("hnte_reserve", None)),
    "tech_sme": (("tech_sme", "certified"), ("hnte_reserve", None)),
    "innovative": (("srdi_ladder", None),),
    "reserve": (("hnte_reserve", None), ("tech_sme", None)),
    "near_hnte_rd": (("hnte_reserve", None),),
    "near_hnte_staff": (("hnte_reserve", None),),
    "near_hnte_hightech": (("hnte_reserve", None),),
    "near_tech_sme_score": (("tech_sme", None),),
    "near_tech_sme_staff": (("tech_sme", None),),
    "near_srdi_rd": (("srdi_ladder", None),),
    "near_innovative": (("srdi_ladder", None),),
    "agri_municipal": (("agri_leader", "certified"),),
    "agri_provincial": (("agri_leader", "certified"),),
    "agri_national": (("agri_leader", "certified"), ("listing_reserve", None)),
    "near_agri_national": (("agri_leader", None),),
    "listing": (("listing_reserve", None), ("hnte_reserve", "certified")),
    "large": (("listing_reserve", "*"),),
    "agri_candidate": (("agri_leader", None),),
}


class StageDealer:
    """Hands out open stages per pool in turn, so every stage appears even for small ``n``."""

    def __init__(self) -> None:
        self._cycles = {pool: cycle(OPEN_STAGES) for pool in POOLS}
        self._all = {pool: cycle(STAGES) for pool in POOLS}

    def memberships(self, rng: random.Random, role: str, as_of: date) -> list[dict[str, Any]]:
        out = []
        for pool, fixed in _POOL_OF_ROLE.get(role, ()):
            if fixed == "*":  # any stage, "certified" (listed) included
                stage = next(self._all[pool])
            else:
                stage = fixed or next(self._cycles[pool])
            since = as_of - timedelta(days=rng.randint(10, 700))
            out.append({"pool": pool, "stage": stage, "reason": REASONS.get(stage),
                        "since": since.isoformat()})
        return out
