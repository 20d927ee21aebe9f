"""Issue 8 loose ends in the registry: the MIIT ``restricted_products`` flag, last year's
platform score ``srdi_dev_score_prev``, and "missing is not empty" for the main-product fields
and quality items — never recorded = left out of the profile (unknown), ``[]`` = none — in the
profile the API serves, in the snapshot event scoring reads, and across the migration."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from alembic import command
from flask.testing import FlaskClient
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import enterprise_body
from registry_testkit import new_uscc
from sqlalchemy import select
from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.adapters.files.columns import COLUMNS
from registry.adapters.sql.migrations import alembic_config
from registry.adapters.sql.migrations import upgrade_head
from registry.models.base import outbox_table
from yumiao_common.contracts.profile import Profile
from yumiao_common.db.engine import make_engine

pytestmark = pytest.mark.integration


def _profile(client: FlaskClient, uscc: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/enterprises/{uscc}/profile?as_of=2025-06-30")
    assert response.status_code == 200, response.json
    return response.json  # type: ignore[no-any-return]


def _without_lists(uscc: str) -> dict[str, Any]:
    body = enterprise_body(uscc)
    del body["main_product_fields"]
    body["assessments"] = {"digital_level": 2}
    return body


def test_restricted_products_is_stored_and_reaches_the_profile(client: FlaskClient) -> None:
    uscc = new_uscc()
    created = create_enterprise(client, uscc, flags={"restricted_products": True})
    assert created["flags"]["restricted_products"] is True
    profile = Profile.model_validate(_profile(client, uscc))
    assert profile.enterprise.flags.restricted_products is True
    other = create_enterprise(client, new_uscc())
    assert other["flags"]["restricted_products"] is None  # left out: unknown


def test_previous_platform_score_is_stored_and_reaches_the_profile(client: FlaskClient) -> None:
    uscc = new_uscc()
    created = create_enterprise(client, uscc, assessments={"srdi_dev_score": "48.5",
                                                          "srdi_dev_score_prev": "61.25"})
    assert created["assessments"]["srdi_dev_score_prev"] == "61.25"
    profile = Profile.model_validate(_profile(client, uscc))
    assert profile.assessments.srdi_dev_score_prev == Decimal("61.25")
    refused = client.post("/api/v1/enterprises", headers=HEADERS, json=enterprise_body(
        new_uscc(), assessments={"srdi_dev_score_prev": "100.5"}))
    assert refused.status_code == 422
    assert "srdi_dev_score_prev" in json.dumps(refused.json["error"]["fields"])


def test_lists_never_recorded_are_left_out_of_the_profile_and_the_snapshot(
    client: FlaskClient, session: Session
) -> None:
    uscc, rid = new_uscc(), uuid.uuid4().hex
    created = client.post("/api/v1/enterprises", json=_without_lists(uscc),
                          headers={**HEADERS, "X-Request-ID": rid})
    assert created.status_code == 201, created.json
    assert created.json["main_product_fields"] is None
    assert created.json["assessments"]["quality_items"] is None
    served = _profile(client, uscc)
    assert "main_product_fields" not in served["enterprise"]
    assert "quality_items" not in served["assessments"]
    [payload] = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.correlation_id == rid)).scalars()
    snapshot = Profile.model_validate(payload["payload"]["profile"])
    assert "main_product_fields" not in snapshot.enterprise.model_fields_set
    assert "quality_items" not in snapshot.assessments.model_fields_set


def test_lists_recorded_as_none_go_out_as_empty_and_null_makes_them_unknown_again(
    client: FlaskClient,
) -> None:
    uscc = new_uscc()
    body = {**enterprise_body(uscc), "main_product_fields": [],
            "assessments": {"quality_items": []}}
    assert client.post("/api/v1/enterprises", json=body, headers=HEADERS).status_code == 201
    profile = Profile.model_validate(_profile(client, uscc))
    assert profile.enterprise.main_product_fields == ()
    assert "main_product_fields" in profile.enterprise.model_fields_set  # known: none
    assert "quality_items" in profile.assessments.model_fields_set
    version = client.get(f"/api/v1/enterprises/{uscc}").json["version"]
    patched = client.patch(f"/api/v1/enterprises/{uscc}", headers=HEADERS, json={
        "main_product_fields": None, "assessments": {"quality_items": None}, "version": version})
    assert patched.status_code == 200, patched.json
    served = _profile(client, uscc)
    assert "main_product_fields" not in served["enterprise"]
    assert "quality_items" not in served["assessments"]


_INSERT = ("INSERT INTO enterprise (uscc, name, division_code, main_product_fields, "
           "quality_items, version, profile_version, created_at, updated_at) VALUES "
           "(:uscc, 'x', '371502', :fields, :items, 1, 1, :now, :now)")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migration_reads_default_empty_lists_as_unknown_and_keeps_recorded_ones(
    backend: str, make_pg_database: Callable[[str], str],
    make_sqlite_url: Callable[[str], str],
) -> None:
    url = make_pg_database("reg_lists") if backend == "postgresql" else make_sqlite_url("lists")
    config = alembic_config(url)
    command.upgrade(config, "7c3f1e52b8d4")  # the head before this change
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for uscc, fields, items in (("A", "[]", "[]"), ("B", '["six_foundations"]',
                                                            '["iso9001"]')):
                conn.execute(text(_INSERT), {"uscc": uscc, "fields": fields, "items": items,
                                             "now": "2026-01-01 00:00:00+00:00"})
        upgrade_head(url)
        with engine.connect() as conn:
            rows = dict(conn.execute(text(
                "SELECT uscc, CAST(main_product_fields AS TEXT) || '|' || "
                "COALESCE(CAST(quality_items AS TEXT), '-') FROM enterprise")).all())
            nulls = conn.execute(text("SELECT count(*) FROM enterprise WHERE "
                                      "main_product_fields IS NULL AND quality_items IS NULL"))
            assert nulls.scalar() == 1
        assert rows["A"] is None  # NULL || ... is NULL: both lists unknown
        assert json.loads(rows["B"].split("|")[0]) == ["six_foundations"]
        assert json.loads(rows["B"].split("|")[1]) == ["iso9001"]
        command.downgrade(config, "7c3f1e52b8d4")  # and back: unknown becomes [] again
        with engine.connect() as conn:
            back = conn.execute(text("SELECT CAST(quality_items AS TEXT) FROM enterprise "
                                     "WHERE uscc = 'A'")).scalar()
        assert json.loads(str(back)) == []
    finally:
        engine.dispose()


def _import(client: FlaskClient, rows: list[dict[str, str]]) -> dict[str, Any]:
    """Upload ``rows`` as a CSV import and wait for the job's end."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in COLUMNS])
    writer.writerows([[row.get(c.key, "") for c in COLUMNS] for row in rows])
    response = client.post("/api/v1/imports", headers=HEADERS, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(out.getvalue().encode()), "firms.csv")})
    assert response.status_code == 202, response.json
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(response.headers["Location"]).json
        if job["status"] in ("succeeded", "validated", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("import job did not finish")


def test_an_import_without_product_fields_leaves_both_lists_unknown(
    client: FlaskClient, session: Session
) -> None:
    good = {c.key: c.example for c in COLUMNS}
    blank, given = new_uscc(), new_uscc()
    rows = [{**good, "uscc": code, "name": f"聊城导入测试有限公司{code[-6:]}", "year": "2024",
             **({"main_product_fields": ""} if code == blank else {})} for code in (blank, given)]
    assert _import(client, rows)["status"] == "succeeded"
    payloads = session.execute(select(outbox_table.c.payload).where(
        outbox_table.c.type == "registry.enterprise.changed")).scalars()
    profiles = {p["payload"]["profile"]["enterprise"]["uscc"]: p["payload"]["profile"]
                for p in payloads if p["payload"]["change"] == "enterprise.imported"}
    unknown = Profile.model_validate(profiles[blank])
    assert "main_product_fields" not in unknown.enterprise.model_fields_set
    assert "quality_items" not in unknown.assessments.model_fields_set  # never imported
    assert Profile.model_validate(profiles[given]).enterprise.main_product_fields
    assert profiles[blank]["enterprise"] == _profile(client, blank)["enterprise"]
