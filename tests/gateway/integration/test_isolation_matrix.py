"""The isolation matrix: every id-bearing operation × every kind of caller.

Each operation of ``matrix_table.OPERATIONS`` is replayed with another enterprise's token,
with an anonymous caller and with each bureau role. A refusal must be a 401/403/404 in the
shared error shape, must not contain the victim's credit code, and must not have reached any
service (the recording upstreams saw no call, so nothing was read or changed). An allowed call
must reach exactly the owning service, at exactly that path, carrying the principal, the
request id and the internal token. Upstreams here are ``RecordingUpstream`` servers; the same
table runs against the real services in ``test_real_services``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask import Response
from flask.testing import FlaskClient
from gateway_testkit import INTERNAL_TOKEN
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import assert_error_shape
from gateway_testkit import bearer
from gateway_testkit import json_response
from matrix_table import ADMIN_PAGES
from matrix_table import OPERATIONS
from matrix_table import OWN_ACCOUNT_OPS
from matrix_table import WEB_PAGES
from matrix_table import Op
from matrix_table import Page

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

pytestmark = pytest.mark.integration
CALLERS = ("other_enterprise", "anonymous", "viewer", "curator", "admin")
ACTORS = {"viewer": "user:viewer", "curator": "user:curator", "admin": "user:admin"}


@pytest.fixture(scope="module")
def tokens(app) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    headers = {name: bearer(client, name, PASSWORD) for name in ("viewer", "curator", "admin")}
    headers["other_enterprise"] = bearer(client, USCC_B, PASSWORD)
    headers["anonymous"] = {}
    return headers


def _calls(upstreams: dict[str, RecordingUpstream]) -> list[tuple[str, str]]:
    return [(name, call.path) for name, up in upstreams.items() for call in up.calls]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.id)
def test_operation_is_refused_or_forwarded_by_role(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]], op: Op, caller: str,
) -> None:
    resp = client.open(op.url, method=op.method, json=op.body,
                       headers={**tokens[caller], "X-Request-ID": "matrix-1"})
    if caller in op.allowed:
        assert resp.status_code == 200, resp.get_data(as_text=True)
        (call,) = upstreams[op.service].calls
        assert call.path == op.url and call.method == op.method
        assert call.headers["X-Actor"] == ACTORS[caller]
        assert call.headers["X-Internal-Token"] == INTERNAL_TOKEN
        assert call.headers["X-Request-Id"] == "matrix-1"
        assert _calls(upstreams) == [(op.service, op.url)]
        return
    assert resp.status_code in (401, 403, 404), resp.get_data(as_text=True)
    assert_error_shape(resp.get_json(), resp.status_code)
    assert USCC_A not in resp.get_data(as_text=True)
    assert _calls(upstreams) == []  # never reached a service: nothing leaked, nothing changed


@pytest.mark.parametrize(("path", "service"), [
    ("parking", "notify"), ("parking/registry", "registry"), ("parking/scoring", "scoring"),
])
@pytest.mark.parametrize("caller", CALLERS)
def test_each_services_parking_list_is_for_admins_and_reaches_only_that_service(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]], path: str, service: str, caller: str,
) -> None:
    """The three ledgers' lists: an admin reaches exactly the owning service (registry's list
    never lands in notify's ledger), everyone else is refused before any service is asked."""
    resp = client.get(f"/api/v1/{path}?status=parked", headers=tokens[caller])
    if caller == "admin":
        assert resp.status_code == 200, resp.get_data(as_text=True)
        assert _calls(upstreams) == [(service, f"/api/v1/{path}")]
        return
    assert resp.status_code in (401, 403), resp.get_data(as_text=True)
    assert_error_shape(resp.get_json(), resp.status_code)
    assert _calls(upstreams) == []


