"""Display names of tiers and pools in both languages (keys from profile.md), and the rule
that a notice is written in one language: ``"中文 / English"`` data is split, research markers
(``[MEM]``, ``[NOT FOUND]``) are dropped, documents and criteria are named, never keyed."""

from __future__ import annotations

import re
from collections.abc import Iterable

_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
_MARKER = re.compile(r"\s*\[[^\]]*\]")
#: A Chinese term an English title quotes in brackets: "… accounts (查账征收)".
_QUOTED_ZH = re.compile(r"\s*[(（][^()（）]*[\u2e80-\u9fff][^()（）]*[)）]")
#: How a notice names the rules when the event does not say which documents they follow.
CURRENT_RULES = {"zh-CN": "现行认定办法", "en": "the current recognition rules"}

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


def one_language(text: str | None, language: str) -> str:
    """The reader's half of ``"中文 / English"`` data; other text as it is (markers dropped).

    Only a pair whose right half has no Chinese is bilingual: ``"工信部企业〔2026〕2号 /
    工企业函〔2026〕160号"`` names two documents and stays whole.
    """
    if not text:
        return ""
    text = _MARKER.sub("", text).strip()
    left, sep, right = text.rpartition(" / ")
    if sep and _CJK.search(left) and not _CJK.search(right):
        return right.strip() if language == "en" else left.strip()
    return text


def documents(names: Iterable[str], language: str) -> str:
    """The rulebook's documents (国科发政〔2017〕115号、…), or "the current rules"."""
    cleaned = [n for n in (_MARKER.sub("", name).strip() for name in names) if n]
    if not cleaned:
        return CURRENT_RULES[language]
    return ("、" if language == "zh-CN" else ", ").join(cleaned)


def criteria(titles: Iterable[tuple[str, str]], count: int, language: str) -> str:
    """The criteria met, by title in the reader's language (a count when titles are absent)."""
    zh = language == "zh-CN"
    names = [title[0] if zh else _QUOTED_ZH.sub("", title[1]).strip() for title in titles]
    if names:
        return ("；" if zh else "; ").join(names)
    return f"共 {count} 项条件" if zh else f"{count} criteria"
