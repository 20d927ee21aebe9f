"""Every bilingual text of every rulebook is in its own language (issue 8 item 11).

An English reader once saw "National top 500 of the 创客中国 contest": every ``{"zh", "en"}``
pair anywhere in a rulebook (book, criteria, score groups, parameters) has no Chinese on the
English side and Chinese on the Chinese side, and every requirement renders as English text of
its own (not the "—" a title fallback gives when nothing English is left).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from scoring.domain.readable import requirement_texts
from scoring.domain.rulebook import all_rulebooks

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20（），；：、。“”]")


def _pairs(node: Any, path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "zh" in node and "en" in node:
            yield path, node
        for key, value in node.items():
            yield from _pairs(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _pairs(value, f"{path}[{i}]")


def _books() -> list[tuple[str, dict[str, Any]]]:
    return [(f"{tier}@{day}", book) for tier, books in all_rulebooks().items()
            for day, book in books]  # fmt: skip


@pytest.mark.parametrize(("name", "book"), _books(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_title_is_in_its_own_language(name: str, book: dict[str, Any]) -> None:
    pairs = list(_pairs(book, name))
    assert len(pairs) > len(book["criteria"])  # the book's title and every criterion's
    for path, pair in pairs:
        assert not CJK.search(str(pair["en"])), (path, pair["en"])
        assert CJK.search(str(pair["zh"])), (path, pair["zh"])


@pytest.mark.parametrize(("name", "book"), _books(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_requirement_has_an_english_text(name: str, book: dict[str, Any]) -> None:
    for c in book["criteria"]:
        zh, en = requirement_texts(c.get("requirement", ""), c["title"]["zh"], c["title"]["en"])
        assert en != "—" and not CJK.search(en), (name, c["id"], en)
        assert CJK.search(zh) or not re.search(r"[A-Za-z]{3,}", zh), (name, c["id"], zh)


def test_maker_china_reads_in_english() -> None:
    titles = {f"{tier}.{c['id']}": c["title"]["en"] for tier, books in all_rulebooks().items()
              for _day, book in books for c in book["criteria"]}  # fmt: skip
    contest = "of the Maker China contest in 3 years"
    assert titles["srdi_sme.d_maker_china"] == f"National top 500 {contest}"
    assert titles["little_giant.d_maker_china"] == f"National top 50 {contest}"
    assert titles["tech_sme.g1_audited_tax"] == "Resident enterprise taxed on audited accounts"