ME_CASES = [
    ("GET", "me/profile", "registry", "enterprises/{uscc}/profile"),
    ("GET", "me/enterprise", "registry", "enterprises/{uscc}"),
    ("GET", "me/certifications", "registry", "enterprises/{uscc}/certifications"),
    ("GET", "me/evaluations", "scoring", "enterprises/{uscc}/evaluations"),
    ("GET", "me/notices", "notify", "enterprises/{uscc}/notices"),
    ("PATCH", "me/notices/" + "0b7e6a52-52c1-4b43-9a36-3f6f0d0d0c01", "notify",
     "enterprises/{uscc}/notices/0b7e6a52-52c1-4b43-9a36-3f6f0d0d0c01"),
    ("GET", "me/preferences", "notify", "enterprises/{uscc}/preferences"),
    ("GET", "me/policies", "notify", "enterprises/{uscc}/policies"),
    ("PUT", "me/preferences", "notify", "enterprises/{uscc}/preferences"),
    ("POST", "me/evaluate", "scoring", "evaluate"),
    ("GET", "me/contacts", "registry", "enterprises/{uscc}/contacts"),
    ("POST", "me/contacts", "registry", "enterprises/{uscc}/contacts"),
    ("GET", "me/contacts/7", "registry", "enterprises/{uscc}/contacts/7"),
    ("PATCH", "me/contacts/7", "registry", "enterprises/{uscc}/contacts/7"),
    ("DELETE", "me/contacts/7", "registry", "enterprises/{uscc}/contacts/7"),
    ("GET", "me/services", "registry", "enterprises/{uscc}/shared-services"),
    ("GET", "me/problems", "registry", "enterprises/{uscc}/shared-problems"),
    # Yearly reports (issue 15), evidence files included
    ("GET", "me/submissions", "registry", "enterprises/{uscc}/submissions"),
    ("POST", "me/submissions", "registry", "enterprises/{uscc}/submissions"),
    ("GET", "me/submissions/1", "registry", "enterprises/{uscc}/submissions/1"),
    ("PUT", "me/submissions/1", "registry", "enterprises/{uscc}/submissions/1"),
    ("POST", "me/submissions/1/submit", "registry", "enterprises/{uscc}/submissions/1/submit"),
    ("POST", "me/submissions/1/evidence", "registry",
     "enterprises/{uscc}/submissions/1/evidence"),
    ("GET", "me/submissions/1/evidence/2", "registry",
     "enterprises/{uscc}/submissions/1/evidence/2"),
    ("DELETE", "me/submissions/1/evidence/2", "registry",
     "enterprises/{uscc}/submissions/1/evidence/2"),
]


@pytest.mark.parametrize(("method", "path", "service", "upstream"), ME_CASES)
def test_me_reaches_only_the_callers_own_enterprise(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]], method: str, path: str, service: str, upstream: str,
) -> None:
    resp = client.open(f"/api/v1/{path}?uscc={USCC_A}", method=method, json={},
                       headers=tokens["other_enterprise"])
    assert resp.status_code == 200
    (call,) = upstreams[service].calls
    assert call.path == "/api/v1/" + upstream.format(uscc=USCC_B)
    assert call.headers["X-Actor"] == f"enterprise:{USCC_B}"


def test_an_evidence_upload_crosses_byte_for_byte_to_the_callers_own_report(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]],
) -> None:
    """Issue 15: the multipart body (boundary, file bytes, item, kind) reaches the registry
    unchanged, under the caller's own credit code whatever the form names."""
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF"
    resp = client.post("/api/v1/me/submissions/1/evidence",
                       data={"file": (io.BytesIO(pdf), "审计报告.pdf"), "item": "general",
                             "kind": "audit_report", "uscc": USCC_A},
                       content_type="multipart/form-data", headers=tokens["other_enterprise"])
    assert resp.status_code == 200
    (call,) = upstreams["registry"].calls
    assert call.path == f"/api/v1/enterprises/{USCC_B}/submissions/1/evidence"
    assert call.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert pdf in call.body and b"audit_report" in call.body
    assert int(call.headers["Content-Length"]) == len(call.body)


def test_an_upload_over_the_shared_limit_is_refused_before_any_service(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]], app: Flask,
) -> None:
    limit = app.config["MAX_CONTENT_LENGTH"]
    resp = client.post("/api/v1/me/submissions/1/evidence",
                       data={"file": (io.BytesIO(b"%PDF" + b"0" * limit), "big.pdf"),
                             "item": "general", "kind": "other"},
                       content_type="multipart/form-data", headers=tokens["other_enterprise"])
    assert resp.status_code == 413
    assert_error_shape(resp.get_json(), 413)
    assert _calls(upstreams) == []


