"""Issue 15 in the browser: a firm files its yearly report with evidence, the bureau reviews it —
through the gateway's pages against the real registry (its own SQLite file and evidence
directory, served over HTTP behind the gateway).

What a person notices: the form opens filled with what the registry holds for the year; a bad
figure is refused beside its field with everything typed kept; a save over someone else's
save says so and keeps the typed values; a PDF attached is listed and downloads as the PDF it
is, a text file named .pdf is refused in words; submitting an incomplete report lists what is
missing; the bureau's queue names the firm, the review shows the registry's value beside the
firm's in yuan, and a returned field comes back to the firm highlighted with its reason; once
corrected and accepted the figure is in the registry. Nobody else sees a firm's report or its
files.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from gateway_testkit import PASSWORD
from gateway_testkit import USCC_A
from gateway_testkit import USCC_B
from gateway_testkit import RecordingUpstream
from gateway_testkit import bearer
from gateway_testkit import gateway_before
from gateway_testkit import real_service

from yumiao_common.clock import beijing_today

sys.path.insert(0, str(Path(__file__).parent))
from test_web_kit import csrf_of  # noqa: E402
from test_web_kit import sign_in  # noqa: E402

from gateway.web import submission_form as sub  # noqa: E402

pytestmark = pytest.mark.integration
FIRMS = {USCC_A: "聊城自报甲轴承有限公司", USCC_B: "聊城自报乙机械有限公司"}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
YEAR = beijing_today().year - 1
MAX_BYTES = 64 * 1024  # the registry's evidence limit in this run (10 MiB by default)
HELD = {
    "employees": 120,
    "science_staff": 30,
    "rd_staff": 20,
    "operating_revenue": 50_000_000,
    "rd_expense": 2_400_000,
    "total_assets": 60_000_000,
    "net_profit": 3_000_000,
}


@pytest.fixture(scope="module")
def gateway(
    make_sqlite_url: Callable[[str], str],
    migrated_url: str,
    app: Flask,
    upstreams: dict[str, RecordingUpstream],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Flask]:
    """The gateway before the real registry; both firms hold last year's figures."""
    service = real_service(
        "registry",
        make_sqlite_url("gw-submissions-registry"),
        evidence_dir=str(tmp_path_factory.mktemp("evidence")),
        evidence_max_bytes=MAX_BYTES,
    )
    with gateway_before({"registry": service}, migrated_url, upstreams, FIRMS) as gw:
        client = gw.test_client()
        curator = bearer(client, "curator", PASSWORD)
        for uscc in FIRMS:
            put = client.put(
                f"/api/v1/enterprises/{uscc}/financials/{YEAR}",
                json={**HELD, "reason": "年报 / annual report"},
                headers=curator,
            )
            assert put.status_code in (200, 201), put.get_json()
        yield gw


