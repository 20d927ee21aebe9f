"""The eight high-tech fields: one table of names in ``yumiao_common.vocabulary.hightech_fields``.

Their names were held three times (scoring's texts, the gateway's catalogue, the registry's
import) and the registry's export showed the key (``advanced_manufacturing``). Every place now
reads the shared table, which covers exactly the profile's ``HightechField`` keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from gateway.web.catalogue import CHOICES as PAGE_CHOICES
from registry.adapters.files.cells import ENUMS
from scoring.domain.readable import CHOICES as ANSWER_CHOICES
from yumiao_common.contracts.profile import HightechField
from yumiao_common.vocabulary.hightech_fields import FIELDS
from yumiao_common.vocabulary.hightech_fields import field_label

ROOT = Path(__file__).resolve().parents[3]


def test_the_table_covers_the_profile_keys_and_reads_in_each_language() -> None:
    assert set(FIELDS) == set(get_args(HightechField))
    assert field_label("advanced_manufacturing") == "先进制造与自动化"
    assert field_label("biomedicine", "en") == "Biomedicine"
    assert field_label(None) == "—" and field_label("other") == "other"


def test_pages_answers_and_import_read_the_shared_names() -> None:
    for key, names in FIELDS.items():
        assert PAGE_CHOICES[key] == names and ANSWER_CHOICES[key] == names
        assert ENUMS["hightech_field"][names[0]] == key  # the import takes the Chinese name


def test_no_other_source_file_holds_a_copy_of_the_names() -> None:
    owner = ROOT / "libs/common/src/yumiao_common/vocabulary/hightech_fields.py"
    names = [zh for zh, _en in FIELDS.values()]
    for base in (ROOT / "libs", ROOT / "services", ROOT / "gateway"):
        for path in base.rglob("*.py"):
            if path == owner or ".venv" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="ignore")
            assert len([n for n in names if n in text]) < 3, path
