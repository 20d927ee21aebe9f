"""Display names of tiers and pools in both languages (keys from profile.md)."""

from __future__ import annotations

TIER_NAMES: dict[str, tuple[str, str]] = {
    "tech_sme": ("科技型中小企业", "tech-based SME"),
    "innovative_sme": ("创新型中小企业", "innovative SME"),
    "srdi_sme": ("专精特新中小企业", "specialised, refined, distinctive and innovative SME"),
    "little_giant": ("专精特新“小巨人”企业", "SRDI 'little giant'"),
    "hnte": ("高新技术企业", "high and new technology enterprise (HNTE)"),
    "agri_leader_national": (
        "国家重点农业产业化龙头企业", "national leading agricultural enterprise"
    ),
    "agri_leader_provincial": (
        "省级农业产业化重点龙头企业", "provincial leading agricultural enterprise"
    ),
    "agri_leader_municipal": (
        "市级农业产业化重点龙头企业", "municipal leading agricultural enterprise"
    ),
    "listing_reserve": ("上市后备企业", "listing-reserve enterprise"),
}

POOL_NAMES: dict[str, tuple[str, str]] = {  # the registry's pool keys
    "hnte_reserve": ("高企后备库", "high-tech enterprise reserve"),
    "tech_sme": ("科技型中小企业库", "tech-based SME pool"),
    "innovative_sme": ("创新型中小企业库", "innovative SME pool"),
    "srdi_sme": ("专精特新中小企业库", "specialised SME (SRDI) pool"),
    "little_giant": ("专精特新“小巨人”库", "little giant pool"),
    "agri_leader_district": ("区级农业产业化龙头企业库", "district agricultural leader pool"),
    "agri_leader_municipal": ("市级农业产业化龙头企业库", "municipal agricultural leader pool"),
    "agri_leader_provincial": ("省级农业产业化龙头企业库", "provincial agricultural leader pool"),
    "agri_leader_national": ("国家级农业产业化龙头企业库", "national agricultural leader pool"),
    "listing_reserve": ("上市后备库", "listing reserve"),
}


def _pick(names: dict[str, tuple[str, str]], key: str | None, language: str) -> str:
    if key is None:
        return "—"
    zh, en = names.get(key, (key, key))
    return zh if language == "zh-CN" else en


def tier_name(key: str | None, language: str) -> str:
    return _pick(TIER_NAMES, key, language)


def pool_name(key: str | None, language: str) -> str:
    return _pick(POOL_NAMES, key, language)
