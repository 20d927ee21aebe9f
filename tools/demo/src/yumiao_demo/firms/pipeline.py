"""Pool memberships of demo firms: every stage of every pool is populated.

Pools and stages are the registry's own (``registry.domain.pipeline``). Title holders sit at
``certified`` in their pool; candidates and near-misses are dealt the other stages in turn
(round-robin, so every stage appears), some ``rejected`` or ``withdrawn`` with a reason, as a
curator's list would show. Each membership carries the legal path of moves that led to its
stage, so the seeded history obeys the state machine.
"""

from __future__ import annotations

import random
from datetime import date
from datetime import timedelta
from itertools import cycle
from typing import Any
from typing import Final

from registry.domain.pipeline import POOLS
from registry.domain.pipeline import Stage

STAGES: Final = tuple(s.value for s in Stage)
OPEN_STAGES: Final = tuple(s for s in STAGES if s != "certified")
_PATH: Final = ("nominated", "screened", "admitted", "cultivating", "applied", "certified")

REASONS: Final = {
    "rejected": "遴选未通过：研发费用占比未达标 / Not screened in: R&D ratio below the band",
    "withdrawn": "企业主动申请退库 / Withdrawn at the firm's request",
}
C, OPEN, ANY = "certified", None, "*"  # fixed stage, next open stage, next of any stage

#: role → (pool, stage); OPEN deals the next open stage, ANY the next of every stage
_POOL_OF_ROLE: Final[dict[str, tuple[tuple[str, str | None], ...]]] = {
    "hnte": (("hnte_reserve", C),),
    "hnte_srdi": (("hnte_reserve", C), ("innovative_sme", C), ("srdi_sme", C),
                  ("little_giant", OPEN)),
    "little_giant": (("hnte_reserve", C), ("innovative_sme", C), ("srdi_sme", C),
                     ("little_giant", C)),
    "srdi_only": (("innovative_sme", C), ("srdi_sme", C), ("hnte_reserve", OPEN)),
    "tech_sme": (("tech_sme", C), ("hnte_reserve", OPEN)),
    "innovative": (("innovative_sme", C), ("srdi_sme", OPEN)),
    "reserve": (("hnte_reserve", OPEN), ("tech_sme", OPEN)),
    "near_hnte_rd": (("hnte_reserve", OPEN),),
    "near_hnte_staff": (("hnte_reserve", OPEN),),
    "near_hnte_hightech": (("hnte_reserve", OPEN),),
    "near_tech_sme_score": (("tech_sme", OPEN),),
    "near_tech_sme_staff": (("tech_sme", OPEN),),
    "near_srdi_rd": (("innovative_sme", C), ("srdi_sme", OPEN)),
    "near_innovative": (("innovative_sme", OPEN),),
    "agri_candidate": (("agri_leader_district", ANY),),
    "agri_municipal": (("agri_leader_district", C), ("agri_leader_municipal", C),
                       ("agri_leader_provincial", OPEN)),
    "agri_provincial": (("agri_leader_district", C), ("agri_leader_municipal", C),
                        ("agri_leader_provincial", C), ("agri_leader_national", OPEN)),
    "near_agri_national": (("agri_leader_municipal", C), ("agri_leader_provincial", C),
                           ("agri_leader_national", OPEN)),
    "agri_national": (("agri_leader_provincial", C), ("agri_leader_national", C),
                      ("listing_reserve", OPEN)),
    "listing": (("listing_reserve", ANY), ("hnte_reserve", C)),
    "large": (("listing_reserve", ANY),),
}
#: the municipal pool's open stages come from district-certified candidates
_EXTRA: Final = {"agri_candidate": ("agri_leader_municipal", OPEN)}


def path_to(stage: str) -> list[str]:
    """The legal sequence of stages from nomination to ``stage`` (state machine of the domain)."""
    if stage in _PATH:
        return list(_PATH[: _PATH.index(stage) + 1])
    if stage == "rejected":
        return ["nominated", "screened", "rejected"]
    return ["nominated", "screened", "admitted", "cultivating", "withdrawn"]


class StageDealer:
    """Hands out stages per pool in turn, so every stage appears even for small ``n``."""

    def __init__(self) -> None:
        self._open = {pool: cycle(OPEN_STAGES) for pool in POOLS}
        self._any = {pool: cycle(STAGES) for pool in POOLS}
        self._prospect = cycle((True, False))

    def memberships(self, rng: random.Random, role: str, as_of: date) -> list[dict[str, Any]]:
        plan = list(_POOL_OF_ROLE.get(role, ()))
        if role in _EXTRA and rng.random() < 0.5:
            plan = [("agri_leader_district", C), _EXTRA[role]]
        out = []
        for pool, fixed in plan:
            if fixed == ANY:
                stage = next(self._any[pool])
            else:
                stage = fixed or next(self._open[pool])
            since = as_of - timedelta(days=rng.randint(10, 700))
            if pool == "hnte_reserve" and role.startswith("near_hnte") and next(self._prospect):
                # every other near-miss HNTE firm is not nominated yet: this year's prospects,
                # so a 高企后备库 round has firms to list (drawn as the others, so the seed's
                # other firms stay the same)
                continue
            out.append({"pool": pool, "stage": stage, "reason": REASONS.get(stage),
                        "since": since.isoformat(), "path": path_to(stage)})
        return out


def registry_only_certifications(
    memberships: list[dict[str, Any]], as_of: date
) -> list[dict[str, Any]]:
    """Titles the Profile contract does not know (district leader, listed) for certified members."""
    tiers = {"agri_leader_district": "agri_leader_district", "listing_reserve": "listed"}
    return [
        {"tier": tiers[m["pool"]], "issued_on": m["since"], "expires_on": None, "number": None}
        for m in memberships
        if m["stage"] == "certified" and m["pool"] in tiers
    ]
