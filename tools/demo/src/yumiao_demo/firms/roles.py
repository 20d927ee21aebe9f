"""The roles demo firms play: title holders, cultivation candidates and near-misses.

Counts follow domain-data.md §6.2 scaled to 3,000 firms (≈100 高企, ≈140 科技型中小企业,
≈30 省级专精特新, 60–120 创新型, 30–60 agricultural leaders). Near-miss roles sit just short
of one criterion each (criteria.md), so rankings and gap explanations have something to show.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from yumiao_demo.firms.financials import FinanceSpec


@dataclass(frozen=True, slots=True)
class Role:
    key: str
    per_3000: int
    techy: bool = False  # draws from R&D-doing industries
    agri: bool = False  # draws from agricultural industries
    size: str = "small"  # micro | small | medium | large


ROLES: Final[tuple[Role, ...]] = (
    Role("hnte", 75, techy=True, size="small"),
    Role("hnte_srdi", 23, techy=True, size="medium"),
    Role("little_giant", 2, techy=True, size="medium"),
    Role("srdi_only", 5, techy=True, size="small"),
    Role("tech_sme", 70, techy=True, size="small"),
    Role("innovative", 40, techy=True, size="small"),
    Role("reserve", 150, techy=True, size="small"),
    Role("near_hnte_rd", 8, techy=True),
    Role("near_hnte_staff", 6, techy=True),
    Role("near_hnte_hightech", 6, techy=True),
    Role("near_tech_sme_score", 6, techy=True),
    Role("near_tech_sme_staff", 6, techy=True),
    Role("near_srdi_rd", 6, techy=True),
    Role("near_innovative", 8, techy=True),
    Role("agri_municipal", 25, agri=True, size="small"),
    Role("agri_provincial", 12, agri=True, size="medium"),
    Role("agri_national", 1, agri=True, size="large"),
    Role("near_agri_national", 4, agri=True, size="medium"),
    Role("agri_candidate", 30, agri=True, size="small"),
    Role("listing", 8, techy=True, size="medium"),
    Role("large", 12, size="large"),
)
ORDINARY: Final = Role("ordinary", 0)
ROLE_BY_KEY: Final = {r.key: r for r in ROLES}
HOLDS_HNTE: Final = frozenset({"hnte", "hnte_srdi", "little_giant", "listing"})
NEAR_ROLES: Final = tuple(r.key for r in ROLES if r.key.startswith("near_"))


def role_plan(n: int, rng: random.Random) -> list[Role]:
    """``n`` roles, special counts scaled from the 3,000-firm plan, ordinary for the rest."""
    plan: list[Role] = []
    for role in ROLES:
        plan.extend([role] * max(1, round(role.per_3000 * n / 3000)))
    plan = plan[:n]
    plan.extend([ORDINARY] * (n - len(plan)))
    rng.shuffle(plan)
    return plan


def _size_figures(rng: random.Random, size: str) -> tuple[int, int]:
    """(revenue yuan, employees) per statistical size class (§5, §6.2 medians)."""
    if size == "micro":
        return int(rng.lognormvariate(14.0, 0.7)), max(1, min(19, int(rng.lognormvariate(2, 0.5))))
    if size == "small":
        return int(rng.uniform(3e6, 1.8e7)), rng.randint(20, 280)
    if size == "medium":
        # kept off the HNTE band edges (¥50 m, ¥200 m) so a role's band is unambiguous
        band = rng.choice(((5.6e7, 1.85e8), (2.2e8, 3.5e8)))
        return int(rng.uniform(*band)), rng.randint(300, 900)
    return int(rng.uniform(4.5e8, 3e9)), rng.randint(1000, 5000)


def finance_spec(rng: random.Random, role: Role) -> FinanceSpec:
    """Draw a role's figures; the tier-relevant ratio is pinned, the rest varies."""
    size = role.size
    if role.key == "ordinary":
        size = rng.choices(("micro", "small", "medium"), (74, 22, 4))[0]
    revenue, staff = _size_figures(rng, size)
    base = dict(
        revenue=revenue, employees=staff, growth=rng.uniform(-0.05, 0.25),
        rd_ratio=0.0 if rng.random() < 0.6 else rng.uniform(0.002, 0.02),
        science_share=rng.uniform(0.0, 0.08), hightech_share=0.0,
        debt_ratio=rng.uniform(0.3, 0.75), main_share=rng.uniform(0.8, 0.98),
        margin=rng.uniform(-0.03, 0.09), agri=role.agri,
    )
    base.update(_pinned(rng, role.key, revenue))
    return FinanceSpec(**base)  # type: ignore[arg-type]


