"""Versioned notice templates (files) and a renderer that refuses to produce garbage.

Files are ``templates/<language>/<name>.v<N>.j2``; the highest ``N`` is current and its
``v<N>`` is stored on every notice. The first line is ``Subject: …``. Jinja runs with
``StrictUndefined``: a missing value is an error, never an empty gap, and ``validate_all``
renders every template against a sample at startup and in tests, so a broken file stops the
process before any enterprise sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
NAMES = ("eligibility", "renewal", "welcome")
LANGUAGES = ("zh-CN", "en")
_FILE = re.compile(r"^(?P<name>[a-z_]+)\.v(?P<version>\d+)\.j2$")


class RenderError(Exception):
    """A template could not be rendered; the notice fails permanently, nothing is sent."""


@dataclass(frozen=True)
class Rendered:
    template: str
    version: str
    subject: str
    body: str


class TemplateSet:
    """The current version of each (language, name) template, compiled once."""

    def __init__(self, directory: Path = TEMPLATE_DIR) -> None:
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(directory)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
        )
        self._current: dict[tuple[str, str], tuple[int, str]] = {}
        for path in directory.glob("*/*.j2"):
            match = _FILE.match(path.name)
            if not match:
                continue
            key = (path.parent.name, match["name"])
            version = int(match["version"])
            if version > self._current.get(key, (0, ""))[0]:
                self._current[key] = (version, f"{path.parent.name}/{path.name}")

    def render(self, language: str, name: str, context: dict[str, Any]) -> Rendered:
        if (language, name) not in self._current:
            raise RenderError(f"no template {language}/{name}")
        version, path = self._current[(language, name)]
        try:
            text = self._env.get_template(path).render(**context)
        except jinja2.TemplateError as exc:
            raise RenderError(f"{path}: {exc}") from exc
        first, _, rest = text.partition("\n")
        if not first.startswith("Subject: ") or not rest.strip():
            raise RenderError(f"{path}: first line must be 'Subject: …' followed by a body")
        return Rendered(name, f"v{version}", first[len("Subject: "):].strip(), rest.strip() + "\n")

    def version_of(self, language: str, name: str) -> str:
        """The current version label (``v<N>``), or ``"none"`` when the template is missing."""
        found = self._current.get((language, name))
        return f"v{found[0]}" if found else "none"

    def validate_all(self) -> list[str]:
        """Render every (language, name) against a full sample; return the problems found."""
        problems = []
        for language in LANGUAGES:
            for name in NAMES:
                try:
                    self.render(language, name, SAMPLE_CONTEXT)
                except RenderError as exc:
                    problems.append(str(exc))
        return problems


SAMPLE_CONTEXT: dict[str, Any] = {
    "enterprise_name": "聊城某某轴承有限公司",
    "tier_name": "高新技术企业",
    "pool_name": "高新技术企业后备库",
    "policy_name": "高新技术企业减按15%税率征收企业所得税",
    "benefit": "企业所得税减按15%",
    "amount": "金额待定 / amount unknown",
    "deadline": "2026-12-31",
    "window_opens": None,
    "source_document": "企业所得税法第二十八条第二款",
    "contact": "区科技局 0635-0000000",
    "reason": "研发费用占比 4.2% ≥ 4.0%",
    "rulebook_version": "hnte-2016.1",
    "certificate_number": "GR202437000001",
    "days_left": 60,
    "admitted_on": "2026-03-01",
    "support": [{"name": "研发费用加计扣除", "benefit": "100%加计扣除", "amount": "按实际",
                 "deadline": None}],
}
