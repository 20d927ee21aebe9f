"""The web UI names scoring's ``review`` status and the ``pending_review`` list of a tier
(official criteria the profile cannot decide: 须经评审确认 / subject to review)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from jinja2 import Environment
from jinja2 import FileSystemLoader

import gateway
from gateway.web.catalogue import MESSAGES
from gateway.web.catalogue import STATUSES
from gateway.web.i18n import pick
from gateway.web.i18n import t
from gateway.web.wording import HELPERS

TEMPLATES = Path(gateway.__file__).parent / "web" / "templates"
PENDING: dict[str, Any] = {
    "tier": "little_giant", "verdict": "unknown", "route": "gates", "score": None,
    "criteria": [
        {"id": "little_giant.c1_title", "title": {"zh": "已是专精特新", "en": "Holds SRDI"},
         "status": "pass", "actual": True, "required": True, "requirement": "",
         "unit": "", "gap": None, "note": None, "citation": "附件2 条件1"},
        {"id": "little_giant.c5_reputation", "title": {"zh": "主导产品具有较高知名度",
                                                       "en": "Main product reputation"},
         "status": "review", "actual": None, "required": None,
         "requirement": "须经评审确认 / subject to review", "unit": "", "gap": None,
         "note": None, "citation": "工信部企业〔2026〕2号 附件2 条件5"},
    ],
    "next_steps": [{"criterion": "little_giant.c5_reputation", "amount": None, "unit": "none",
                    "text_zh": "须经评审确认：主导产品具有较高知名度",
                    "text_en": "Subject to review: Main product reputation"}],
    "pending_review": ["little_giant.c5_reputation"],
}  # fmt: skip


def _render(result: dict[str, Any], lang: str) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    env.globals.update(t=t, pick=pick, lang=lang, **HELPERS)
    template = env.from_string(
        '{% from "web/_macros.html" import tier_result with context %}{{ tier_result(r) }}')
    app = Flask(__name__)
    with app.test_request_context(f"/?lang={lang}"):
        return template.render(r=result)


def test_every_status_the_engine_answers_has_a_label() -> None:
    assert set(STATUSES) == {"pass", "fail", "unknown", "review"}
    assert MESSAGES["status.review"] == ("待评审", "Needs review")
    assert MESSAGES["crit.pending_review"] == ("须经评审确认", "Subject to review")


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["待评审", "须经评审确认", "主导产品具有较高知名度", "信息不足"]),
    ("en", ["Needs review", "Subject to review", "Main product reputation", "Not enough data"]),
])  # fmt: skip
def test_a_tier_pending_review_says_so(lang: str, words: list[str]) -> None:
    html = _render(PENDING, lang)
    for word in words:
        assert word in html, word
    assert "status.review" not in html and "crit.pending" not in html
    assert 'class="status s-review"' in html and "v-review" in html


def test_a_tier_without_review_items_shows_no_review_badge() -> None:
    plain = {**PENDING, "verdict": "eligible", "criteria": PENDING["criteria"][:1],
             "next_steps": []}
    del plain["pending_review"]
    html = _render(plain, "zh")
    assert "v-review" not in html and "须经评审确认" not in html
