"""Language of the web UI: zh-CN by default, English on request, one lookup function.

The language comes from ``?lang=`` (which also sets a cookie so it sticks) or the cookie; never
from Accept-Language, because the bureau's screens must open in Chinese on any machine. Texts
live in ``catalogue.MESSAGES`` as (zh, en) pairs; upstream texts that already read
``中文 / English`` are split by ``pick`` so nothing is translated twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response
from flask import g
from flask import request

from gateway.web.catalogue import MESSAGES

LANG_COOKIE = "yumiao_lang"
ZH = "zh-CN"
EN = "en"
LANGUAGES = (ZH, EN)


def _normalise(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith("en"):
        return EN
    if value.startswith("zh"):
        return ZH
    return None


def current_lang() -> str:
    """The language of this request (cached on ``g``)."""
    if "web_lang" not in g:
        g.web_lang = (_normalise(request.args.get("lang"))
                      or _normalise(request.cookies.get(LANG_COOKIE)) or ZH)
    lang: str = g.web_lang
    return lang


def remember_lang(response: Response) -> Response:
    """Persist an explicit ``?lang=`` choice in a cookie (one year, readable by JS: no secret)."""
    chosen = _normalise(request.args.get("lang"))
    if chosen and chosen != _normalise(request.cookies.get(LANG_COOKIE)):
        response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax",
                            path="/")
    return response


def t(key: str, **values: Any) -> str:
    """The catalogue text ``key`` in the current language, formatted with ``values``."""
    zh, en = MESSAGES.get(key, (key, key))
    text = en if current_lang() == EN else zh
    return text.format(**values) if values else text


def pick(text: Any) -> str:
    """One side of a bilingual value: ``"中文 / English"`` or ``{"zh": …, "en": …}``."""
    if text is None:
        return ""
    if isinstance(text, Mapping):
        key = "en" if current_lang() == EN else "zh"
        return str(text.get(key) or text.get("zh") or text.get("en") or "")
    text = str(text)
    if " / " not in text:
        return text
    zh, _, en = text.partition(" / ")
    return en.strip() if current_lang() == EN else zh.strip()


def pair(zh: str, en: str) -> str:
    """Choose between two literal texts (for the few strings built from data)."""
    return en if current_lang() == EN else zh
