"""The import template a curator fills in (issue 17 item 8): choices by their Chinese names
from drop-down lists, figures stored as numbers — and the import reads what it offers."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from registry.adapters.files.cells import make_enum
from registry.adapters.files.cells import product_fields
from registry.adapters.files.columns import COLUMNS
from registry.adapters.files.import_template import template_xlsx


def test_the_template_offers_chinese_choices_and_holds_numbers_as_numbers() -> None:
    sheet = load_workbook(io.BytesIO(template_xlsx())).worksheets[0]
    keys = [c.key for c in COLUMNS]
    example = {key: sheet.cell(row=2, column=i + 1).value for i, key in enumerate(keys)}
    assert example["tax_method"] == "查账征收"
    assert example["main_product_fields"] == "工业“六基”;战略性新兴产业"
    assert isinstance(example["year"], int) and isinstance(example["niche_market_years"], int)
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    formulas = " ".join(str(v.formula1) for v in lists)
    assert "查账征收" in formulas and "核定征收" in formulas and "先进制造与自动化" in formulas
    assert all(v.showErrorMessage for v in lists)


def test_the_import_reads_the_chinese_names_it_offers() -> None:
    assert make_enum("tax_method")("查账征收") == "audited"
    assert make_enum("hightech_field")("先进制造与自动化") == "advanced_manufacturing"
    assert product_fields("工业“六基”;战略性新兴产业") == ["six_foundations", "strategic_emerging"]
    assert product_fields("six_foundations") == ["six_foundations"]  # codes still work
