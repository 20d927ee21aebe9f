"""The admin pages against the real registry, scoring and notify (each on its own SQLite file).

Local parameters are changed preview-first: the preview lists the firm that would gain, by
name and with the criterion that moved, and only activation changes the ranking; a parameter
changed after the preview makes activation fail with 参数已变更, said on the page, and the same
change can be previewed again. A parked notify message is listed in words, replayed once with a
reason (the broker receives it exactly once; a second replay is refused). Accounts are created,
given another role and disabled with reasons that the account's history shows.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pika
import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from matrix_table import ADMIN_PAGES
from service_apps import migrated_service_apps

from tests.contracts.golden import example_profile
from tests.job_workers import service_worker
from tests.job_workers import worker_thread
from yumiao_common.contracts.registry import EnterpriseChanged
from yumiao_common.contracts.registry import EnterpriseChangedPayload

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration

TIER = "agri_leader_municipal"
SALES = f"{TIER}.n3_sales.value"  # ¥20,000,000 by default
ASSETS = f"{TIER}.n3_assets.value"
FIRMS = {USCC_A: "聊城甲农业有限公司", USCC_B: "聊城乙农业有限公司"}
FLAGS = ("major_safety_incident", "major_quality_incident", "serious_environmental_violation",
         "research_misconduct", "abnormal_operations_list", "serious_dishonesty_list",
         "wage_or_insurance_arrears", "tax_violation", "bad_bank_credit_2y")


def _farm(uscc: str, revenue: int) -> dict[str, Any]:
    """A farm business whose sales alone decide the municipal agri-leader tier."""
    profile = copy.deepcopy(example_profile())
    profile["enterprise"].update(uscc=uscc, industry_code="C1311",
                                 flags=dict.fromkeys(FLAGS, False))
    profile["certifications"] = []
    profile["financials"] = [{
        "year": year, "employees": 200, "operating_revenue": revenue, "sales_revenue": revenue,
        "main_business_revenue": revenue, "total_income": revenue,
        "agri_sales": revenue * 5 // 6, "total_assets": 40_000_000,
        "total_liabilities": 10_000_000, "fixed_assets": 15_000_000, "net_profit": 3_000_000,
        "total_profit": 3_500_000, "interest_expense": 200_000, "farmer_households": 800,
        "farm_sourced_share_pct": 80} for year in (2022, 2023, 2024)]
    return profile


def _url_of(app: Flask) -> str:
    engine = app.extensions["yumiao.session_factory"].kw["bind"]
    return str(engine.url.render_as_string(hide_password=False))


@pytest.fixture(scope="module")
def stack(make_sqlite_url: Callable[[str], str], migrated_url: str, app: Flask,
          upstreams: dict[str, RecordingUpstream]) -> Iterator[dict[str, Any]]:
    """The gateway before the real services; scoring holds A (¥30M sales: a municipal agri
    leader) and B (¥18M: short of ¥20M) and runs its jobs worker."""
    from scoring.handlers.profiles import apply_enterprise_changes

    apps = migrated_service_apps(make_sqlite_url, prefix="admin", token=INTERNAL_TOKEN)
    events = [EnterpriseChanged(payload=EnterpriseChangedPayload(
        profile=_farm(uscc, revenue), change="test", version=1))
        for uscc, revenue in ((USCC_A, 30_000_000), (USCC_B, 18_000_000))]
    with apps["scoring"].extensions["yumiao.session_factory"].begin() as session:
        apply_enterprise_changes(session, events=events)
    worker = service_worker("scoring", _url_of(apps["scoring"]))
    with worker_thread(worker), gateway_before(apps, migrated_url, upstreams, FIRMS) as gateway:
        yield {"gateway": gateway, "apps": apps}


def _form(client: FlaskClient, **fields: str) -> dict[str, str]:
    return {"csrf_token": csrf_of(client), **fields}


def _wait_for_status(client: FlaskClient, job_url: str, *statuses: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        html = client.get(job_url).get_data(as_text=True)
        found = re.search(r'data-status="(\w+)"', html)
        if found and found.group(1) in statuses:
            return html
        time.sleep(0.1)
    raise AssertionError(f"job never reached {statuses}: {html[:2000]}")


def _verdicts(client: FlaskClient) -> dict[str, str]:
    body = client.get(f"/api/v1/rankings/{TIER}?limit=200",
                      headers=bearer(client, "admin", PASSWORD)).get_json()
    return {row["uscc"]: row["verdict"] for row in body["items"]}


def _preview(client: FlaskClient, parameter: str, value: str, reason: str) -> str:
    resp = client.post(f"/admin/parameters/{parameter}/preview",
                       data=_form(client, value=value, reason=reason))
    assert resp.status_code == 303, resp.get_data(as_text=True)[:2000]
    return str(resp.headers["Location"])


def test_preview_names_who_gains_and_why_then_activation_changes_the_ranking(
    stack: dict[str, Any],
) -> None:
    gateway = stack["gateway"].test_client()
    assert _verdicts(gateway)[USCC_B] != "eligible"
    admin = sign_in(stack["gateway"], "admin")
    listing = admin.get("/admin/parameters").get_data(as_text=True)
    assert "年销售收入" in listing and "¥20,000,000" in listing  # meaning and unit, not codes
    job_url = _preview(admin, SALES, "15000000", "市级标准下调 / municipal bar lowered")
    html = _wait_for_status(admin, job_url, "previewed")
    impact = html[html.index('id="impact"'):]
    assert FIRMS[USCC_B] in impact and FIRMS[USCC_A] not in impact  # only B moves
    assert "年销售收入" in impact and "市级农业产业化龙头企业" in impact
    assert "¥20,000,000 → ¥15,000,000" in html
    assert _verdicts(gateway)[USCC_B] != "eligible"  # a preview changes nothing

    resp = admin.post(job_url + "/activate", data=_form(admin, reason="区局会议决定"))
    assert resp.status_code == 303
    _wait_for_status(admin, job_url, "activated")
    assert _verdicts(gateway)[USCC_B] == "eligible"
    assert "¥15,000,000" in admin.get(f"/admin/parameters/{SALES}").get_data(as_text=True)


def test_a_change_after_the_preview_is_refused_in_words_and_can_be_previewed_again(
    stack: dict[str, Any],
) -> None:
    admin = sign_in(stack["gateway"], "admin")
    job_url = _preview(admin, ASSETS, "9000000", "资产门槛调整")
    _wait_for_status(admin, job_url, "previewed")
    # another admin changes a parameter meanwhile (straight through the API)
    api = stack["gateway"].test_client()
    current = api.get(f"/api/v1/parameters/{SALES}",
                      headers=bearer(api, "admin", PASSWORD)).get_json()
    moved = api.put(f"/api/v1/parameters/{SALES}", headers=bearer(api, "admin", PASSWORD),
                    json={"value": "16000000", "reason": "另一位管理员",
                          "version": current["version"]})
    assert moved.status_code == 200, moved.get_json()

    resp = admin.post(job_url + "/activate", data=_form(admin, reason="按预览生效"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "参数已变更" in html and "重新预览" in html and 'id="activate-form"' not in html
    again = admin.post(job_url + "/again", data=_form(admin))
    assert again.status_code == 303 and again.headers["Location"] != job_url
    fresh = _wait_for_status(admin, again.headers["Location"], "previewed")
    assert 'id="activate-form"' in fresh and "资产门槛调整" in fresh


def test_a_rules_release_is_re_evaluated_preview_first_without_a_parameter_change(
    stack: dict[str, Any],
) -> None:
    admin = sign_in(stack["gateway"], "admin")
    refused = admin.post("/admin/reevaluations", data=_form(admin, reason=""))
    assert refused.status_code == 422 and "请填写原因" in refused.get_data(as_text=True)
    resp = admin.post("/admin/reevaluations", data=_form(admin, reason="规则发布 2026.12"))
    assert resp.status_code == 303
    html = _wait_for_status(admin, resp.headers["Location"], "previewed")
    assert 'id="no-impact"' in html and 'id="activate-form"' in html  # nothing moves


def _ledger_of(stack: dict[str, Any], service: str) -> tuple[Any, Any, str, str]:
    """(consumer queue, its ledger, a message type it parks, that type in words)."""
    from yumiao_common.messaging.topology import consumer_queue
    from yumiao_common.parking.ledger import SqlParkingLedger

    sessions = stack["apps"][service].extensions["yumiao.session_factory"]
    if service == "notify":
        from notify.adapters.queues import EVENTS_QUEUE
        from notify.models.parked import ParkedMessage as NotifyParked
        return (EVENTS_QUEUE, SqlParkingLedger(sessions, NotifyParked),
                "scoring.eligibility.changed", "认定资格变化")
    if service == "registry":
        from registry.consumer import QUEUE as REGISTRY_QUEUE
        from registry.models.parked import ParkedMessage as RegistryParked
        return (consumer_queue(REGISTRY_QUEUE), SqlParkingLedger(sessions, RegistryParked),
                "scoring.eligibility.changed", "认定资格变化")
    from scoring.consumer import QUEUE as SCORING_QUEUE
    from scoring.models.parked import ParkedMessage as ScoringParked
    return (consumer_queue(SCORING_QUEUE), SqlParkingLedger(sessions, ScoringParked),
            "registry.enterprise.changed", "企业信息变更")


@pytest.mark.parametrize("service", ["notify", "registry", "scoring"])
def test_a_parked_message_is_listed_in_words_and_replayed_exactly_once(
    stack: dict[str, Any], make_amqp_vhost: Callable[[], str], service: str,
) -> None:
    """Each service's tab lists its own parked messages in words and replays one once."""
    from yumiao_common.messaging.parking import ERROR_HEADER
    from yumiao_common.messaging.parking import ParkingKeeper
    from yumiao_common.messaging.parking import parked_properties
    from yumiao_common.messaging.topology import ATTEMPTS_HEADER

    queue, ledger, kind, words = _ledger_of(stack, service)
    connection = pika.BlockingConnection(pika.URLParameters(make_amqp_vhost()))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        keeper = ParkingKeeper(ledger, (queue,), 0)
        keeper.tick(channel)  # declares the queues
        message_id = str(uuid.uuid4())
        body = json.dumps({"id": message_id, "type": kind,
                           "payload": {"uscc": USCC_A, "tier": TIER}}).encode()
        properties = pika.BasicProperties(message_id=message_id, content_type="application/json",
                                          type=kind)
        channel.basic_publish("", queue.parking, body,
                              parked_properties(properties, 5, "KeyError: 'verdict'"))
        keeper.tick(channel)  # drained into the service's ledger

        admin = sign_in(stack["gateway"], "admin")
        listing = admin.get(f"/admin/parking?service={service}").get_data(as_text=True)
        assert 'id="no-ledger"' not in listing
        assert words in listing and FIRMS[USCC_A] in listing
        assert "KeyError: &#39;verdict&#39;" in listing
        link = re.search(rf'href="(/admin/parking/{service}/[0-9a-f-]+)"', listing)
        assert link, listing
        refused = admin.post(link.group(1) + "/replay", data=_form(admin, reason=" "))
        assert refused.status_code == 422 and "请填写原因" in refused.get_data(as_text=True)
        resp = admin.post(link.group(1) + "/replay", data=_form(admin, reason="修复后重放"))
        assert resp.status_code == 303
        detail = admin.get(link.group(1)).get_data(as_text=True)
        assert "已请求重放" in detail and "修复后重放" in detail  # state and the audited reason

        keeper.tick(channel)
        keeper.tick(channel)
        method, replayed_props, replayed = channel.basic_get(queue.name, auto_ack=True)
        assert method is not None and replayed == body
        headers = replayed_props.headers or {}
        assert ATTEMPTS_HEADER not in headers and ERROR_HEADER not in headers  # a fresh start
        assert channel.basic_get(queue.name, auto_ack=True)[0] is None  # once only
        again = admin.post(link.group(1) + "/replay", data=_form(admin, reason="再来一次"))
        assert again.status_code == 409
        assert "已重放" in admin.get(link.group(1)).get_data(as_text=True)
    finally:
        connection.close()


