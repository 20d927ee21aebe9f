"""Versioned notice templates (files) and a renderer that refuses to produce garbage.

Files are ``templates/<language>/<name>.v<N>.j2``; the highest ``N`` is current and its
``v<N>`` is stored on every notice. The first line is ``Subject: …``. Jinja runs with
``StrictUndefined``: a missing value is an error, never an empty gap, and ``validate_all``
renders every template against a sample at startup and in tests, so a broken file stops the
process before any enterprise sees it.

Speed (the consumer renders a notice per event): each current template is compiled once at
load, and the text around the one per-enterprise value, ``enterprise_name``, is cached per
(language, template, the rest of the context). A cached text holds a sentinel where the
name goes and is finished with one ``str.replace``. That is only done for a template whose
every use of ``enterprise_name`` is a bare ``{{ enterprise_name }}`` output (no filter, test,
condition, assignment, include or macro: checked on the template's syntax tree), where
substitution is exactly what Jinja would print; any other template is rendered in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
NAMES = ("eligibility", "renewal", "welcome", "window", "review")
LANGUAGES = ("zh-CN", "en")
_FILE = re.compile(r"^(?P<name>[a-z_]+)\.v(?P<version>\d+)\.j2$")
#: The per-enterprise context value cut out of cached renders.
VARYING = "enterprise_name"
_SENTINEL = "\x00\x1fenterprise_name\x1f\x00"
#: Cached static renders kept before the cache starts over (bounded memory).
CACHE_LIMIT = 4096


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
        self._compiled: dict[tuple[str, str], jinja2.Template | str] = {}
        self._substitutable: dict[tuple[str, str], bool] = {}
        for key, (_version, name) in self._current.items():
            try:
                self._compiled[key] = self._env.get_template(name)
                source = (directory / name).read_text("utf-8")
                self._substitutable[key] = _only_bare_outputs(self._env.parse(source), VARYING)
            except jinja2.TemplateError as exc:
                self._compiled[key] = f"{name}: {exc}"  # raised on every render
        self._cache: dict[tuple[str, str, str], str] = {}

    def render(self, language: str, name: str, context: dict[str, Any]) -> Rendered:
        if (language, name) not in self._current:
            raise RenderError(f"no template {language}/{name}")
        key = (language, name)
        version, path = self._current[key]
        template = self._compiled[key]
        if isinstance(template, str):
            raise RenderError(template)
        varying = context.get(VARYING)
        try:
            if self._substitutable[key] and isinstance(varying, str):
                text = self._render_around(key, template, context, varying)
            else:
                text = template.render(**context)
        except jinja2.TemplateError as exc:
            raise RenderError(f"{path}: {exc}") from exc
        first, _, rest = text.partition("\n")
        if not first.startswith("Subject: ") or not rest.strip():
            raise RenderError(f"{path}: first line must be 'Subject: …' followed by a body")
        return Rendered(name, f"v{version}", first[len("Subject: "):].strip(), rest.strip() + "\n")

    def _render_around(self, key: tuple[str, str], template: jinja2.Template,
                       context: dict[str, Any], varying: str) -> str:
        """Render with the name cut out (cached), then put the name in."""
        rest = repr(sorted((k, v) for k, v in context.items() if k != VARYING))
        cache_key = (key[0], key[1], rest)
        text = self._cache.get(cache_key)
        if text is None:
            if _SENTINEL in rest:
                return template.render(**context)
            text = template.render(**(context | {VARYING: _SENTINEL}))
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[cache_key] = text
        return text.replace(_SENTINEL, varying)

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


def _only_bare_outputs(tree: nodes.Template, variable: str) -> bool:
    """True when ``variable`` is only ever printed as is: ``{{ variable }}``, nothing else."""
    if any(True for _ in tree.find_all((nodes.Extends, nodes.Include, nodes.Import,
                                         nodes.FromImport, nodes.Macro, nodes.CallBlock))):
        return False
    bare: set[int] = set()
    for output in tree.find_all(nodes.Output):
        bare.update(id(n) for n in output.nodes
                    if isinstance(n, nodes.Name) and n.name == variable and n.ctx == "load")
    return all(id(n) in bare for n in tree.find_all(nodes.Name) if n.name == variable)


SAMPLE_CONTEXT: dict[str, Any] = {
    "enterprise_name": "聊城某某轴承有限公司",
    "tier_name": "高新技术企业",
    "pool_name": "高新技术企业后备库",
    "policy_name": "高新技术企业减按15%税率征收企业所得税",
    "benefit": "企业所得税减按15%",
    "amount": "金额待定 / amount unknown",
    "deadline": "2026-12-31",
    "window_opens": "2026-11-01",
    "batch": "2026年第四批",
    "milestone": "closing_30",
    "standing": "已符合",
    "source_document": "企业所得税法第二十八条第二款",
    "contact": "区科技局 0635-0000000",
    "reason": "研发费用占比 4.2% ≥ 4.0%",
    "rulebook_version": "hnte-2016.1",
    "rules": "国科发火〔2016〕32号、国科发火〔2016〕195号",
    "certificate_number": "GR202437000001",
    "days_left": 60,
    "admitted_on": "2026-03-01",
    "support": [{"name": "研发费用加计扣除", "benefit": "100%加计扣除", "amount": "按实际",
                 "deadline": None}],
    "year": 2025,
    "returned": [{"field": "研发费用", "reason": "与审计报告不符"}],
    "accepted": ["营业收入", "职工总数"],
    "note": "请更正后重新提交",
    "submission_path": "/my/submissions/7",
}
