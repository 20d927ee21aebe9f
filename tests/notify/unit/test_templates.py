"""Templates: every file renders, versions are recorded, broken ones never produce output."""

from __future__ import annotations

from pathlib import Path

import pytest

from notify.domain.templates import SAMPLE_CONTEXT
from notify.domain.templates import RenderError
from notify.domain.templates import TemplateSet


def test_every_shipped_template_renders_in_both_languages() -> None:
    assert TemplateSet().validate_all() == []


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_rendering_shows_name_policy_amount_deadline_and_reason(language: str) -> None:
    out = TemplateSet().render(language, "eligibility", SAMPLE_CONTEXT)
    assert out.version == "v2"
    for value in ("聊城某某轴承有限公司", "高新技术企业减按15%", "2026-12-31", "研发费用占比"):
        assert value in out.subject + out.body


def test_highest_version_file_wins(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "welcome.v1.j2").write_text("Subject: old\n\nold body\n")
    (tmp_path / "en" / "welcome.v2.j2").write_text("Subject: new {{ enterprise_name }}\n\nbody\n")
    out = TemplateSet(tmp_path).render("en", "welcome", {"enterprise_name": "X"})
    assert (out.version, out.subject) == ("v2", "new X")


@pytest.mark.parametrize("text", [
    "Subject: {{ missing_value }}\n\nbody\n",          # undefined variable
    "Subject: {% if %}\n\nbody\n",                      # syntax error
    "no subject line\nbody\n",                          # malformed file
    "Subject: fine\n\n   \n",                           # empty body
])
def test_broken_templates_raise_instead_of_rendering_garbage(tmp_path: Path, text: str) -> None:
    (tmp_path / "zh-CN").mkdir()
    (tmp_path / "zh-CN" / "eligibility.v1.j2").write_text(text)
    templates = TemplateSet(tmp_path)
    with pytest.raises(RenderError):
        templates.render("zh-CN", "eligibility", {"enterprise_name": "X"})
    assert templates.validate_all()


@pytest.mark.parametrize("name", ["有限公司", "{{ not_a_tag }}", "line\nbreak", "  padded ", ""])
@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("template", ["eligibility", "renewal", "welcome"])
def test_cached_rendering_equals_a_full_render(language: str, template: str, name: str) -> None:
    cached, fresh = TemplateSet(), TemplateSet()
    context = SAMPLE_CONTEXT | {"enterprise_name": name}
    cached.render(language, template, SAMPLE_CONTEXT | {"enterprise_name": "warm the cache"})
    fresh._substitutable = dict.fromkeys(fresh._substitutable, False)  # always a full render
    try:
        expected = fresh.render(language, template, context)
    except RenderError:
        with pytest.raises(RenderError):
            cached.render(language, template, context)
        return
    assert cached.render(language, template, context) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Subject: {{ enterprise_name }}\n\nHello {{ enterprise_name }}.\n", "Hello Ab."),
    ("Subject: x\n\n{{ enterprise_name|upper }}\n", "AB"),
    ("Subject: x\n\n{{ enterprise_name|length }}\n", "2"),
    ("Subject: x\n\n{% if enterprise_name == 'Ab' %}yes{% else %}no{% endif %}\n", "yes"),
    ("Subject: x\n\n{% set enterprise_name = 'Z' %}{{ enterprise_name }}\n", "Z"),
])
def test_a_name_used_beyond_plain_output_is_rendered_in_full(
    tmp_path: Path, text: str, expected: str
) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "welcome.v1.j2").write_text(text)
    templates = TemplateSet(tmp_path)
    for name in ("Xyz", "Ab"):  # the first render would fill a (wrong) cache
        out = templates.render("en", "welcome", {"enterprise_name": name})
    assert out.body == expected + "\n"