def test_accounts_are_created_given_a_role_and_disabled_with_reasons(
    stack: dict[str, Any],
) -> None:
    gateway: Flask = stack["gateway"]
    admin = sign_in(gateway, "admin")
    name = f"zhang-{uuid.uuid4().hex[:6]}"
    created = admin.post("/admin/accounts", data=_form(
        admin, username=name, display_name="张三", role="viewer", password=PASSWORD,
        reason="新入职科员"))
    assert created.status_code == 303, created.get_data(as_text=True)[:1500]
    account_url = created.headers["Location"].split("?")[0]
    search = admin.get(f"/admin/accounts?q={name}").get_data(as_text=True)
    assert "张三" in search and "只读" in search and "共 1 个账户" in search

    page = admin.get(account_url).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    promoted = admin.post(account_url + "/role", data=_form(
        admin, role="curator", version=version, reason="负责高企后备库"))
    assert promoted.status_code == 303
    staff = sign_in(gateway, name)  # signs in as a curator now
    assert staff.get("/imports").status_code == 200

    page = admin.get(account_url).get_data(as_text=True)
    stale = admin.post(account_url + "/active", data=_form(
        admin, active="0", version=version, reason="旧表单"))
    assert stale.status_code == 409  # the role change moved the version
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    disabled = admin.post(account_url + "/active", data=_form(
        admin, active="0", version=version, reason="调离本局"))
    assert disabled.status_code == 303
    assert staff.get("/imports").status_code == 302  # signed out at once
    history = admin.get(account_url).get_data(as_text=True)
    for words in ("新建账户", "新入职科员", "只读 → 专员", "负责高企后备库", "停用账户", "调离本局",
                  "已停用"):
        assert words in history


