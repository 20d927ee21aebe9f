"""The demo-data generator: a pure, seeded function yielding Dongchangfu enterprise profiles.

``generate_demo`` returns every firm with its profile (profile.md shape, valid against
``yumiao_common.contracts.profile.Profile``), its town and its pool memberships;
``generate_profiles`` yields only the profiles, for benchmarks and scoring tests. The same
``(n, seed, as_of)`` always gives the same firms: every draw comes from one seeded
``random.Random`` consumed in a fixed order, and nothing reads the clock.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from typing import Final

from yumiao_common.identifiers import USCC_ALPHABET
from yumiao_common.identifiers import generate_uscc
from yumiao_demo.firms import catalogue
from yumiao_demo.firms.financials import build_financials
from yumiao_demo.firms.holdings import build_certifications
from yumiao_demo.firms.holdings import build_ip
from yumiao_demo.firms.holdings import build_recognitions
from yumiao_demo.firms.pipeline import StageDealer
from yumiao_demo.firms.pipeline import registry_only_certifications
from yumiao_demo.firms.roles import HOLDS_HNTE
from yumiao_demo.firms.roles import Role
from yumiao_demo.firms.roles import finance_spec
from yumiao_demo.firms.roles import role_plan

DEFAULT_SEED: Final = 4754
DEFAULT_N: Final = 3000
#: Fixed reference date of the demo (never ``date.today()``: the data must not drift).
DEMO_AS_OF: Final = date(2026, 11, 1)

_TECHY = [i for i in catalogue.INDUSTRIES if i.techy >= 0.3 and not i.agri]
_AGRI = [i for i in catalogue.INDUSTRIES if i.agri and i.code[0] in "AC"]
_ALL = list(catalogue.INDUSTRIES)
_TOWN_WEIGHTS = [t[2] for t in catalogue.TOWNS]


@dataclass(frozen=True, slots=True)
class DemoFirm:
    """One synthetic firm: its profile plus what the profile does not carry."""

    profile: dict[str, Any]
    town_code: str
    town_name: str
    role: str
    memberships: list[dict[str, Any]]
    #: registry-only titles (district agricultural leader, listed) the Profile cannot carry
    extra_certifications: list[dict[str, Any]]


def generate_demo(
    n: int = DEFAULT_N, seed: int = DEFAULT_SEED, as_of: date = DEMO_AS_OF
) -> list[DemoFirm]:
    """``n`` firms, deterministic in ``(n, seed, as_of)``; credit codes and names unique."""
    rng = random.Random(seed)
    plan = role_plan(n, rng)
    dealer = StageDealer()
    used_codes: set[str] = set()
    used_names: set[str] = set()
    return [_firm(rng, role, as_of, dealer, used_codes, used_names) for role in plan]


def generate_profiles(
    n: int = DEFAULT_N, seed: int = DEFAULT_SEED, as_of: date = DEMO_AS_OF
) -> Iterator[dict[str, Any]]:
    """Only the profiles (profile.md shape), for benchmarks and the scoring service's tests."""
    for firm in generate_demo(n, seed, as_of):
        yield firm.profile


def _firm(
    rng: random.Random, role: Role, as_of: date, dealer: StageDealer,
    used_codes: set[str], used_names: set[str],
) -> DemoFirm:
    industry = _industry(rng, role)
    town_code, town_name, _ = rng.choices(catalogue.TOWNS, _TOWN_WEIGHTS)[0]
    established = _established(rng, role, as_of)
    years = tuple(y for y in range(as_of.year - 3, as_of.year) if y >= established.year)
    spec = finance_spec(rng, role)
    enterprise = {
        "uscc": _unique_uscc(rng, role, industry, established, used_codes),
        "name": _unique_name(rng, industry, role, used_names),
        "established_on": established.isoformat(),
        "division_code": catalogue.DISTRICT,
        "industry_code": industry.code,
        "hightech_field": industry.hightech_field if role.techy else None,
        "tax_method": "audited" if role.key != "ordinary" or rng.random() < 0.7 else "deemed",
        "niche_market_years": min(as_of.year - established.year, rng.randint(1, 15)),
        "main_product_fields": _product_fields(rng, role),
        "flags": _flags(rng),
    }
    profile = {
        "as_of": as_of.isoformat(),
        "enterprise": enterprise,
        "financials": build_financials(rng, spec, years) if years else [],
        "ip": build_ip(rng, role.key, industry.key, as_of.year - 1),
        **build_recognitions(rng, role.key, as_of.year - 1),
        "certifications": build_certifications(rng, role.key, as_of),
        "assessments": _assessments(rng, role),
    }
    memberships = dealer.memberships(rng, role.key, as_of)
    return DemoFirm(profile, town_code, town_name, role.key, memberships,
                    registry_only_certifications(memberships, as_of))


