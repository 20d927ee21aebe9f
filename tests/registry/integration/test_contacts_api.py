# mypy: disable-error-code="index,union-attr"
"""Enterprise contacts: mainland mobile numbers checked and normalised, consent needs an
address, every change audited with the personal data masked, and each change puts the whole
contact list on the outbox as ``registry.contacts.changed`` (never in the profile snapshot)."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models.base import outbox_table
from registry.models.contact import MAX_CONTACTS
from yumiao_common.contracts.events import parse_event
from yumiao_common.contracts.registry import ContactsChanged

pytestmark = pytest.mark.integration

WANG = {"name": "王芳", "role": "财务负责人", "mobile": "+86 138-0013-8000",
        "email": "wang.fang@example.com", "sms_consent": True, "email_consent": True}


def _rid() -> dict[str, str]:
    return {**HEADERS, "X-Request-ID": uuid.uuid4().hex}


def _events(session: Session, correlation_id: str) -> list[Any]:
    rows = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == correlation_id))
    return [parse_event(json.dumps(payload)) for (payload,) in rows]


def _base(client: FlaskClient) -> tuple[str, str]:
    uscc = new_uscc()
    create_enterprise(client, uscc)
    return uscc, f"/api/v1/enterprises/{uscc}/contacts"


def test_a_contact_is_stored_normalised_and_announced_to_notify_only(
    client: FlaskClient, session: Session
) -> None:
    uscc, url = _base(client)
    headers = _rid()
    created = client.post(url, json=WANG, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["mobile"] == "13800138000"
    assert created.json["sms_opt_out"] is False
    [event] = _events(session, headers["X-Request-ID"])  # no profile snapshot: no re-scoring
    assert isinstance(event, ContactsChanged)
    assert event.payload.uscc == uscc
    [contact] = event.payload.contacts
    assert (contact.mobile, contact.sms_consent, contact.sms_opt_out) == (
        "13800138000", True, False)
    listed = client.get(url)
    assert [c["id"] for c in listed.json["items"]] == [created.json["id"]]
    assert listed.json["next_cursor"] is None


def test_an_opt_out_is_recorded_and_the_list_version_grows(
    client: FlaskClient, session: Session
) -> None:
    _uscc, url = _base(client)
    first = client.post(url, json=WANG, headers=_rid()).json
    headers = _rid()
    changed = client.patch(f"{url}/{first['id']}", json={"sms_opt_out": True, "version": 1},
                           headers=headers)
    assert changed.status_code == 200, changed.json
    assert changed.json["sms_opt_out"] is True
    [event] = _events(session, headers["X-Request-ID"])
    assert event.payload.version == 2
    assert event.payload.contacts[0].sms_opt_out is True
    stale = client.patch(f"{url}/{first['id']}", json={"name": "王芳芳", "version": 1},
                         headers=HEADERS)
    assert stale.status_code == 409


def test_the_audit_trail_shows_the_change_but_not_the_personal_data(
    client: FlaskClient,
) -> None:
    uscc, url = _base(client)
    contact = client.post(url, json=WANG, headers=HEADERS).json
    client.patch(f"{url}/{contact['id']}", json={"mobile": "13912345678", "version": 1},
                 headers=HEADERS)
    deleted = client.delete(f"{url}/{contact['id']}", headers={**HEADERS, "If-Match": '"2"'})
    assert deleted.status_code == 204
    trail = [e for e in client.get(f"/api/v1/enterprises/{uscc}/audit?limit=200").json["items"]
             if e["entity"] == "contact"]
    assert [e["action"] for e in trail] == ["create", "update", "delete"]
    assert trail[1]["changes"]["mobile"] == {"from": "138****8000", "to": "139****5678"}
    assert trail[0]["changes"]["email"]["to"] == "w***@example.com"
    assert "13800138000" not in json.dumps(trail) and "wang.fang" not in json.dumps(trail)


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "甲", "mobile": "12800138000"}, "mobile"),  # no such mobile range
    ({"name": "甲", "mobile": "1380013800"}, "mobile"),  # ten digits
    ({"name": "甲", "mobile": "+852 91234567"}, "mobile"),  # not mainland
    ({"name": "甲", "mobile": "0531-88888888"}, "mobile"),  # a landline
    ({"name": "甲", "email": "not-an-address"}, "email"),
    ({"name": "甲"}, "mobile"),  # no way to reach the person
    ({"name": "甲", "email": "a@example.com", "sms_consent": True}, "sms_consent"),
    ({"name": "甲", "mobile": "13800138000", "email_consent": True}, "email_consent"),
    ({"mobile": "13800138000"}, "name"),
    ({"name": "甲", "mobile": "13800138000", "sms_consent": "yes"}, "sms_consent"),
])
def test_bad_contacts_are_refused_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    _uscc, url = _base(client)
    response = client.post(url, json=body, headers=HEADERS)
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]


def test_contacts_are_bounded_per_enterprise_and_belong_to_their_enterprise(
    client: FlaskClient,
) -> None:
    _uscc, url = _base(client)
    ids = [client.post(url, json={"name": f"联系人{n}", "mobile": f"138{n:08d}"},
                       headers=HEADERS).json["id"] for n in range(MAX_CONTACTS)]
    over = client.post(url, json={"name": "多一位", "mobile": "13900000000"}, headers=HEADERS)
    assert over.status_code == 409
    page = client.get(f"{url}?limit=5")
    assert len(page.json["items"]) == 5 and page.json["next_cursor"]
    _other, other_url = _base(client)
    assert client.get(f"{other_url}/{ids[0]}").status_code == 404