def test_an_admin_cannot_disable_or_demote_their_own_account(stack: dict[str, Any]) -> None:
    gateway: Flask = stack["gateway"]
    admin = sign_in(gateway, "admin")
    listing = admin.get("/admin/accounts?q=admin&role=admin").get_data(as_text=True)
    own = re.search(r'href="(/admin/accounts/[0-9a-f-]+)">admin<', listing)
    assert own, listing
    page = admin.get(own.group(1)).get_data(as_text=True)
    assert 'id="own-account"' in page and 'id="active-form"' not in page
    resp = admin.post(own.group(1) + "/active", data=_form(admin, active="0", version="1",
                                                           reason="误操作"))
    assert resp.status_code == 409 and "不能停用自己的账户" in resp.get_data(as_text=True)


def test_every_admin_page_lets_an_admin_through_to_the_real_services(
    stack: dict[str, Any],
) -> None:
    """The isolation matrix's admin pages, as an admin: never refused, never a 500 (a form
    without its reason is a 422 naming it; an unknown job or account a 404 page)."""
    admin = sign_in(stack["gateway"], "admin")
    for page in ADMIN_PAGES:
        data = _form(admin) if page.method == "POST" else None
        resp = admin.open(page.url, method=page.method, data=data)
        assert resp.status_code not in (302, 401, 403) and resp.status_code < 500, page.id


def test_the_admin_pages_read_in_english_and_only_admins_see_them_in_the_menu(
    stack: dict[str, Any],
) -> None:
    gateway: Flask = stack["gateway"]
    admin = sign_in(gateway, "admin")
    html = admin.get("/admin/parameters?lang=en").get_data(as_text=True)
    assert "Local parameters" in html and "Annual sales" in html and "Rulebook default" in html
    assert "Municipal agricultural leader" in html and "70.00 %" in html  # a ratio in percent
    assert 'href="/admin/accounts"' in html and 'href="/admin/parking"' in html
    curator = sign_in(gateway, "curator").get("/imports").get_data(as_text=True)
    assert "/admin/" not in curator