@pytest.mark.parametrize("path", ["me/submissions/1/evidence/2", "submissions/1/evidence/2"])
def test_an_evidence_download_keeps_its_type_name_and_nosniff(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]], path: str,
) -> None:
    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 4096 + b"%%EOF"  # 1 MiB: streamed in chunks
    mine = path.startswith("me/")
    upstream = (f"/api/v1/enterprises/{USCC_B}/submissions/1/evidence/2" if mine
                else "/api/v1/submissions/1/evidence/2")
    disposition = "attachment; filename*=UTF-8''%E5%AE%A1%E8%AE%A1.pdf"
    upstreams["registry"].routes[("GET", upstream)] = lambda _r: Response(
        pdf, mimetype="application/pdf",
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"})
    resp = client.get(f"/api/v1/{path}", buffered=False,
                      headers=tokens["other_enterprise" if mine else "viewer"])
    chunks = list(resp.response)  # as the server hands them out: not one 1 MiB piece
    assert resp.status_code == 200 and len(chunks) > 1 and b"".join(chunks) == pdf
    assert resp.headers["Content-Length"] == str(len(pdf))
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.headers["Content-Disposition"] == disposition
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", [
    f"me/../enterprises/{USCC_A}/profile", f"me/profile/../../enterprises/{USCC_A}",
    f"me/notices/{USCC_A}/../../enterprises", "me/%2e%2e/enterprises",
])
def test_me_paths_cannot_climb_out(client: FlaskClient, upstreams: dict[str, RecordingUpstream],
                                   tokens: dict[str, dict[str, str]], path: str) -> None:
    resp = client.get(f"/api/v1/{path}", headers=tokens["other_enterprise"])
    assert resp.status_code in (403, 404)
    assert _calls(upstreams) == []


@pytest.mark.parametrize("caller", ["viewer", "curator", "admin"])
def test_bureau_accounts_have_no_me_data(client: FlaskClient, tokens: dict[str, dict[str, str]],
                                         upstreams: dict[str, RecordingUpstream], caller: str
                                         ) -> None:
    resp = client.get("/api/v1/me/profile", headers=tokens[caller])
    assert resp.status_code == 403 and _calls(upstreams) == []


@pytest.mark.parametrize(("method", "path"), [
    ("POST", f"pools/hnte_reserve/members/{USCC_B}/moves"),
    ("POST", f"enterprises/{USCC_B}/certifications"),
    ("PATCH", f"enterprises/{USCC_B}"),
    ("POST", "reevaluations"),
    ("PUT", "parameters/hnte.pass_mark"),
    ("POST", "imports"),
    ("POST", "imports?sheet=certifications"),  # an official list (issue 12 item 2)
    ("POST", "imports?sheet=ip"),
    ("POST", "imports?sheet=pools&dry_run=true"),
    ("PATCH", f"enterprises/{USCC_B}/services/1"),
    ("PUT", f"enterprises/{USCC_B}/curator"),
    ("POST", "rounds/1/batches"),
    ("POST", "submissions/1/review"),  # issue 15: a firm never reviews its own report
    ("POST", f"enterprises/{USCC_B}/submissions"),  # its own filing only through /me
])
def test_an_enterprise_cannot_set_its_own_stage_certification_or_score(
    client: FlaskClient, tokens: dict[str, dict[str, str]],
    upstreams: dict[str, RecordingUpstream], method: str, path: str,
) -> None:
    resp = client.open(f"/api/v1/{path}", method=method, json={"stage": "certified"},
                       headers=tokens["other_enterprise"])
    assert resp.status_code == 403 and _calls(upstreams) == []


