# mypy: disable-error-code="index,union-attr"
"""Webhook URLs (robot URLs carry access tokens) are read in full only by the owning enterprise.

Bureau staff (viewer, curator, admin), other enterprises and callers without an actor see
``https://host/…`` — in the preferences, their audit trail and a notice's delivery rows.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from notify_testkit import expiring
from notify_testkit import new_uscc
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.domain.templates import TemplateSet
from notify.handlers.notices import process_events
from notify.models.notice import Notice

pytestmark = pytest.mark.integration

TOKEN = "tok-0123456789abcdef"
HOOK = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"
SHOWN = "https://oapi.dingtalk.com/…"
SECRET = "robot-secret-0123456789"


def owner(uscc: str) -> dict[str, str]:
    return {"X-Actor": f"enterprise:{uscc}"}


def save_hook(client: FlaskClient, uscc: str) -> Any:
    resp = client.put(f"/api/v1/enterprises/{uscc}/preferences", headers=owner(uscc), json={
        "language": "zh-CN", "channels": ["webhook"], "webhook_url": HOOK,
        "webhook_secret": SECRET})
    assert resp.status_code == 200, resp.json
    return resp.json


def test_only_the_owner_reads_its_webhook_url(client: FlaskClient, uscc: str) -> None:
    assert save_hook(client, uscc)["webhook_url"] == HOOK
    path = f"/api/v1/enterprises/{uscc}/preferences"
    assert client.get(path, headers=owner(uscc)).json["webhook_url"] == HOOK
    for others in ({"X-Actor": "user:viewer"}, {"X-Actor": "user:curator"},
                   {"X-Actor": "user:admin"}, {"X-Actor": f"enterprise:{new_uscc()}"}, {}):
        seen = client.get(path, headers=others)
        assert seen.status_code == 200 and seen.json["webhook_url"] == SHOWN
        assert TOKEN not in seen.get_data(as_text=True)
    trail = client.get(f"{path}/audit", headers={"X-Actor": "user:viewer"})
    assert trail.json["items"][0]["after"]["webhook_url"] == SHOWN
    assert trail.json["items"][0]["changes"]["webhook_url"] == {"before": None, "after": SHOWN}
    assert TOKEN not in trail.get_data(as_text=True)


def test_a_bureau_edit_that_sends_the_shown_url_back_keeps_the_stored_one(
    client: FlaskClient, uscc: str
) -> None:
    saved = save_hook(client, uscc)
    curator = {"X-Actor": "user:curator"}
    path = f"/api/v1/enterprises/{uscc}/preferences"
    shown = client.get(path, headers=curator).json
    resp = client.put(path, headers=curator, json={
        "language": "en", "channels": shown["channels"], "webhook_url": shown["webhook_url"],
        "version": saved["version"], "reason": "企业来电要求英文 / asked for English"})
    assert resp.status_code == 200, resp.json
    assert resp.json["webhook_url"] == SHOWN and resp.json["language"] == "en"
    assert client.get(path, headers=owner(uscc)).json["webhook_url"] == HOOK
    last = client.get(f"{path}/audit").json["items"][-1]
    assert last["changes"] == {"language": {"before": "zh-CN", "after": "en"}}


def test_a_notice_delivery_row_shows_the_webhook_host_only(
    client: FlaskClient, sessions: sessionmaker[Session], uscc: str
) -> None:
    save_hook(client, uscc)
    with sessions.begin() as session:
        process_events(session, [expiring(uscc)], templates=TemplateSet(), weekly_cap=10)
    with sessions() as session:
        notice_id = session.scalar(select(Notice.id).where(Notice.uscc == uscc))
    detail = client.get(f"/api/v1/notices/{notice_id}", headers={"X-Actor": "user:viewer"})
    assert detail.status_code == 200, detail.json
    [delivery] = detail.json["deliveries"]
    assert (delivery["channel"], delivery["target"]) == ("webhook", SHOWN)
    assert TOKEN not in json.dumps(detail.json)