def _industry(rng: random.Random, role: Role) -> catalogue.Industry:
    pool = _TECHY if role.techy else _AGRI if role.agri else _ALL
    weights = [i.weight * (i.techy if role.techy else 1) for i in pool]
    return rng.choices(pool, weights)[0]


def _established(rng: random.Random, role: Role, as_of: date) -> date:
    oldest = 1995 if role.size in ("medium", "large") else 2003
    newest = as_of.year - (4 if role.key != "ordinary" else 0)
    year = rng.randint(oldest, max(oldest, newest))
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


def _unique_uscc(
    rng: random.Random, role: Role, industry: catalogue.Industry, est: date, used: set[str]
) -> str:
    """Mostly ``91371502``; city and provincial registrars for some; ``93`` for co-ops."""
    prefix = "93" if industry.code[0] == "A" and role.key == "ordinary" and rng.random() < 0.5 \
        else "92" if role.key == "ordinary" and rng.random() < 0.02 else "91"
    division = rng.choices(("371502", "371500", "370000"), (84, 14, 2))[0]
    while True:
        if est.year >= 2015:  # post-reform bodies: MA3 + 5 characters (domain-data §1.6)
            body = "MA3" + "".join(rng.choice(USCC_ALPHABET) for _ in range(5))
        else:  # legacy 8-digit organisation-code bodies
            body = f"{rng.randint(10_000_000, 99_999_999)}"
        code = generate_uscc(prefix, division, body)
        if code not in used:
            used.add(code)
            return code


def _unique_name(
    rng: random.Random, industry: catalogue.Industry, role: Role, used: set[str]
) -> str:
    chars = catalogue.TRADE_CHARS
    for attempt in range(50):
        trade = rng.choice(chars) + rng.choice(chars)
        if attempt > 10:
            trade += rng.choice(chars)
        city = rng.choice(catalogue.CITY_PREFIXES)
        form = catalogue.COOP_SUFFIX if industry.code[0] == "A" and role.key == "ordinary" \
            else rng.choice(catalogue.LEGAL_FORMS)
        name = f"{city}{trade}{industry.product}{form}"
        if name not in used:
            used.add(name)
            return name
    return name  # pragma: no cover - 50 misses in a row are practically impossible


def _product_fields(rng: random.Random, role: Role) -> list[str]:
    if not role.techy:
        return []
    fields = ["strategic_emerging"] if rng.random() < 0.6 else []
    if rng.random() < 0.4:
        fields.append("six_foundations")
    return fields


def _flags(rng: random.Random) -> dict[str, bool]:
    bad = rng.random() < 0.01  # a few firms on a list, so gate failures show up too
    return {
        "major_safety_incident": False, "major_quality_incident": False,
        "serious_environmental_violation": False, "research_misconduct": False,
        "abnormal_operations_list": bad, "serious_dishonesty_list": False,
        # the MIIT general conditions (63号 第五条) answered too, so MIIT verdicts can decide
        "tax_evasion": False, "restricted_products": False,
    }


def _assessments(rng: random.Random, role: Role) -> dict[str, Any]:
    if not role.techy:
        return {"digital_level": rng.choice((None, 1, 2)), "quality_items": []}
    grades = "AB" if role.key in HOLDS_HNTE else "BC"
    out = {
        "digital_level": rng.randint(1, 4),
        "quality_items": rng.sample(["iso9001", "own_brand", "standards"], rng.randint(1, 3)),
        "hnte_expert": {
            "tech_advancement": rng.choice(grades), "core_support": rng.choice(grades),
            "rd_management_points": str(rng.randint(10, 18)), "standards_bonus": "0",
        },
    }
    if role.key.startswith("near_hnte"):
        # Strong on the expert-assessed items, so one hard gap is what stands between the firm
        # and the title (verdict "near") and the 高企后备库 round has candidates. Set after the
        # draws above, so every other firm of a seed stays the firm it was.
        out["hnte_expert"] = {"tech_advancement": "A", "core_support": "A",
                              "rd_management_points": "20", "standards_bonus": "0"}
    return out