@pytest.mark.parametrize("path", [
    f"enterprises/{USCC_B}/services", f"enterprises/{USCC_B}/services/1",
    f"enterprises/{USCC_B}/shared-services", f"enterprises/{USCC_B}/problems",
    f"enterprises/{USCC_B}/shared-problems",
    f"enterprises/{USCC_B}/curator", f"enterprises/{USCC_B}/overview",  # the bureau's page
    "worklist", "rounds", "rounds/1/roster", "imports",
    "submissions", "submissions/1", "submissions/1/evidence/1",  # the bureau's review queue
])
def test_an_enterprise_reads_none_of_the_bureaus_notes_rounds_or_worklists(
    client: FlaskClient, tokens: dict[str, dict[str, str]],
    upstreams: dict[str, RecordingUpstream], path: str,
) -> None:
    """Even about itself: its one window on service notes is /me/services (shared ones)."""
    resp = client.get(f"/api/v1/{path}", headers=tokens["other_enterprise"])
    assert resp.status_code == 403 and _calls(upstreams) == []


def test_enterprise_may_run_a_what_if_evaluation(
    client: FlaskClient, tokens: dict[str, dict[str, str]],
    upstreams: dict[str, RecordingUpstream],
) -> None:
    resp = client.post("/api/v1/evaluate", json={"as_of": "2025-06-30"},
                       headers=tokens["other_enterprise"])
    assert resp.status_code == 200
    assert [c.path for c in upstreams["scoring"].calls] == ["/api/v1/evaluate"]


CONTACT_PAGE = {"items": [{"id": 1, "name": "王芳", "mobile": "13812341234",
                           "email": "alice@example.com", "sms_consent": True}],
                "next_cursor": None, "total": None}


@pytest.mark.parametrize(("caller", "mobile", "email"), [
    ("viewer", "138****1234", "a***@example.com"),
    ("curator", "13812341234", "alice@example.com"),
    ("admin", "13812341234", "alice@example.com"),
    ("enterprise", "13812341234", "alice@example.com"),
])
def test_viewers_read_contacts_masked_everyone_else_in_full(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]], caller: str, mobile: str, email: str,
) -> None:
    if caller == "enterprise":  # its own contacts, through /me
        url, upstream_path = "/api/v1/me/contacts", f"/api/v1/enterprises/{USCC_B}/contacts"
        headers = tokens["other_enterprise"]
    else:
        url = upstream_path = f"/api/v1/enterprises/{USCC_A}/contacts"
        headers = tokens[caller]
    upstreams["registry"].routes[("GET", upstream_path)] = json_response(CONTACT_PAGE)
    resp = client.get(url, headers=headers)
    assert resp.status_code == 200
    [contact] = resp.get_json()["items"]
    assert (contact["mobile"], contact["email"], contact["name"]) == (mobile, email, "王芳")
    if caller == "viewer":
        assert "13812341234" not in resp.get_data(as_text=True)


@pytest.mark.parametrize("caller", CALLERS)
def test_sms_receipts_reach_notify_from_anyone_with_their_token_untouched(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]], caller: str,
) -> None:
    """A provider cannot sign in: the callback passes the gateway unauthenticated, POST only,
    and notify checks the token it carries."""
    resp = client.post("/api/v1/sms/receipts/aliyun?token=t0k3n", json=[{"biz_id": "1"}],
                       headers=tokens[caller])
    assert resp.status_code == 200
    (call,) = upstreams["notify"].calls
    assert call.path == "/api/v1/sms/receipts/aliyun" and call.query == "token=t0k3n"
    assert call.headers["X-Internal-Token"] == INTERNAL_TOKEN


@pytest.mark.parametrize(("method", "path"), [
    ("GET", "sms/receipts/aliyun"), ("POST", "sms/receipts"), ("POST", "sms/receipts/a/b"),
    ("DELETE", "sms/receipts/aliyun"),
])
def test_nothing_else_under_sms_is_public(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream], method: str, path: str,
) -> None:
    resp = client.open(f"/api/v1/{path}", method=method, json=[])
    assert resp.status_code in (401, 403, 404, 405)
    assert _calls(upstreams) == []


WEB_CALLERS = ("enterprise", "anonymous", "viewer", "curator", "admin")


