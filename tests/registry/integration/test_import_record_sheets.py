"""Importing official lists on SQLite and PostgreSQL (issue 12 item 2): certificates, IP items
and pool memberships, matched to registered firms by credit code, through the API's own rules,
all or nothing, with a dry run that writes nothing and every odd row reported with its row."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from registry_testkit import create_enterprise
from registry_testkit import move
from registry_testkit import new_uscc
from registry_testkit import nominate
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.adapters.files.record_sheets import SHEETS
from registry.adapters.files.record_sheets import SheetSpec
from registry.handlers.profile import build_profile
from registry.models import AuditEntry
from registry.models import Enterprise

pytestmark = pytest.mark.integration
HEADERS = {"X-Actor": "curator:li"}
CERTS, IP, POOLS = SHEETS["certifications"], SHEETS["ip"], SHEETS["pools"]


def sheet_csv(spec: SheetSpec, rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in spec.columns])
    for row in rows:
        writer.writerow([row.get(c.key, "") for c in spec.columns])
    return out.getvalue().encode()


def upload(client: FlaskClient, sheet: str, data: bytes, *, dry_run: bool = False) -> Any:
    return client.post(f"/api/v1/imports?sheet={sheet}&dry_run={str(dry_run).lower()}",
                       headers=HEADERS, data={"file": (io.BytesIO(data), f"{sheet}.csv")},
                       content_type="multipart/form-data")


def finished(client: FlaskClient, response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.json
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.get(response.headers["Location"]).json
        if job["status"] in ("succeeded", "validated", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"import job did not finish: {job}")


def firm(client: FlaskClient) -> dict[str, Any]:
    return create_enterprise(client, new_uscc())


def cert_row(ent: dict[str, Any], number: str, **over: Any) -> dict[str, Any]:
    return {"uscc": ent["uscc"], "name": ent["name"], "tier": "高新技术企业", "level": "国家级",
            "number": number, "issuer": "山东省科学技术厅", "issued_on": "2025-11-28", **over}


def certificates(client: FlaskClient, uscc: str) -> list[dict[str, Any]]:
    return client.get(f"/api/v1/enterprises/{uscc}/certifications").json["items"]  # type: ignore[no-any-return]


def outbox_count(session: Session) -> int:
    return int(session.scalar(text("SELECT count(*) FROM outbox")) or 0)


def by_row(items: list[dict[str, Any]]) -> dict[int, str]:
    return {i["row"]: i["message"] for i in items}


@pytest.mark.parametrize("sheet", ["certifications", "ip", "pools"])
def test_each_template_downloads_and_its_example_row_is_checked_as_a_list_row(
    client: FlaskClient, sheet: str
) -> None:
    for name in ("template.xlsx", "template.csv"):
        got = client.get(f"/api/v1/imports/{sheet}/{name}")
        assert got.status_code == 200 and "attachment" in got.headers["Content-Disposition"]
    xlsx = client.get(f"/api/v1/imports/{sheet}/template.xlsx").data
    job = finished(client, upload(client, sheet, xlsx, dry_run=True))
    # the example firm is not registered: reported with its row, nothing else wrong
    assert job["status"] == "validated", job
    assert job["error_count"] == 0 and job["skipped"] == 1
    assert by_row(job["notices"])[2].startswith("登记库中没有该企业")


def test_a_certificate_list_is_recorded_with_audit_events_and_the_pipeline_moved(
    client: FlaskClient, session: Session
) -> None:
    member, plain = firm(client), firm(client)
    version = nominate(client, "hnte_reserve", member["uscc"])["version"]
    for stage in ("screened", "admitted"):
        version = move(client, "hnte_reserve", member["uscc"], stage, version).json["version"]
    stranger = new_uscc()
    rows = [cert_row(member, "GR202537000001"),
            cert_row(plain, "GR202537000002", name="聊城改名前有限公司", tier="科技型中小企业",
                     level="", issued_on="2025-03-01"),
            cert_row(plain, "GR202537000002", name="聊城改名前有限公司", tier="科技型中小企业",
                     level="", issued_on="2025-03-01"),  # the list repeats itself
            {**cert_row(plain, "GR1"), "uscc": stranger}]  # a firm not in the registry
    before = outbox_count(session)
    job = finished(client, upload(client, "certifications", sheet_csv(CERTS, rows)))
    assert job["status"] == "succeeded", job
    assert (job["created"], job["skipped"], job["error_count"]) == (2, 2, 0)
    notices = by_row(job["notices"])
    assert "与第3行重复" in notices[4] and "登记库中没有该企业" in notices[5]
    assert plain["name"] in notices[3]  # the name on the list differs: imported, reported
    [held] = certificates(client, member["uscc"])
    assert (held["tier"], held["number"], held["expires_on"]) == ("hnte", "GR202537000001",
                                                                 "2028-11-27")
    assert certificates(client, plain["uscc"])[0]["expires_on"] == "2025-12-31"
    # the API's certificate↔pipeline rule: an admitted member is carried on to certified
    stage = client.get(f"/api/v1/pools/hnte_reserve/members/{member['uscc']}").json["stage"]
    assert stage == "certified"
    audit = client.get(f"/api/v1/enterprises/{member['uscc']}/audit").json["items"]
    mine = [a for a in audit if a["entity"] == "certification"]
    assert mine and mine[0]["actor"] == "curator:li" and "批量导入" in mine[0]["reason"]
    assert outbox_count(session) > before + 2  # profile events and the pipeline moves
    # the snapshot event is the profile the registry serves (built in bulk, same document)
    event = next(p for p in _payloads(session, "registry.enterprise.changed")
                 if p["payload"]["profile"]["enterprise"]["uscc"] == plain["uscc"]
                 and p["payload"]["change"] == "certification.created")
    enterprise = session.scalars(select(Enterprise).where(Enterprise.uscc == plain["uscc"])).one()
    as_of = date.fromisoformat(event["payload"]["profile"]["as_of"])
    assert event["payload"]["profile"] == build_profile(session, enterprise, as_of)
    assert event["payload"]["version"] == enterprise.profile_version


def _payloads(session: Session, kind: str) -> list[dict[str, Any]]:
    rows = session.execute(text("SELECT payload FROM outbox WHERE type = :t"), {"t": kind})
    return [p if isinstance(p, dict) else json.loads(p) for (p,) in rows]


def test_importing_the_same_certificate_list_again_skips_every_row(client: FlaskClient) -> None:
    ent = firm(client)
    data = sheet_csv(CERTS, [cert_row(ent, "GR202537000010")])
    assert finished(client, upload(client, "certifications", data))["status"] == "succeeded"
    again = finished(client, upload(client, "certifications", data))
    assert again["status"] == "succeeded" and (again["created"], again["skipped"]) == (0, 1)
    assert "已登记" in by_row(again["notices"])[2]
    assert len(certificates(client, ent["uscc"])) == 1


@pytest.mark.parametrize(("over", "column", "says"), [
    ({"tier": "金牌企业"}, "tier", "可选值"),
    ({"issued_on": "2099-01-01"}, "issued_on", "今天"),
    ({"issued_on": "去年"}, "issued_on", "YYYY-MM-DD"),
    ({"number": ""}, "number", "必填"),
    ({"uscc": "91371502MA3DHUQR58"}, "uscc", "校验"),
    ({"expires_on": "2020-01-01"}, "expires_on", "晚于发证日期"),  # the API's own rule
])
def test_a_bad_certificate_row_names_row_column_and_why_and_nothing_is_written(
    client: FlaskClient, session: Session, over: dict[str, str], column: str, says: str
) -> None:
    good, other = firm(client), firm(client)
    rows = [cert_row(good, "GR202537000020"), {**cert_row(other, "GR202537000021"), **over}]
    before = outbox_count(session)
    job = finished(client, upload(client, "certifications", sheet_csv(CERTS, rows)))
    assert job["status"] == "failed" and job["error_count"] == 1, job
    [error] = job["errors"]
    assert (error["row"], error["column"]) == (3, CERTS.by_key[column].header)
    assert says in error["message"] and " / " in error["message"]
    assert certificates(client, good["uscc"]) == []
    assert outbox_count(session) == before


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(
    client: FlaskClient, session: Session
) -> None:
    ent = firm(client)
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    before = outbox_count(session)
    job = finished(client, upload(client, "certifications",
                                  sheet_csv(CERTS, [cert_row(ent, "GR202537000030")]),
                                  dry_run=True))
    assert job["status"] == "validated" and job["created"] == 1, job
    assert "未写入" in job["message"]
    assert certificates(client, ent["uscc"]) == []
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits
    assert outbox_count(session) == before


def test_the_header_must_be_the_sheets_own(client: FlaskClient) -> None:
    ip_file = sheet_csv(IP, [])
    response = upload(client, "certifications", ip_file)
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert CERTS.by_key["tier"].header in fields  # required column missing, named


def ip_row(ent: dict[str, Any], number: str, **over: Any) -> dict[str, Any]:
    return {"uscc": ent["uscc"], "name": ent["name"], "kind": "发明专利", "number": number,
            "title": "一种轴承保持架", "granted_on": "2024-05-10", "acquired_by": "自主研发",
            "related_to_main_product": "是", **over}


def test_an_ip_list_is_recorded_and_a_bad_row_stops_all_of_it(client: FlaskClient) -> None:
    ent = firm(client)
    bad = [ip_row(ent, "ZL1"), ip_row(ent, "ZL2", related_to_main_product="也许"),
           ip_row(ent, "ZL3", kind="商标")]
    job = finished(client, upload(client, "ip", sheet_csv(IP, bad)))
    assert job["status"] == "failed" and {e["row"] for e in job["errors"]} == {3, 4}
    assert any("是" in e["message"] for e in job["errors"])
    assert client.get(f"/api/v1/enterprises/{ent['uscc']}/ip").json["items"] == []
    good = [ip_row(ent, "ZL1"), ip_row(ent, "ZL2", kind="软件著作权", used_in_hnte="否")]
    job = finished(client, upload(client, "ip", sheet_csv(IP, good)))
    assert job["status"] == "succeeded" and job["created"] == 2, job
    items = client.get(f"/api/v1/enterprises/{ent['uscc']}/ip").json["items"]
    assert {(i["kind"], i["ip_class"], i["used_in_hnte"]) for i in items} == {
        ("invention_patent", "I", None), ("software_copyright", "II", False)}


def pool_row(ent: dict[str, Any], **over: Any) -> dict[str, Any]:
    return {"uscc": ent["uscc"], "name": ent["name"], "pool": "高企后备库", "stage": "入库",
            "decided_on": "2025-06-30", "reason": "2025年高企后备库入库名单", **over}


def test_a_pool_list_nominates_and_moves_members_along_the_pipeline(
    client: FlaskClient,
) -> None:
    new, member, there = firm(client), firm(client), firm(client)
    nominate(client, "hnte_reserve", member["uscc"])
    version = nominate(client, "tech_sme", there["uscc"])["version"]
    rows = [pool_row(new), pool_row(member), pool_row(there, pool="科技型中小企业库", stage="提名"),
            pool_row({"uscc": new_uscc(), "name": "外区企业"})]
    job = finished(client, upload(client, "pools", sheet_csv(POOLS, rows)))
    assert job["status"] == "succeeded", job
    assert (job["created"], job["updated"], job["skipped"]) == (1, 1, 2)
    for ent in (new, member):
        got = client.get(f"/api/v1/pools/hnte_reserve/members/{ent['uscc']}").json
        assert got["stage"] == "admitted"
        history = client.get(
            f"/api/v1/pools/hnte_reserve/members/{ent['uscc']}/moves").json["items"]
        assert history[-1]["reason"].startswith("2025年高企后备库入库名单（2025-06-30")
        assert history[-1]["actor"] == "curator:li"
    stayed = client.get(f"/api/v1/pools/tech_sme/members/{there['uscc']}").json
    assert stayed["version"] == version


def test_a_pool_row_the_pipeline_refuses_is_an_error_and_nothing_moves(
    client: FlaskClient,
) -> None:
    ok, uncertified = firm(client), firm(client)
    rows = [pool_row(ok), pool_row(uncertified, stage="认定")]  # certified needs a certificate
    job = finished(client, upload(client, "pools", sheet_csv(POOLS, rows)))
    assert job["status"] == "failed", job
    [error] = job["errors"]
    assert error["row"] == 3 and "证书" in error["message"]
    for ent in (ok, uncertified):
        response = client.get(f"/api/v1/pools/hnte_reserve/members/{ent['uscc']}")
        assert response.status_code == 404


def test_unknown_sheet_is_refused_naming_the_allowed_ones(client: FlaskClient) -> None:
    response = upload(client, "awards", sheet_csv(CERTS, []))
    assert response.status_code == 422
    assert "certifications" in str(response.json["error"]["fields"])


def test_a_gb18030_list_from_excel_on_chinese_windows_is_read(client: FlaskClient) -> None:
    ent = firm(client)
    data = sheet_csv(CERTS, [cert_row(ent, "GR202537000040")]).decode().encode("gb18030")
    job = finished(client, upload(client, "certifications", data))
    assert job["status"] == "succeeded" and job["created"] == 1, job
    assert certificates(client, ent["uscc"])[0]["issuer"] == "山东省科学技术厅"


def test_a_list_over_the_upload_limit_is_refused_before_any_job(client: FlaskClient) -> None:
    ent = firm(client)
    rows = [cert_row(ent, f"GR2025370{n:05d}") for n in range(1500)]  # > 64 KiB (test app)
    response = upload(client, "certifications", sheet_csv(CERTS, rows))
    assert response.status_code == 413
    assert response.json["error"]["status"] == 413


def test_a_pool_list_dry_run_counts_the_nominations_and_nominates_nobody(
    client: FlaskClient, session: Session
) -> None:
    ent = firm(client)
    before = outbox_count(session)
    job = finished(client, upload(client, "pools", sheet_csv(POOLS, [pool_row(ent)]),
                                  dry_run=True))
    assert job["status"] == "validated" and job["created"] == 1, job
    assert client.get(f"/api/v1/pools/hnte_reserve/members/{ent['uscc']}").status_code == 404
    assert outbox_count(session) == before
