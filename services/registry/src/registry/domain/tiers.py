"""Titles (tiers) a certification can carry, their labels and their usual validity.

Validity follows architecture.md: high-tech 3 years, tech SME yearly (the evaluation is
renewed every year; the entry number is valid to the end of the next year's evaluation round,
modelled as one year), 专精特新 and little giant 3 years. Where no period is fixed (innovative
SME, agricultural leaders are monitored every two years [unconfirmed], listing) ``None``
means "no default": the curator types the expiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Tier:
    key: str
    label: str
    valid_years: int | None


TIERS: dict[str, Tier] = {t.key: t for t in (
    Tier("hnte", "高新技术企业 / High-tech enterprise", 3),
    Tier("tech_sme", "科技型中小企业 / Tech-based SME", 1),
    Tier("innovative_sme", "创新型中小企业 / Innovative SME", 3),
    Tier("srdi_sme", "专精特新中小企业 / Specialised SME", 3),
    Tier("little_giant", "专精特新“小巨人” / Little giant", 3),
    Tier("agri_leader_district", "区级农业产业化龙头企业 / District agricultural leader", None),
    Tier("agri_leader_municipal", "市级农业产业化龙头企业 / Municipal agricultural leader", None),
    Tier("agri_leader_provincial", "省级农业产业化龙头企业 / Provincial agricultural leader",
         None),
    Tier("agri_leader_national", "国家级农业产业化龙头企业 / National agricultural leader", None),
    Tier("listed", "上市企业 / Listed company", None),
    # Honours that are not pools of this registry but open direct-qualification routes.
    Tier("tech_innovation_demo_national", "国家级技术创新示范企业 / National innovation demo",
         None),
    Tier("ip_advantage", "知识产权优势企业 / IP advantage enterprise", None),
    Tier("ip_demonstration", "知识产权示范企业 / IP demonstration enterprise", None),
    Tier("single_champion", "制造业单项冠军 / Manufacturing single champion", None),
)}

#: Tiers that exist only in this registry; the shared Profile contract does not know them, so
#: the profile snapshot leaves them out (scoring has no rulebook for them).
REGISTRY_ONLY_TIERS: frozenset[str] = frozenset({"agri_leader_district", "listed"})

CERT_LEVELS: tuple[str, ...] = ("national", "provincial", "municipal", "district")


def default_expiry(tier: str, issued_on: date) -> date | None:
    """The day before the ``valid_years`` anniversary of ``issued_on``, or None."""
    years = TIERS[tier].valid_years
    if years is None:
        return None
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February
        anniversary = issued_on.replace(year=issued_on.year + years, day=28)
    return date.fromordinal(anniversary.toordinal() - 1)
