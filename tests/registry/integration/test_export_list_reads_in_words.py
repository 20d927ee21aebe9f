"""The registry's XLSX list sheet reads in words: industry by its GB/T 4754 section name with
the code beside, size class and high-tech field by name (they were ``C3451``, ``small`` and
``advanced_manufacturing``), the town by name (issue 8 item 11)."""

from __future__ import annotations

import io
import uuid

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from registry_testkit import new_uscc

from registry.adapters.files.export_workbook import LIST_HEADERS
from registry.adapters.files.export_workbook import LIST_TITLE
from tests.registry.integration.test_export_api import GOOD
from tests.registry.integration.test_export_api import _import

pytestmark = pytest.mark.integration


def test_list_sheet_names_industry_size_field_and_town(client: FlaskClient) -> None:
    token = uuid.uuid4().hex[:8]
    row = {**GOOD, "uscc": new_uscc(), "name": f"聊城{token}有限公司"}
    assert _import(client, [row])["status"] == "succeeded"
    resp = client.get(f"/api/v1/exports/enterprises.xlsx?q={token}")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data), read_only=True)[LIST_TITLE]
    header, listed = list(sheet.iter_rows(max_row=1, values_only=True))[0], [
        r for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert header[4] == LIST_HEADERS[4] == "国民经济行业 / Industry"
    assert len(listed) == 1
    uscc, _name, town, town_code, industry, size, _established, field = listed[0][:8]
    assert (town, town_code) == ("蒋官屯街道", "371502010")
    assert industry == "制造业（C3451）"
    assert size == "小型"  # 120 people, ¥48m revenue: small under the industrial row of 300号
    assert field == "先进制造与自动化"
