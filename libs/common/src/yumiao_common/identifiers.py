"""Identifier checks every service must apply identically: credit code, division, industry.

The unified social credit code (统一社会信用代码, USCC) is the registry's primary key and
the key of every event, so registry, scoring and the gateway must agree on what is valid.
Two check characters are verified, both as hard rules (see domain-data.md §1.4–1.5):

* position 18 — GB 32100-2015, ISO 7064 MOD 31 over the 31-character USCC alphabet
  (no I, O, S, V, Z);
* position 17 — GB 11714 organisation-code check, MOD 11 with weights 3,7,9,10,5,8,4,2
  and the GB 11714 value table (``A``–``Z`` = 10–35 *including* I, O, S, V, Z), ``X`` for 10,
  ``0`` for 11.

``uscc_problems`` returns bilingual reasons rather than raising, so callers can put them in a
422 ``fields`` map or a CSV import report. ``generate_uscc`` builds codes that pass both
checks, for the demo-data generator and tests.
"""

from __future__ import annotations

import re
from typing import Final

USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE: Final = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))
_ORG_VALUE: Final = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)

_USCC_SHAPE: Final = re.compile(
    r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}[0-9A-HJ-NPQRTUWXY]"
)
DIVISION_PATTERN: Final = r"^[0-9]{6}$"
INDUSTRY_PATTERN: Final = r"^[A-T][0-9]{2,4}$"
_DIVISION_SHAPE: Final = re.compile(DIVISION_PATTERN)
_INDUSTRY_SHAPE: Final = re.compile(INDUSTRY_PATTERN)

# (zh, en) reason pairs; kept as data so tests and callers can match them.
Reason = tuple[str, str]
_R_LENGTH: Final = ("长度须为18位", "must be 18 characters long")
_R_CHARSET: Final = (
    "含有非法字符（仅限数字和除I、O、S、V、Z外的大写字母，第3–8位须为数字）",
    "contains characters outside the code alphabet (digits and capitals except I, O, S, V, Z;"
    " positions 3–8 digits only)",
)


def uscc_check_char(first17: str) -> str:
    """Position-18 check character (GB 32100, MOD 31) of the first 17 characters."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[-total % 31]


def org_check_char(body8: str) -> str:
    """Position-17 check character (GB 11714, MOD 11) of the 8-character organisation body."""
    c9 = 11 - sum(_ORG_VALUE[c] * w for c, w in zip(body8, _ORG_WEIGHTS, strict=True)) % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def uscc_problems(code: str) -> list[Reason]:
    """Every reason ``code`` is not a valid USCC, as (zh, en) pairs; empty when valid.

    Shape problems stop the check early: check characters of a malformed code mean nothing.
    """
    if len(code) != 18:
        return [_R_LENGTH]
    if not _USCC_SHAPE.fullmatch(code):
        return [_R_CHARSET]
    problems: list[Reason] = []
    expected17 = org_check_char(code[8:16])
    if code[16] != expected17:
        problems.append(
            (
                f"第17位组织机构代码校验码应为{expected17}（GB 11714）",
                f"position 17 (organisation-code check, GB 11714) should be {expected17}",
            )
        )
    expected18 = uscc_check_char(code[:17])
    if code[17] != expected18:
        problems.append(
            (
                f"第18位校验码应为{expected18}（GB 32100）",
                f"position 18 (check character, GB 32100) should be {expected18}",
            )
        )
    return problems


def is_valid_uscc(code: str) -> bool:
    """True when ``code`` passes the shape and both check characters."""
    return not uscc_problems(code)


def generate_uscc(prefix: str, division: str, body8: str) -> str:
    """Build a valid code from ``prefix`` (e.g. ``"91"``), a 6-digit division and an 8-char body.

    Both check characters are computed. Raises ``ValueError`` on malformed parts, so the
    demo-data generator can never emit an invalid code.
    """
    if (
        len(prefix) != 2
        or not is_division_code(division)
        or len(body8) != 8
        or any(c not in _USCC_VALUE for c in prefix + body8)
    ):
        raise ValueError(f"bad USCC parts: {prefix!r}, {division!r}, {body8!r}")
    code17 = prefix + division + body8 + org_check_char(body8)
    code = code17 + uscc_check_char(code17)
    return code


def is_division_code(code: str) -> bool:
    """Shape of a county-level GB/T 2260 division code: six digits (e.g. ``371502``)."""
    return bool(_DIVISION_SHAPE.fullmatch(code))


def is_industry_code(code: str) -> bool:
    """Shape of a GB/T 4754-2017 code: section letter A–T then 2–4 digits (e.g. ``C3451``)."""
    return bool(_INDUSTRY_SHAPE.fullmatch(code))