def _hnte_floor(revenue: int) -> float:
    """HNTE R&D band (criteria.md §2.2 H5) by latest sales; revenue is kept off the edges."""
    return 0.05 if revenue <= 5e7 else 0.04 if revenue <= 2e8 else 0.03


def _pinned(rng: random.Random, key: str, revenue: int) -> dict[str, float | int]:
    tech = dict(
        rd_ratio=_hnte_floor(revenue) + rng.uniform(0.004, 0.03),
        science_share=rng.uniform(0.14, 0.35), hightech_share=rng.uniform(0.65, 0.9),
        growth=rng.uniform(0.06, 0.3), margin=rng.uniform(0.04, 0.12),
        debt_ratio=rng.uniform(0.3, 0.55),
    )
    table: dict[str, dict[str, float | int]] = {
        "hnte": tech,
        "hnte_srdi": {**tech, "rd_min": 1_200_000, "main_share": rng.uniform(0.85, 0.98)},
        "little_giant": {**tech, "rd_min": 5_000_000, "main_share": 0.95},
        "listing": {**tech, "equity": 30_000_000},
        "srdi_only": {**tech, "rd_ratio": 0.045, "rd_min": 1_100_000, "hightech_share": 0.3,
                      "revenue": int(rng.uniform(1.5e7, 4.5e7))},
        "tech_sme": {**tech, "rd_ratio": rng.uniform(0.035, 0.08), "hightech_share": 0.4},
        "innovative": {**tech, "rd_ratio": rng.uniform(0.031, 0.05), "hightech_share": 0.3},
        "reserve": {**tech, "rd_ratio": rng.uniform(0.02, 0.06), "hightech_share": 0.5},
        # 0.2 percentage points below the HNTE band for the firm's revenue
        "near_hnte_rd": {**tech, "rd_ratio": _hnte_floor(revenue) - 0.002},
        "near_hnte_staff": {**tech, "science_below": 0.1},
        "near_hnte_hightech": {**tech, "hightech_share": 0.58},
        # tech SME score 52 < 60: staff 12 % (4) + R&D 4.5 % (30) + three Class II IP (18)
        "near_tech_sme_score": {**tech, "science_share": 0.12, "rd_ratio": 0.045},
        # science-staff share just under 10 %: that sub-score is 0, which fails tech SME G5 outright
        "near_tech_sme_staff": {**tech, "science_below": 0.1},
        # 专精特新: R&D ¥950k < ¥1 m although the ratio passes
        # (3.8 % of ~¥24.5 m sales ≈ ¥0.93 m)
        "near_srdi_rd": {**tech, "rd_ratio": 0.038, "revenue": 25_000_000},
        # 创新型: innovation group 15 < 20 (R&D 2.5 % → 10, Class II only → 5)
        "near_innovative": {**tech, "rd_ratio": 0.025, "hightech_share": 0.3},
        "agri_municipal": {"revenue": int(rng.uniform(2.5e7, 1.2e8)), "margin": 0.05,
                           "debt_ratio": rng.uniform(0.35, 0.55)},
        "agri_provincial": {"revenue": int(rng.uniform(1.2e8, 1.9e8)), "margin": 0.06,
                            "debt_ratio": rng.uniform(0.35, 0.55)},
        "agri_candidate": {"revenue": int(rng.uniform(1.2e7, 6e7)), "margin": 0.04},
        "agri_national": {"revenue": 420_000_000, "margin": 0.05, "debt_ratio": 0.45},
        # sales ¥190–198 m: just short of the national ¥200 m (east) threshold
        "near_agri_national": {"revenue": int(rng.uniform(1.93e8, 1.99e8)), "margin": 0.05,
                               "debt_ratio": 0.5, "growth": 0.04},
    }
    return dict(table.get(key, {}))