def _form(html: str) -> dict[str, str]:
    """The report form's fields as the page filled them (inputs and selected options)."""
    out = {
        m[0]: m[1] for m in re.findall(r'<input id="f-[^"]*" name="([^"]+)" value="([^"]*)"', html)
    }
    for name, body in re.findall(
        r'<select id="f-[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', html, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        out[name] = chosen[1] if chosen else ""
    out["etag"] = re.search(r'name="etag" value="([^"]*)"', html)[1]  # type: ignore[index]
    return {name: unescape(value) for name, value in out.items()}


def _start(client: FlaskClient, year: int = YEAR) -> tuple[int, str]:
    resp = client.post("/my/submissions", data={"csrf_token": csrf_of(client), "year": year})
    assert resp.status_code == 303, resp.get_data(as_text=True)[:800]
    submission_id = int(resp.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    return submission_id, client.get(f"/my/submissions/{submission_id}").get_data(as_text=True)


def _save(
    client: FlaskClient, submission_id: int, fields: dict[str, str], action: str = "save"
) -> Any:
    return client.post(
        f"/my/submissions/{submission_id}",
        data={**fields, "csrf_token": csrf_of(client), "action": action},
    )


def _attach(
    client: FlaskClient,
    submission_id: int,
    data: bytes,
    name: str,
    item: str = "general",
    kind: str = "audit_report",
) -> Any:
    import io

    return client.post(
        f"/my/submissions/{submission_id}/evidence",
        data={
            "csrf_token": csrf_of(client),
            "item": item,
            "kind": kind,
            "file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _ok(resp: Any) -> None:
    """A form accepted (303), else the page's refusal in the failure message."""
    page = resp.get_data(as_text=True)
    assert resp.status_code == 303, re.findall(r'class="error"[^>]*>.*?</(?:div|p)>', page, re.S)


def _complete(fields: dict[str, str]) -> dict[str, str]:
    return {**fields, **{f"flag.{s.name}": "no" for s in sub.FLAG_SPECS}}


@pytest.fixture(scope="module")
def firm(gateway: Flask) -> FlaskClient:
    return sign_in(gateway, USCC_A)


@pytest.fixture(scope="module")
def filed(firm: FlaskClient) -> dict[str, Any]:
    """Firm A's report, opened, figures changed, a PDF attached (not yet submitted)."""
    submission_id, html = _start(firm)
    fields = _complete(_form(html))
    fields.update(
        {
            "fin.rd_expense": "2,900,000",
            "fin.employees": "130",
            "ip.0.kind": "invention_patent",
            "ip.0.number": "ZL202410000001.1",
            "ip.0.title": "一种轴承保持架",
            "ip.0.acquired_by": "self_developed",
            "ip.0.related_to_main_product": "yes",
        }
    )
    _ok(_save(firm, submission_id, fields))
    _ok(_attach(firm, submission_id, PDF, "2024年审计报告.pdf"))
    html = firm.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    return {"id": submission_id, "html": html}


@pytest.fixture(scope="module")
def drafted(gateway: Flask) -> tuple[int, str]:
    """Firm B's report, just opened: (its id, the page)."""
    return _start(sign_in(gateway, USCC_B))


def test_the_form_opens_filled_with_what_the_registry_holds(
    gateway: Flask,
    drafted: tuple[int, str],
) -> None:
    client = sign_in(gateway, USCC_B)
    submission_id, html = drafted
    values = _form(html)
    assert values["fin.rd_expense"] == "2400000" and values["fin.employees"] == "120"
    assert f"{YEAR} 年度自报" in html and "草稿" in html
    assert "（北京时间）" not in html  # no time shown yet, so no zone beside nothing
    assert 'name="flag.tax_violation"' in html and ">是</option>" in html  # 是/否, not codes
    listed = client.get("/my/submissions").get_data(as_text=True)
    assert f'/my/submissions/{submission_id}"' in listed and "草稿" in listed
    again = client.post("/my/submissions", data={"csrf_token": csrf_of(client), "year": YEAR})
    assert again.status_code == 409  # one open report a year, said in words
    assert "error" in again.get_data(as_text=True)


def test_a_bad_figure_is_refused_beside_its_field_with_what_was_typed_kept(
    gateway: Flask,
    drafted: tuple[int, str],
) -> None:
    client = sign_in(gateway, USCC_B)
    submission_id = drafted[0]
    html = client.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    fields = {**_form(html), "fin.science_staff": "500", "fin.total_assets": "61,000,000"}
    resp = _save(client, submission_id, fields)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'id="e-fin.science_staff"' in page and "科技人员" in page
    assert _form(page)["fin.science_staff"] == "500"
    assert _form(page)["fin.total_assets"] == "61,000,000"  # nothing typed is lost


def test_a_stale_save_keeps_what_was_typed_and_says_so(
    gateway: Flask,
    drafted: tuple[int, str],
) -> None:
    client = sign_in(gateway, USCC_B)
    submission_id = drafted[0]
    loaded = _form(client.get(f"/my/submissions/{submission_id}").get_data(as_text=True))
    assert _save(client, submission_id, {**loaded, "fin.rd_staff": "21"}).status_code == 303
    stale = _save(client, submission_id, {**loaded, "fin.rd_staff": "25"})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert 'id="conflict"' in page and _form(page)["fin.rd_staff"] == "25"
    assert re.search(r'id="w-fin.rd_staff".*?已保存.*?<strong>21</strong>', page, re.S)
    assert _save(client, submission_id, _form(page)).status_code == 303  # knowingly replaced
    again = _form(client.get(f"/my/submissions/{submission_id}").get_data(as_text=True))
    assert again["fin.rd_staff"] == "25"


def test_evidence_is_listed_and_downloads_as_the_pdf_it_is(
    firm: FlaskClient,
    filed: dict[str, Any],
) -> None:
    assert "2024年审计报告.pdf" in filed["html"] and "审计报告" in filed["html"]
    # each field offers its own upload: the form opens with that item chosen
    assert f"/my/submissions/{filed['id']}?item=financials.rd_expense#evidence" in filed["html"]
    chosen = firm.get(f"/my/submissions/{filed['id']}?item=ip.0").get_data(as_text=True)
    assert '<option value="ip.0" selected>新增知识产权 第 1 项</option>' in chosen
    link = re.search(r'href="(/api/v1/me/submissions/\d+/evidence/\d+)"', filed["html"])[1]  # type: ignore[index]
    got = firm.get(link)
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in got.headers["Content-Disposition"]


def test_a_text_file_named_pdf_is_refused_in_words(
    firm: FlaskClient, filed: dict[str, Any]
) -> None:
    resp = _attach(firm, filed["id"], b"just text, not a PDF", "fake.pdf")
    assert resp.status_code == 415  # recognised by content, not by its name
    page = resp.get_data(as_text=True)
    refusal = re.search(r'id="evidence-errors".*?</div>', page, re.S)
    assert refusal and "PDF" in refusal[0] and "/ " not in refusal[0]  # one language, in words
    assert "fake.pdf" not in page.split('id="evidence-list"')[1]


def test_nobody_else_sees_a_firms_report_or_its_files(
    gateway: Flask,
    filed: dict[str, Any],
) -> None:
    link = re.search(r"/api/v1/me/submissions/(\d+)/evidence/(\d+)", filed["html"])
    assert link is not None
    other = sign_in(gateway, USCC_B)
    assert other.get(f"/my/submissions/{filed['id']}").status_code == 404
    assert other.get(link[0]).status_code == 404
    viewer = sign_in(gateway, "viewer")
    assert viewer.get("/my/submissions").status_code == 403  # the firm's pages are the firm's
    assert viewer.get(f"/api/v1/submissions/{link[1]}/evidence/{link[2]}").data == PDF


def test_the_whole_review_round_trip(
    gateway: Flask, firm: FlaskClient, filed: dict[str, Any]
) -> None:
    submission_id = filed["id"]
    # incomplete (no IP certificate for the new patent): the missing item is named
    incomplete = _save(firm, submission_id, _form(filed["html"]), action="submit")
    assert incomplete.status_code == 422
    assert "知识产权证书" in incomplete.get_data(as_text=True)
    assert (
        _attach(
            firm, submission_id, PDF, "专利证书.pdf", item="ip.0", kind="ip_certificate"
        ).status_code
        == 303
    )
    html = firm.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    submitted = _save(firm, submission_id, _form(html), action="submit")
    assert submitted.status_code == 303, submitted.get_data(as_text=True)[:2000]
    shown = firm.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    assert "已提交" in shown and "提交于" in shown and "（北京时间）" in shown

    curator = sign_in(gateway, "curator")
    queue = curator.get("/submissions").get_data(as_text=True)
    assert FIRMS[USCC_A] in queue and f"/submissions/{submission_id}" in queue
    review = curator.get(f"/submissions/{submission_id}").get_data(as_text=True)
    row = re.search(r'id="r-financials.rd_expense".*?</tr>', review, re.S)[0]  # type: ignore[index]
    assert "研发费用" in row and "¥2,400,000" in row and "¥2,900,000" in row and "元" in row
    assert "发明专利" in review and "专利证书.pdf" in review
    fields = re.findall(r'name="d\.([^"]+)" value="accept"', review)
    assert set(fields) >= {"financials.rd_expense", "financials.employees", "ip.0"}
    form = {f"d.{f}": "accept" for f in fields}
    # a return without a reason is refused beside the field, the choices kept
    refused = curator.post(
        f"/submissions/{submission_id}/review",
        data={**form, "d.financials.rd_expense": "return", "csrf_token": csrf_of(curator)},
    )
    assert refused.status_code == 422
    assert 'id="e-financials.rd_expense"' in refused.get_data(as_text=True)
    done = curator.post(
        f"/submissions/{submission_id}/review",
        data={
            **form,
            "d.financials.rd_expense": "return",
            "r.financials.rd_expense": "与审计报告不符，请核对 / does not match the audit report",
            "csrf_token": csrf_of(curator),
        },
    )
    assert done.status_code == 303, done.get_data(as_text=True)[:2000]

    back = firm.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    assert "已退回" in back and 'class="field returned" id="w-fin.rd_expense"' in back
    assert "与审计报告不符" in back
    corrected = {**_form(back), "fin.rd_expense": "2800000"}
    assert _save(firm, submission_id, corrected, action="submit").status_code == 303
    review = curator.get(f"/submissions/{submission_id}").get_data(as_text=True)
    fields = re.findall(r'name="d\.([^"]+)" value="accept"', review)
    assert fields == ["financials.rd_expense"]  # what was accepted is in the registry already
    assert (
        curator.post(
            f"/submissions/{submission_id}/review",
            data={"d.financials.rd_expense": "accept", "csrf_token": csrf_of(curator)},
        ).status_code
        == 303
    )
    assert "已采纳" in firm.get(f"/my/submissions/{submission_id}").get_data(as_text=True)
    api = gateway.test_client()
    held = api.get(
        f"/api/v1/enterprises/{USCC_A}/financials/{YEAR}", headers=bearer(api, "viewer", PASSWORD)
    ).get_json()
    assert (held["rd_expense"], held["employees"]) == (2_800_000, 130)


def test_viewers_read_the_review_but_decide_nothing(gateway: Flask, filed: dict[str, Any]) -> None:
    viewer = sign_in(gateway, "viewer")
    page = viewer.get(f"/submissions/{filed['id']}")
    assert page.status_code == 200 and FIRMS[USCC_A] in page.get_data(as_text=True)
    assert 'id="review-form"' not in page.get_data(as_text=True)
    assert (
        viewer.post(
            f"/submissions/{filed['id']}/review", data={"csrf_token": csrf_of(viewer)}
        ).status_code
        == 403
    )


def test_the_api_reaches_only_the_callers_own_report_and_files(gateway: Flask) -> None:
    """``/api/v1/me/submissions`` (a machine client's way): the multipart upload crosses the
    gateway unchanged, the download keeps its type and name, another firm gets 404s."""
    import io

    client = gateway.test_client()
    mine, theirs = bearer(client, USCC_A, PASSWORD), bearer(client, USCC_B, PASSWORD)
    made = client.post("/api/v1/me/submissions", json={"year": YEAR - 1}, headers=mine)
    assert made.status_code == 201, made.get_json()
    report = made.get_json()
    assert report["uscc"] == USCC_A and made.headers["ETag"]
    upload = client.post(
        f"/api/v1/me/submissions/{report['id']}/evidence",
        data={
            "file": (io.BytesIO(PDF), "研发费用辅助账.pdf"),
            "item": "financials.rd_expense",
            "kind": "rd_account",
        },
        content_type="multipart/form-data",
        headers=mine,
    )
    assert upload.status_code == 201, upload.get_json()
    evidence = upload.get_json()
    assert (evidence["media_type"], evidence["size"]) == ("application/pdf", len(PDF))
    url = f"/api/v1/me/submissions/{report['id']}/evidence/{evidence['id']}"
    got = client.get(url, headers=mine)
    assert got.data == PDF and got.headers["Content-Type"] == "application/pdf"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "%E7%A0%94%E5%8F%91" in got.headers["Content-Disposition"]  # 研发…, UTF-8 encoded
    for method, path in (
        ("GET", url),
        ("DELETE", url),
        ("GET", f"/api/v1/me/submissions/{report['id']}"),
        ("POST", f"/api/v1/me/submissions/{report['id']}/submit"),
    ):
        refused = client.open(path, method=method, headers=theirs)
        assert refused.status_code == 404 and USCC_A not in refused.get_data(as_text=True)
    assert client.get(url, headers=mine).status_code == 200  # nothing was removed


def test_the_api_document_describes_the_me_operations_as_they_are(gateway: Flask) -> None:
    doc = gateway.test_client().get("/api/v1/openapi.json").get_json()
    upload = doc["paths"]["/api/v1/me/submissions/{id}/evidence"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    download = doc["paths"]["/api/v1/me/submissions/{id}/evidence/{evidence_id}"]["get"]
    assert {p["name"] for p in download["parameters"] if p["in"] == "path"} == {
        "id",
        "evidence_id",
    }
    assert "application/pdf" in download["responses"]["200"]["content"]
    save = doc["paths"]["/api/v1/me/submissions/{id}"]["put"]
    assert any(p["name"] == "If-Match" for p in save["parameters"])
    assert save["x-yumiao-roles"] == ["enterprise"]
    # the bureau reads a firm's filing but files nothing in its name: no such operation
    filings = doc["paths"]["/api/v1/enterprises/{uscc}/submissions"]
    assert "get" in filings and "post" not in filings
    assert "put" not in doc["paths"]["/api/v1/enterprises/{uscc}/submissions/{submission_id}"]
    review = doc["paths"]["/api/v1/submissions/{submission_id}/review"]["post"]
    assert review["x-yumiao-roles"] == ["curator", "admin"]


def test_the_pages_read_in_english_with_english_punctuation(
    gateway: Flask, firm: FlaskClient, filed: dict[str, Any]
) -> None:
    english = sign_in(gateway, USCC_A)  # its own browser: the language sticks in a cookie
    mine = english.get(f"/my/submissions/{filed['id']}?lang=en").get_data(as_text=True)
    main = mine.split("<main", 1)[1]
    assert f"Yearly figures ({YEAR})" in main and "R&amp;D expense" in main
    assert "Invention patent" in main and "Audit report" in main
    assert "（" not in main and "是" not in main.replace(FIRMS[USCC_A], "")
    viewer = sign_in(gateway, "viewer")
    review = viewer.get(f"/submissions/{filed['id']}?lang=en").get_data(as_text=True)
    main = review.split("<main", 1)[1]
    assert "(Audit report)" in main and "（" not in main


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words(
    firm: FlaskClient, filed: dict[str, Any]
) -> None:
    big = PDF[:-6] + b"0" * MAX_BYTES + b"%%EOF\n"
    resp = _attach(firm, filed["id"], big, "大文件.pdf")
    assert resp.status_code == 413
    refusal = re.search(r'id="evidence-errors".*?</div>', resp.get_data(as_text=True), re.S)
    assert refusal and "65,536" in refusal[0] and "字节" in refusal[0]


def _yearly_reports(html: str) -> str:
    """The enterprise page's 年度自报 section."""
    start = html.index('id="yearly-reports"')
    return html[start : html.index("</section>", start)]


def test_the_enterprise_page_lists_the_firms_yearly_reports_each_opening_its_review(
    gateway: Flask, filed: dict[str, Any], drafted: tuple[int, str]
) -> None:
    """The bureau's /enterprises/<uscc> leads from its contents to 年度自报: that firm's reports
    only, the year, the status in words and when it was submitted and reviewed (Beijing time),
    each linking to its review. Viewers see it too."""
    api = gateway.test_client()
    viewer_token = bearer(api, "viewer", PASSWORD)
    held = api.get(
        f"/api/v1/enterprises/{USCC_A}/submissions/{filed['id']}", headers=viewer_token
    ).get_json()
    for who in ("curator", "viewer"):
        html = sign_in(gateway, who).get(f"/enterprises/{USCC_A}").get_data(as_text=True)
        toc = html.split('<nav class="toc"')[1].split("</nav>")[0]
        assert '<a href="#yearly-reports">年度自报</a>' in toc
        section = _yearly_reports(html)
        row = section.split(f'id="yearly-report-{filed["id"]}"')[1].split("</tr>")[0]
        assert f'<a href="/submissions/{filed["id"]}">{YEAR} 年度</a>' in row
        assert sub.STATUSES[held["status"]][0] in row
        if held.get("submitted_at"):
            assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", row), row
        assert f'href="/submissions/{drafted[0]}"' not in section  # firm B's report is not A's
    other = _yearly_reports(
        sign_in(gateway, "viewer").get(f"/enterprises/{USCC_B}").get_data(as_text=True)
    )
    row = other.split(f'id="yearly-report-{drafted[0]}"')[1].split("</tr>")[0]
    assert "草稿" in row and row.count("—") == 2  # neither submitted nor reviewed yet
    assert f'href="/submissions/{filed["id"]}"' not in other
    # the link leads to the report's review page, which names the firm
    page = sign_in(gateway, "viewer").get(f"/submissions/{drafted[0]}")
    assert page.status_code == 200 and FIRMS[USCC_B] in page.get_data(as_text=True)
    english = sign_in(gateway, "viewer").get(f"/enterprises/{USCC_B}?lang=en")
    assert "Yearly reports" in _yearly_reports(english.get_data(as_text=True))
    assert "Draft" in _yearly_reports(english.get_data(as_text=True))
