"""Credit-code, division and industry checks against real codes (domain-data.md §1.6–1.7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from yumiao_common.identifiers import USCC_ALPHABET
from yumiao_common.identifiers import generate_uscc
from yumiao_common.identifiers import is_division_code
from yumiao_common.identifiers import is_industry_code
from yumiao_common.identifiers import is_valid_uscc
from yumiao_common.identifiers import org_check_char
from yumiao_common.identifiers import uscc_check_char
from yumiao_common.identifiers import uscc_problems

REAL_CODES = [
    "91440300192317458F",  # BYD
    "91520000214434146R",  # AVIC Heavy Machinery
    "91370000614071479T",  # Luxi Chemical (Liaocheng)
    "9144030071526726XG",  # Tencent Technology (Shenzhen)
    "914403001922038216",  # Huawei Technologies
    "91371502MA3DHUQR57",  # Dongchangfu registrar shape
    "91371500MA3UQ0K09P",
    "91370306MA3WAEUH4J",
    "91370685MA3DK6E25E",
    "91430111MA4L41YT1U",  # letters after H: needs the GB 11714 value table
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_pass_both_checks(code: str) -> None:
    assert uscc_problems(code) == []
    assert stdnum_uscc.is_valid(code)


def test_worked_examples_of_the_reference() -> None:
    assert uscc_check_char("91440300192317458") == "F"
    assert org_check_char("19231745") == "8"
    assert org_check_char("MA4L41YT") == "1"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9144030071526726XA", "position 18"),
        ("9I440300708461136T", "alphabet"),
        ("91440300192317458", "18 characters"),
        ("91440300192317459F", "position 17"),  # org check broken, 18 recomputed below
        ("9144O300192317458F", "alphabet"),  # letter in the division segment
        ("91440300192317458f", "alphabet"),
        ("91371500614071479T", "position 18"),  # the profile.md example: wrong 18th char
    ],
)
def test_invalid_codes_name_the_reason(code: str, fragment: str) -> None:
    if code == "91440300192317459F":
        code = code[:17] + uscc_check_char(code[:17])
    problems = uscc_problems(code)
    assert problems, code
    assert any(fragment in en for _zh, en in problems)
    assert all(zh for zh, _en in problems)


@given(
    body=st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8),
    division=st.from_regex(r"\A[0-9]{6}\Z"),
)
def test_generated_codes_pass_ours_and_stdnum(body: str, division: str) -> None:
    code = generate_uscc("91", division, body)
    assert is_valid_uscc(code)
    assert stdnum_uscc.is_valid(code)
    assert code[:8] == "91" + division and code[8:16] == body


@given(first17=st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_position_18_agrees_with_stdnum(first17: str) -> None:
    assert uscc_check_char(first17) == stdnum_uscc.calc_check_digit(first17)


@pytest.mark.parametrize(
    ("prefix", "division", "body"),
    [
        ("9", "371502", "MA3DHUQR"),
        ("91", "37150", "MA3DHUQR"),
        ("91", "371502", "MA3DHUQ"),
        ("91", "371502", "MA3DHUQO"),
        ("91", "37150A", "MA3DHUQR"),
    ],
)
def test_generate_rejects_bad_parts(prefix: str, division: str, body: str) -> None:
    with pytest.raises(ValueError):
        generate_uscc(prefix, division, body)


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("371502", True),
        ("37150", False),
        ("3715021", False),
        ("37150A", False),
        ("371502\n", False),
    ],
)
def test_division_code_shape(code: str, ok: bool) -> None:
    assert is_division_code(code) is ok


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("C3451", True),
        ("C34", True),
        ("I643", True),
        ("C", False),
        ("C34512", False),
        ("c3451", False),
        ("Z3451", False),
        ("3451", False),
    ],
)
def test_industry_code_shape(code: str, ok: bool) -> None:
    assert is_industry_code(code) is ok
