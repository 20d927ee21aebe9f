"""The cultivation pipeline as an explicit state machine (architecture.md, "The pipeline").

Pools are the bureau's cultivation pools; some form ladders (创新型 → 专精特新 → 小巨人;
agricultural leaders district → municipal → provincial → national) where a rung is only
reachable with the title of the rung below. Stages run nominated → screened (遴选) → admitted
(入库) → cultivating (培育) → applied (申报) → certified (认定), or end rejected / withdrawn
(退库) with a reason. ``TRANSITIONS`` is the whole truth: anything not listed is illegal.

Choices where the design is silent: an unsuccessful application returns the member to
``cultivating`` (the bureau keeps cultivating it for next year); a certified member can go
back to ``cultivating`` when its title lapses; rejected and withdrawn members can be
re-nominated (``nominated``) in a later round rather than creating a second membership.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    NOMINATED = "nominated"
    SCREENED = "screened"
    ADMITTED = "admitted"
    CULTIVATING = "cultivating"
    APPLIED = "applied"
    CERTIFIED = "certified"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


STAGE_LABELS: dict[Stage, str] = {
    Stage.NOMINATED: "提名 / Nominated",
    Stage.SCREENED: "遴选 / Screened",
    Stage.ADMITTED: "入库 / Admitted",
    Stage.CULTIVATING: "培育 / Cultivating",
    Stage.APPLIED: "申报 / Applied",
    Stage.CERTIFIED: "认定 / Certified",
    Stage.REJECTED: "未通过 / Rejected",
    Stage.WITHDRAWN: "退库 / Withdrawn",
}

TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.NOMINATED: frozenset({Stage.SCREENED, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.SCREENED: frozenset({Stage.ADMITTED, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.ADMITTED: frozenset({Stage.CULTIVATING, Stage.WITHDRAWN}),
    Stage.CULTIVATING: frozenset({Stage.APPLIED, Stage.WITHDRAWN}),
    Stage.APPLIED: frozenset({Stage.CERTIFIED, Stage.CULTIVATING, Stage.WITHDRAWN}),
    Stage.CERTIFIED: frozenset({Stage.CULTIVATING, Stage.WITHDRAWN}),
    Stage.REJECTED: frozenset({Stage.NOMINATED}),
    Stage.WITHDRAWN: frozenset({Stage.NOMINATED}),
}

#: Stages in which a member is no longer being worked on (filters "active" members).
CLOSED_STAGES: frozenset[Stage] = frozenset({Stage.REJECTED, Stage.WITHDRAWN})


@dataclass(frozen=True)
class Pool:
    """A cultivation pool; ``tier`` is the title its ``certified`` stage stands for."""

    key: str
    label: str
    tier: str | None
    ladder: str | None = None
    requires_tier: str | None = None


POOLS: dict[str, Pool] = {p.key: p for p in (
    Pool("hnte_reserve", "高企后备库 / High-tech enterprise reserve", "hnte"),
    Pool("tech_sme", "科技型中小企业库 / Tech-based SME pool", "tech_sme"),
    Pool("innovative_sme", "创新型中小企业 / Innovative SME", "innovative_sme", "quality_sme"),
    Pool("srdi_sme", "专精特新中小企业 / Specialised SME (专精特新)", "srdi_sme", "quality_sme",
         "innovative_sme"),
    Pool("little_giant", "专精特新“小巨人” / Little giant", "little_giant", "quality_sme",
         "srdi_sme"),
    Pool("agri_leader_district", "区级农业产业化龙头企业 / District agricultural leader",
         "agri_leader_district", "agri_leader"),
    Pool("agri_leader_municipal", "市级农业产业化龙头企业 / Municipal agricultural leader",
         "agri_leader_municipal", "agri_leader", "agri_leader_district"),
    Pool("agri_leader_provincial", "省级农业产业化龙头企业 / Provincial agricultural leader",
         "agri_leader_provincial", "agri_leader", "agri_leader_municipal"),
    Pool("agri_leader_national", "国家级农业产业化龙头企业 / National agricultural leader",
         "agri_leader_national", "agri_leader", "agri_leader_provincial"),
    Pool("listing_reserve", "上市后备库 / Listing reserve", "listed"),
)}


class IllegalMove(Exception):
    """A move the state machine does not allow; carries the moves that are allowed."""

    def __init__(self, from_stage: Stage, to_stage: str) -> None:
        self.from_stage = from_stage
        self.to_stage = to_stage
        self.allowed = allowed_moves(from_stage)
        super().__init__(f"{from_stage} -> {to_stage}")


def allowed_moves(stage: Stage | str) -> list[str]:
    """The stages reachable from ``stage``, in pipeline order (stable for clients and tests)."""
    order = list(Stage)
    return sorted((s.value for s in TRANSITIONS[Stage(stage)]), key=lambda s: order.index(Stage(s)))


def check_move(from_stage: Stage | str, to_stage: str) -> Stage:
    """Return the target stage if the move is legal, else raise ``IllegalMove``."""
    current = Stage(from_stage)
    try:
        target = Stage(to_stage)
    except ValueError:
        raise IllegalMove(current, to_stage) from None
    if target not in TRANSITIONS[current]:
        raise IllegalMove(current, to_stage)
    return target


#: Why a member left a pool (退库), recorded beside a move to ``withdrawn``.
EXIT_REASONS: dict[str, str] = {
    "certified": "已认定 / Certified",
    "lapsed": "入库有效期届满 / Admission period lapsed",
    "withdrew": "企业主动退出 / The firm withdrew",
    "disqualified": "不再符合条件 / Disqualified",
}

#: Stages from which a recorded certificate carries a member on to ``certified``: it has been
#: admitted, so the certificate is the outcome of its cultivation. Nominated or screened firms
#: stay where they are (the round decides about them).
ADVANCED_BY_CERTIFICATE: frozenset[Stage] = frozenset(
    {Stage.ADMITTED, Stage.CULTIVATING, Stage.APPLIED})


def path_to(from_stage: Stage | str, target: Stage) -> list[Stage]:
    """The shortest chain of legal moves from ``from_stage`` to ``target`` (empty when already
    there); raises ``IllegalMove`` when the state machine has no such chain."""
    start = Stage(from_stage)
    if start == target:
        return []
    previous: dict[Stage, Stage] = {}
    frontier = [start]
    while frontier:
        following: list[Stage] = []
        for stage in frontier:
            for nxt in sorted(TRANSITIONS[stage], key=list(Stage).index):
                if nxt in previous or nxt == start:
                    continue
                previous[nxt] = stage
                if nxt == target:
                    chain = [nxt]
                    while chain[-1] in previous and previous[chain[-1]] != start:
                        chain.append(previous[chain[-1]])
                    return list(reversed(chain))
                following.append(nxt)
        frontier = following
    raise IllegalMove(start, target.value)


def certificate_effect(stage: Stage | str, holds: bool) -> list[Stage]:
    """The moves that keep a member consistent with its titles: holding the pool's title
    carries an admitted member on to ``certified``; losing it (expiry, revocation) reopens a
    ``certified`` member to ``cultivating``. Empty when nothing is to change."""
    current = Stage(stage)
    if holds and current in ADVANCED_BY_CERTIFICATE:
        return path_to(current, Stage.CERTIFIED)
    if not holds and current == Stage.CERTIFIED:
        return [Stage.CULTIVATING]
    return []


def pools_of_tier(tier: str) -> list[str]:
    """Pools whose ``certified`` stage stands for ``tier``."""
    return [p.key for p in POOLS.values() if p.tier == tier]
