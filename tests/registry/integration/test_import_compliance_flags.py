"""Compliance flags through the enterprise import (issue 16): a bureau's credit, safety and
environment checks for a whole list of firms in one file, instead of one API call per firm.

是/否 sets a flag, a blank cell keeps what is on file (unknown for a new firm), a bad value
is a row error naming the column and what is allowed, and nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from enterprise_import_kit import csv_file
from enterprise_import_kit import finished
from enterprise_import_kit import firm_rows
from enterprise_import_kit import upload
from flask.testing import FlaskClient
from openpyxl import load_workbook
from registry_testkit import create_enterprise
from registry_testkit import new_uscc
from sqlalchemy import text
from sqlalchemy.orm import Session

from registry.adapters.files.columns import BY_KEY
from registry.adapters.files.columns import FLAG_COLUMNS
from registry.adapters.files.import_template import SHEET_TITLE
from registry.models.enterprise import FLAG_FIELDS

#: every flag column left blank (the template's example says 否 everywhere)
BLANK = dict.fromkeys(FLAG_FIELDS, "")


def flags(client: FlaskClient, code: str) -> dict[str, bool | None]:
    response = client.get(f"/api/v1/enterprises/{code}/profile")
    assert response.status_code == 200, response.json
    return response.json["enterprise"]["flags"]  # type: ignore[no-any-return]


def events_of(session: Session, code: str) -> list[dict[str, Any]]:
    rows = session.execute(text(
        "SELECT payload FROM outbox WHERE type = 'registry.enterprise.changed' ORDER BY created_at"
    )).scalars()
    payloads = [p if isinstance(p, dict) else json.loads(p) for p in rows]
    return [p["payload"] for p in payloads
            if p["payload"]["profile"]["enterprise"]["uscc"] == code]


def test_the_downloaded_templates_carry_every_flag_column_with_an_example(
        client: FlaskClient) -> None:
    headers = [c.header for c in FLAG_COLUMNS]
    assert [c.key for c in FLAG_COLUMNS] == list(FLAG_FIELDS)  # the Flags contract's order
    assert headers[0] == "重大安全事故（含网络安全、数据安全） / major safety incident (network " \
        "and data security included)"
    data = client.get("/api/v1/imports/template.csv").data.decode("utf-8-sig")
    header, *examples = csv.reader(io.StringIO(data))
    assert header[-len(headers):] == headers
    assert all(row[-len(headers):] == ["否"] * len(headers) for row in examples)
    book = load_workbook(io.BytesIO(client.get("/api/v1/imports/template.xlsx").data))
    sheet, notes = book.worksheets
    assert [c.value for c in sheet[1]][-len(headers):] == headers
    explained = {row[0]: row[3] for row in notes.iter_rows(values_only=True)}
    assert all(explained[h] == "是、否" for h in headers)
    lists = [str(v.formula1) for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert lists.count('"是,否"') == len(headers)


def test_yes_and_no_set_the_flags_of_new_and_registered_firms(
        client: FlaskClient, session: Session) -> None:
    new, known = new_uscc(), create_enterprise(client, new_uscc())
    assert flags(client, known["uscc"])["tax_violation"] is None
    rows = firm_rows(new, **{**BLANK, "major_safety_incident": "是", "tax_violation": "否"})
    rows += firm_rows(known["uscc"], (2025,), name=known["name"],
                      **{**BLANK, "tax_violation": "否", "major_quality_incident": "是"})
    job = finished(client, upload(client, csv_file(rows)))
    assert (job["status"], job["created"], job["updated"]) == ("succeeded", 1, 1), job

    created = flags(client, new)
    assert (created["major_safety_incident"], created["tax_violation"]) == (True, False)
    assert created["research_misconduct"] is None  # blank on a new firm: not known
    [event] = events_of(session, new)
    assert event["profile"]["enterprise"]["flags"] == created

    updated = flags(client, known["uscc"])
    assert (updated["tax_violation"], updated["major_quality_incident"]) == (False, True)
    assert updated["major_safety_incident"] is False  # on file before, blank in the file
    after = client.get(f"/api/v1/enterprises/{known['uscc']}").json
    assert after["profile_version"] > known["profile_version"]
    last = events_of(session, known["uscc"])[-1]
    assert (last["version"], last["profile"]["enterprise"]["flags"]) == (
        after["profile_version"], updated)
    audit = client.get(f"/api/v1/enterprises/{known['uscc']}/audit").json["items"][-1]
    assert (audit["action"], audit["actor"]) == ("import", "curator:wang")
    assert audit["changes"]["tax_violation"] == {"from": None, "to": False}
    assert audit["changes"]["major_quality_incident"] == {"from": False, "to": True}


def test_a_blank_flag_never_clears_a_known_one(client: FlaskClient) -> None:
    code = new_uscc()
    assert finished(client, upload(client, csv_file(firm_rows(code))))["status"] == "succeeded"
    assert set(flags(client, code).values()) == {False}  # the example: 否 everywhere
    again = firm_rows(code, **BLANK)
    job = finished(client, upload(client, csv_file(again)))
    assert (job["status"], job["updated"]) == ("succeeded", 0), job  # nothing to change
    assert set(flags(client, code).values()) == {False}
    audit = client.get(f"/api/v1/enterprises/{code}/audit").json["items"]
    assert [a["action"] for a in audit] == ["import"]


@pytest.mark.parametrize("bad", ["也许", "2", "N/A", "不详"])
def test_a_bad_flag_is_a_row_error_naming_column_and_choices_and_nothing_changes(
        client: FlaskClient, bad: str) -> None:
    known = create_enterprise(client, new_uscc())
    before = flags(client, known["uscc"])
    new = new_uscc()
    rows = firm_rows(known["uscc"], (2025,), name=known["name"], tax_violation="否",
                     research_misconduct=bad) + firm_rows(new, (2025,))
    job = finished(client, upload(client, csv_file(rows)))
    assert (job["status"], job["error_count"]) == ("failed", 1), job
    [error] = job["errors"]
    assert (error["row"], error["column"]) == (2, BY_KEY["research_misconduct"].header)
    assert "是、否" in error["message"] and "true/false, yes/no, 1/0" in error["message"]
    assert flags(client, known["uscc"]) == before
    assert client.get(f"/api/v1/enterprises/{new}").status_code == 404


def test_an_export_carries_the_flags_as_words_and_reimports_unchanged(
        client: FlaskClient) -> None:
    """The export's figures sheet is the template: its flag columns hold the flags on file
    (是/否, blank when not known), so a bureau's export, edited and imported, changes only
    what was edited."""
    code = new_uscc()
    rows = firm_rows(code, **{**BLANK, "tax_violation": "是", "major_quality_incident": "否"})
    assert finished(client, upload(client, csv_file(rows)))["status"] == "succeeded"
    export = client.get(f"/api/v1/exports/enterprises.xlsx?q={code}")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.data), read_only=True)[SHEET_TITLE]
    header, *values = [list(r) for r in sheet.iter_rows(values_only=True)]
    row = values[0] + [None] * (len(header) - len(values[0]))  # empty trailing cells
    cells = dict(zip(header, row, strict=True))
    assert cells[BY_KEY["tax_violation"].header] == "是"
    assert cells[BY_KEY["major_quality_incident"].header] == "否"
    assert cells[BY_KEY["research_misconduct"].header] is None  # not known
    again = finished(client, upload(client, export.data, "export.xlsx"))
    assert (again["status"], again["created"], again["updated"]) == ("succeeded", 0, 0), again