@pytest.mark.parametrize("caller", WEB_CALLERS)
@pytest.mark.parametrize("page", WEB_PAGES, ids=lambda page: page.id)
def test_edit_page_is_refused_or_served_by_role(
    app: Flask, upstreams: dict[str, RecordingUpstream], page: Page, caller: str,
) -> None:
    """Browser sessions (cookie + CSRF token, as the forms post): an enterprise gets the 403
    page and an anonymous visitor the sign-in redirect, a viewer may only read the overview;
    a refusal reaches no service and names no firm."""
    upstreams["registry"].routes[("GET", f"/api/v1/enterprises/{USCC_A}")] = json_response(
        {"id": 1, "uscc": USCC_A, "name": "甲公司", "version": 3})
    client = app.test_client() if caller == "anonymous" else sign_in(
        app, USCC_B if caller == "enterprise" else caller)
    # a delete's 确认删除 box ticked, so an allowed delete is forwarded (other forms ignore it)
    data = {"csrf_token": csrf_of(client), "confirm": "1"} if caller != "anonymous" else {}
    for up in upstreams.values():
        up.calls.clear()
    resp = client.open(page.url, method=page.method, data=data if page.method == "POST" else None)
    if caller in page.allowed:
        assert resp.status_code not in (401, 403) and resp.status_code < 500, resp.status_code
        calls = upstreams["registry"].calls  # the blank creation form needs no call
        assert calls or page.url == "/enterprises/new"
        assert all(c.headers["X-Actor"] == ACTORS[caller] for c in calls)
        return
    if caller == "anonymous":
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    else:
        assert resp.status_code == 403 and "无权" in resp.get_data(as_text=True)
    assert USCC_A not in resp.get_data(as_text=True).replace(page.url, "")
    assert _calls(upstreams) == []


PAGE_CALLERS = {"other_enterprise": USCC_B, "viewer": "viewer", "curator": "curator"}


@pytest.mark.parametrize("caller", [*PAGE_CALLERS, "anonymous"])
@pytest.mark.parametrize("page", ADMIN_PAGES, ids=lambda page: page.id)
def test_admin_pages_refuse_everyone_else_before_any_service_is_asked(
    app: Flask, upstreams: dict[str, RecordingUpstream], page: Page, caller: str,
) -> None:
    """Curators, viewers and enterprises get the 403 page, anonymous visitors the sign-in;
    a refused form (with a valid CSRF token, so the role is what refuses it) reads and
    changes nothing anywhere."""
    assert caller not in page.allowed
    client = sign_in(app, PAGE_CALLERS[caller]) if caller in PAGE_CALLERS else app.test_client()
    form = {"reason": "x", "value": "1", "role": "admin", "active": "0", "version": "1",
            "username": "x", "password": PASSWORD,
            **({"csrf_token": csrf_of(client)} if caller in PAGE_CALLERS else {})}
    resp = client.open(page.url, method=page.method,
                       data=form if page.method == "POST" else None)
    if caller == "anonymous":
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    else:
        assert resp.status_code == 403, resp.get_data(as_text=True)[:500]
        assert "无权" in resp.get_data(as_text=True)
    assert _calls(upstreams) == []


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("op", OWN_ACCOUNT_OPS, ids=lambda op: op.id)
def test_invitations_and_sign_in_histories_are_for_admins_only(
    client: FlaskClient, upstreams: dict[str, RecordingUpstream],
    tokens: dict[str, dict[str, str]], op: Op, caller: str,
) -> None:
    resp = client.open(op.url, method=op.method, json=op.body, headers=tokens[caller])
    if caller in op.allowed:
        assert resp.status_code not in (401, 403, 500), resp.get_data(as_text=True)
        return
    assert resp.status_code in (401, 403), resp.get_data(as_text=True)
    assert_error_shape(resp.get_json(), resp.status_code)
    assert _calls(upstreams) == []  # refused before any firm was listed or message sent


def test_my_sign_ins_are_only_mine(client: FlaskClient, tokens: dict[str, dict[str, str]]
                                   ) -> None:
    mine = tokens["other_enterprise"]
    before = client.get("/api/v1/me/sign-ins?limit=200", headers=mine).get_json()["items"]
    bearer(client, "viewer", PASSWORD)  # someone else signs in
    assert client.post("/api/v1/auth/login", json={"username": "curator",
                                                   "password": "wrong"}).status_code == 401
    after = client.get("/api/v1/me/sign-ins?limit=200", headers=mine).get_json()["items"]
    assert after == before
    assert client.get("/api/v1/me/sign-ins").status_code == 401  # anonymous has none
