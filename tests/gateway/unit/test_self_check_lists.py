"""The self-check's tick-box lists (main-product fields, quality items): nothing ticked is
unknown (left out of the profile), "none of these" is a known none (``[]``), bad boxes are
named; the profile they build is valid for the scoring contract (profile.md)."""

from __future__ import annotations

from datetime import date

from werkzeug.datastructures import MultiDict

from gateway.web import forms
from yumiao_common.contracts.profile import Profile

AS_OF = date(2026, 6, 30)


def _profile(form: MultiDict[str, str]) -> Profile:
    values, errors = forms.parse(form)
    assert errors == {}
    return Profile.model_validate(forms.build_profile(values, AS_OF))


def test_ticked_boxes_reach_the_profile_in_the_listed_order() -> None:
    profile = _profile(MultiDict([("main_product_fields", "strategic_emerging"),
                                  ("main_product_fields", "six_foundations"),
                                  ("quality_items", "iso9001")]))
    assert profile.enterprise.main_product_fields == ("six_foundations", "strategic_emerging")
    assert profile.assessments.quality_items == ("iso9001",)


def test_nothing_ticked_is_unknown_and_none_of_these_is_none() -> None:
    unknown = _profile(MultiDict({"name": "自测"}))
    assert "main_product_fields" not in unknown.enterprise.model_fields_set
    assert "quality_items" not in unknown.assessments.model_fields_set
    none = _profile(MultiDict({"main_product_fields": "none", "quality_items": "none"}))
    assert "main_product_fields" in none.enterprise.model_fields_set
    assert none.enterprise.main_product_fields == ()
    assert "quality_items" in none.assessments.model_fields_set
    assert none.assessments.quality_items == ()


def test_unlisted_boxes_and_none_with_others_are_named_and_left_out() -> None:
    values, errors = forms.parse(MultiDict([("main_product_fields", "space_magic"),
                                            ("quality_items", "none"),
                                            ("quality_items", "iso9001")]))
    assert errors == {"main_product_fields": forms.ERRORS["choice"],
                      "quality_items": forms.ERRORS["none_alone"]}
    assert values == {}


def test_what_if_keeps_registered_lists_unless_the_form_ticks_them() -> None:
    base = {"as_of": "2026-01-01",
            "enterprise": {"uscc": forms.PLACEHOLDER_USCC, "name": "某公司",
                           "main_product_fields": ["six_foundations"]},
            "assessments": {"digital_level": 2, "quality_items": []}}
    assert forms.form_from_profile(base, 2025)["quality_items"] == []
    kept = forms.build_profile({}, AS_OF, base)
    assert kept["enterprise"]["main_product_fields"] == ["six_foundations"]
    changed = forms.build_profile({"quality_items": ["own_brand"]}, AS_OF, base)
    assert changed["assessments"] == {"digital_level": 2, "quality_items": ["own_brand"]}
