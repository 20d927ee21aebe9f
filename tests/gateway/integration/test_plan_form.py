"""Issue 13 item 1: the plan form made whole, against the real registry (its own SQLite file,
served over HTTP behind the gateway).

What the bureau's admin notices: each indicator shows its counting rule in words and takes a
target for every year of the period and, optionally, one per town picked by the town's name;
what is typed is what the registry stores (read back through the API); a split over the final
target is warned about before it is saved, a last-year target that contradicts the final
target is refused; a plan is edited on the same form, and an edit someone else overtook keeps
what was typed, shows what is stored and who changed it, and saves on the second submit; every
save is journaled with who and why. Viewers and curators never open the form.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from gateway_testkit import new_staff
from gateway_testkit import real_service

from yumiao_common.clock import beijing_today

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration
SHAZHEN, TANGYI = "371502101", "371502102"  # 沙镇镇, 堂邑镇
VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture(scope="module")
def gateway(
    make_sqlite_url: Callable[[str], str],
    migrated_url: str,
    app: Flask,
    upstreams: dict[str, RecordingUpstream],
) -> Iterator[Flask]:
    """The gateway in front of the real registry (``app`` made the accounts)."""
    service = real_service("registry", make_sqlite_url("gw-plan-form-registry"))
    with gateway_before({"registry": service}, migrated_url, upstreams, {}) as gw:
        yield gw


def _post(client: FlaskClient, url: str, data: dict[str, str]) -> tuple[int, str, str]:
    resp = client.post(url, data={**data, "csrf_token": csrf_of(client)})
    return resp.status_code, resp.get_data(as_text=True), resp.headers.get("Location", "")


def _api(gateway: Flask, path: str) -> Any:
    client = gateway.test_client()
    resp = client.get(f"/api/v1{path}", headers=bearer(client, "admin", PASSWORD))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def _plan_id(location: str) -> int:
    match = re.search(r"plan=(\d+)", location)
    assert match, location
    return int(match.group(1))


NEW_PLAN = {
    "title": "三年行动计划（2031-2033年）",
    "document_number": "东政发〔2031〕1号",
    "start_year": "2031",
    "end_year": "2033",
    "reason": "区政府印发",
    "use_hnte_held": "1",
    "baseline_hnte_held": "118",
    "final_target_hnte_held": "150",
    "year_hnte_held_2031": "130",
    "year_hnte_held_2032": "140",
    "year_hnte_held_2033": "150",
    f"town_hnte_held_{SHAZHEN}": "30",
    f"town_hnte_held_{TANGYI}": "25",
    "note_hnte_held": "第8条",
    "use_reserve_admitted": "1",
    "final_target_reserve_admitted": "20",
    "year_reserve_admitted_2031": "18",
    "year_reserve_admitted_2032": "20",
    "year_reserve_admitted_2033": "1,200",
    "use_rd_growth": "1",
    "final_target_rd_growth": "15",
    f"town_rd_growth_{SHAZHEN}": "12.5",
}


def _create(gateway: Flask, form: dict[str, str] | None = None) -> int:
    admin = sign_in(gateway, "admin")
    status, html, location = _post(admin, "/reports/plans/new", form or NEW_PLAN)
    assert status == 303, html[:2000]
    return _plan_id(location)


def test_an_admin_creates_a_plan_with_yearly_and_per_town_targets_read_back_from_the_api(
    gateway: Flask,
) -> None:
    admin = sign_in(gateway, "admin")
    page = admin.get("/reports/plans/new").get_data(as_text=True)
    assert "沙镇镇" in page and "堂邑镇" in page  # towns by name
    assert f">{SHAZHEN}<" not in page  # codes only as field names
    assert "统计日（当年12月31日）持有有效高新技术企业证书的企业数" in page  # the rule in words
    assert "所在镇街计入" in page  # and how a firm is placed in a town
    # the period comes after the latest plan (the seeded 2023–2025 one, or a later test's)
    assert re.search(r'id="start_year"[^>]*value="20\d\d"', page)
    plan_id = _create(gateway)
    plan = _api(gateway, f"/plans/{plan_id}")
    assert (plan["title"], plan["document_number"], plan["start_year"], plan["end_year"]) == (
        "三年行动计划（2031-2033年）",
        "东政发〔2031〕1号",
        2031,
        2033,
    )
    got = {i["measure"]: i for i in plan["indicators"]}
    assert set(got) == {"hnte_held", "reserve_admitted", "rd_growth"}
    hnte = got["hnte_held"]
    assert (hnte["baseline"], hnte["final_target"], hnte["note"]) == ("118.00", "150.00", "第8条")
    assert hnte["yearly_targets"] == {"2031": "130.00", "2032": "140.00", "2033": "150.00"}
    assert hnte["town_targets"] == {SHAZHEN: "30.00", TANGYI: "25.00"}
    assert got["reserve_admitted"]["yearly_targets"]["2033"] == "1200.00"  # 1,200 as typed
    assert got["rd_growth"]["town_targets"] == {SHAZHEN: "12.50"}
    journal = _api(gateway, f"/plans/{plan_id}/journal")["items"]
    assert [(e["action"], e["reason"]) for e in journal] == [("create", "区政府印发")]
    assert journal[0]["actor"].endswith(":admin")


def test_the_edit_form_shows_the_plan_as_stored_with_one_input_per_year(gateway: Flask) -> None:
    plan_id = _create(gateway)
    html = sign_in(gateway, "admin").get(f"/reports/plans/{plan_id}/edit").get_data(as_text=True)
    assert 'name="year_hnte_held_2032" inputmode="decimal" size="6" maxlength="24"' in html
    assert 'value="140"' in html and 'name="year_hnte_held_2034"' not in html
    assert re.search(rf'name="town_hnte_held_{SHAZHEN}"[^>]*value="30"', html)
    assert re.search(r'name="town_rd_growth_\d{9}"[^>]*value="12.5"', html)
    assert 'id="use_srdi_provincial_held" name="use_srdi_provincial_held" value="1">' in html


def test_a_split_over_the_final_target_is_saved_only_once_confirmed(gateway: Flask) -> None:
    admin = sign_in(gateway, "admin")
    before = len(_api(gateway, "/plans?limit=200")["items"])
    over = {**NEW_PLAN, f"town_hnte_held_{TANGYI}": "125"}  # 30 + 125 > 150
    status, html, _ = _post(admin, "/reports/plans/new", over)
    assert status == 200 and 'id="plan-warnings"' in html
    assert "分镇街目标合计 155 超过期末目标 150" in html and 'id="town-sum-hnte_held">155<' in html
    assert len(_api(gateway, "/plans?limit=200")["items"]) == before  # nothing saved yet
    status, html, location = _post(admin, "/reports/plans/new", {**over, "accept_warnings": "1"})
    assert status == 303, html[:2000]
    towns = _api(gateway, f"/plans/{_plan_id(location)}")["indicators"][0]["town_targets"]
    assert towns[TANGYI] == "125.00"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"year_hnte_held_2033": "149"}, "year_hnte_held_2033", "末年（2033）目标即期末目标"),
        (
            {
                "use_agri_leader_new": "1",
                "year_agri_leader_new_2031": "8",
                "year_agri_leader_new_2032": "6",
            },
            "year_agri_leader_new_2032",
            "2032 年累计目标不能少于上一年",
        ),
    ],
)
def test_yearly_targets_that_contradict_the_plan_are_refused(
    gateway: Flask,
    change: dict[str, str],
    field: str,
    words: str,
) -> None:
    status, html, _ = _post(sign_in(gateway, "admin"), "/reports/plans/new", {**NEW_PLAN, **change})
    assert status == 422 and words in html and f'href="#f-{field}"' in html
    assert 'value="三年行动计划（2031-2033年）"' in html  # what was typed is kept


def test_a_stale_edit_keeps_what_was_typed_shows_the_stored_values_and_saves_on_resubmit(
    gateway: Flask,
) -> None:
    plan_id = _create(gateway)
    url = f"/reports/plans/{plan_id}/edit"
    mine = sign_in(gateway, "admin")
    loaded = mine.get(url).get_data(as_text=True)
    version = VERSION.search(loaded)
    assert version
    other_name = new_staff(gateway, "admin")
    other = sign_in(gateway, other_name)
    theirs = {
        **NEW_PLAN,
        "version": version.group(1),
        "final_target_hnte_held": "160",
        "year_hnte_held_2033": "160",
        "reason": "区政府调整目标",
    }
    assert _post(other, url, theirs)[0] == 303
    typed = {
        **NEW_PLAN,
        "version": version.group(1),
        "title": "三年行动计划（修订）",
        f"town_hnte_held_{TANGYI}": "40",
        "reason": "镇街分解调整",
    }
    status, html, _ = _post(mine, url, typed)
    assert status == 409
    assert f'id="conflict-who">用户 {other_name}<' in html and "区政府调整目标" in html
    assert 'value="三年行动计划（修订）"' in html  # typed values kept
    assert re.search(rf'name="town_hnte_held_{TANGYI}"[^>]*value="40"', html)
    assert 'id="s-final_target_hnte_held">现存值：<strong>160</strong>' in html
    assert f'id="s-town_hnte_held_{TANGYI}">现存值：<strong>25</strong>' in html
    fresh = VERSION.search(html)
    assert fresh and fresh.group(1) != version.group(1)
    status, html, location = _post(mine, url, {**typed, "version": fresh.group(1)})
    assert status == 303 and location.endswith(f"/reports/progress?plan={plan_id}"), html[:2000]
    plan = _api(gateway, f"/plans/{plan_id}")
    hnte = next(i for i in plan["indicators"] if i["measure"] == "hnte_held")
    assert plan["title"] == "三年行动计划（修订）" and hnte["town_targets"][TANGYI] == "40.00"
    assert hnte["final_target"] == "150.00"  # saved over theirs, knowingly
    journal = _api(gateway, f"/plans/{plan_id}/journal")["items"]
    assert [(e["action"], e["actor"].split(":")[-1], e["reason"]) for e in journal] == [
        ("create", "admin", "区政府印发"),
        ("update", other_name, "区政府调整目标"),
        ("update", "admin", "镇街分解调整"),
    ]


def test_editing_a_plan_that_does_not_exist_is_not_found(gateway: Flask) -> None:
    assert sign_in(gateway, "admin").get("/reports/plans/999999/edit").status_code == 404


@pytest.mark.parametrize("who", ["curator", "viewer"])
def test_only_an_admin_opens_or_posts_the_plan_forms(gateway: Flask, who: str) -> None:
    plan_id = _create(gateway)
    client = sign_in(gateway, who)
    for url in ("/reports/plans/new", f"/reports/plans/{plan_id}/edit"):
        assert client.get(url).status_code == 403
        assert _post(client, url, {**NEW_PLAN, "version": "1", "title": "x"})[0] == 403
    assert _api(gateway, f"/plans/{plan_id}")["title"] == NEW_PLAN["title"]


def test_listing_the_years_gives_one_input_per_year_and_saves_nothing(gateway: Flask) -> None:
    admin = sign_in(gateway, "admin")
    before = len(_api(gateway, "/plans?limit=200")["items"])
    status, html, _ = _post(
        admin,
        "/reports/plans/new",
        {
            "title": "x",
            "start_year": "2040",
            "end_year": "2044",
            "action": "years",
            "use_hnte_held": "1",
            "final_target_hnte_held": "200",
        },
    )
    assert status == 200 and 'value="200"' in html
    for year in range(2040, 2045):
        assert f'name="year_hnte_held_{year}"' in html
    assert 'name="year_hnte_held_2045"' not in html
    assert len(_api(gateway, "/plans?limit=200")["items"]) == before


def test_the_progress_page_links_an_admin_to_the_plan_forms(gateway: Flask) -> None:
    plan_id = _create(gateway)
    html = sign_in(gateway, "admin").get(f"/reports/progress?plan={plan_id}")
    assert f'href="/reports/plans/{plan_id}/edit"' in html.get_data(as_text=True)
    viewer = sign_in(gateway, "viewer").get(f"/reports/progress?plan={plan_id}")
    assert "/reports/plans/" not in viewer.get_data(as_text=True)


def test_the_form_reads_in_english(gateway: Flask) -> None:
    html = sign_in(gateway, "admin").get("/reports/plans/new?lang=en").get_data(as_text=True)
    assert "High-tech enterprises held" in html and "Per-town targets (optional)" in html
    assert "Shazhen" in html and "What must add up" in html


def test_a_plan_saved_for_a_later_period_lands_on_a_page_that_says_it_has_not_begun(
    gateway: Flask,
) -> None:
    """Saving the next plan leads to its progress page; with nothing to count yet (a report
    year is never in the future) the page says when progress starts, not a refusal."""
    start = beijing_today().year + 2
    form = {**NEW_PLAN, "title": f"远期规划 {start}", "start_year": str(start),
            "end_year": str(start + 2)}
    for key in [k for k in form if k.startswith("year_")]:
        del form[key]
    plan_id = _create(gateway, form)
    admin = sign_in(gateway, "admin")
    page = admin.get(f"/reports/progress?plan={plan_id}").get_data(as_text=True)
    assert f"尚未开始：{start} 年起显示完成情况" in page
    assert 'role="alert"' not in page  # no refusal of a year nobody typed
    asked = admin.get(f"/reports/progress?plan={plan_id}&year={start}").get_data(as_text=True)
    assert 'role="alert"' in asked and "plan-not-begun" not in asked  # a typed year: the refusal
