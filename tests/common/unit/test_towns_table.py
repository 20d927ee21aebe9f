"""The district's towns: one table in ``yumiao_common.vocabulary.towns``, shown alike everywhere.

The ranking XLSX once showed towns as bare codes because scoring held no town table; the
registry held one, the demo generator a second copy of the names, the gateway fetched a third
over HTTP. Now the names live in one place: the registry validates and serves that table,
scoring's export and the gateway's pages name towns from it, and no other source file holds
a list of town names.
"""

from __future__ import annotations

from pathlib import Path

from registry.domain import towns as registry_towns
from yumiao_common.vocabulary.towns import TOWNS
from yumiao_common.vocabulary.towns import TOWNS_BY_CODE
from yumiao_common.vocabulary.towns import town_label
from yumiao_demo.firms import catalogue

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [ROOT / "libs", ROOT / "services", ROOT / "gateway"]


def test_a_town_reads_by_name_with_its_code_beside() -> None:
    assert town_label("371502001") == "古楼街道（371502001）"
    assert town_label("371502116", "en") == "Guangping Town (371502116)"
    assert town_label("371502007") == "凤凰街道（371502007）"  # retired in 2018, still named
    assert town_label("999999999") == "999999999" and town_label(None) == "—"


def test_the_registry_serves_the_shared_table_not_a_copy() -> None:
    assert registry_towns.TOWNS is TOWNS and registry_towns.TOWNS_BY_CODE is TOWNS_BY_CODE


def test_demo_firms_sit_in_named_current_towns() -> None:
    for code, name, weight in catalogue.TOWNS:
        town = TOWNS_BY_CODE[code]
        assert (town.name, town.retired_in) == (name, None) and weight > 0


def test_no_other_source_file_holds_a_copy_of_the_table() -> None:
    # One name in a docstring's example is fine; three or more is a list of towns.
    owner = ROOT / "libs/common/src/yumiao_common/vocabulary/towns.py"
    names = [t.name for t in TOWNS] + [t.name_en for t in TOWNS]
    for base in SOURCES:
        for path in base.rglob("*"):
            if path == owner or path.suffix not in {".py", ".json", ".html", ".js"}:
                continue
            if "node_modules" in path.parts or ".venv" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert len([n for n in names if n in text]) < 3, path
