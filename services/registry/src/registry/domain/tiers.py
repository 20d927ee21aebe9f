"""Titles (tiers) a certification can carry, their labels and their usual validity.

Validity comes from the one table scoring reads too (``yumiao_common.contracts.validity``;
criteria.md §8 item 10): HNTE 3 years from issue, the tech-SME registration its calendar
year (当年有效), the MIIT titles (innovative SME, 专精特新, little giant) 3 years. Where the
rules give no end (agricultural leaders are monitored every two years, honours, a listing)
``valid_years`` is None and no expiry is filled in: the curator types it, and until then the
title's standing is decided by the table (held two years then unknown, or unknown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yumiao_common.contracts.validity import VALIDITY
from yumiao_common.contracts.validity import definite_expiry


@dataclass(frozen=True)
class Tier:
    key: str
    label: str
    valid_years: int | None


def _years(key: str) -> int | None:
    """Years of the default validity (a calendar-year rule counts as 1), None without one."""
    kind, years = VALIDITY.get(key, ("none", 0))
    return years if kind == "years" else 1 if kind == "year" else None


_LABELS: tuple[tuple[str, str], ...] = (
    ("hnte", "高新技术企业 / High-tech enterprise"),
    ("tech_sme", "科技型中小企业 / Tech-based SME"),
    ("innovative_sme", "创新型中小企业 / Innovative SME"),
    ("srdi_sme", "专精特新中小企业 / Specialised SME"),
    ("little_giant", "专精特新“小巨人” / Little giant"),
    ("agri_leader_district", "区级农业产业化龙头企业 / District agricultural leader"),
    ("agri_leader_municipal", "市级农业产业化龙头企业 / Municipal agricultural leader"),
    ("agri_leader_provincial", "省级农业产业化龙头企业 / Provincial agricultural leader"),
    ("agri_leader_national", "国家级农业产业化龙头企业 / National agricultural leader"),
    ("listed", "上市企业 / Listed company"),
    # Honours that are not pools of this registry but open direct-qualification routes.
    ("tech_innovation_demo_national", "国家级技术创新示范企业 / National innovation demo"),
    ("ip_advantage", "知识产权优势企业 / IP advantage enterprise"),
    ("ip_demonstration", "知识产权示范企业 / IP demonstration enterprise"),
    ("single_champion", "制造业单项冠军 / Manufacturing single champion"),
)
TIERS: dict[str, Tier] = {key: Tier(key, label, _years(key)) for key, label in _LABELS}

#: Tiers that exist only in this registry; the shared Profile contract does not know them, so
#: the profile snapshot leaves them out (scoring has no rulebook for them).
REGISTRY_ONLY_TIERS: frozenset[str] = frozenset({"agri_leader_district", "listed"})

CERT_LEVELS: tuple[str, ...] = ("national", "provincial", "municipal", "district")


def default_expiry(tier: str, issued_on: date) -> date | None:
    """The expiry the tier's rules give (HNTE and MIIT titles: the day before the third
    anniversary; tech SME: 31 December of the issue year), or None where they give no end."""
    return definite_expiry(tier, issued_on)
