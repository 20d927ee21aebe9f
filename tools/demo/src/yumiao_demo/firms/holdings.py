"""What a demo firm holds besides figures: IP, awards, institutions, standards, certificates.

Numbers look like the real ones (patent ``ZL`` + 12-digit application number + check digit,
software copyright ``2023SR0123456``) so exports and screens read naturally; none is real.
"""

from __future__ import annotations

import random
from datetime import date
from datetime import timedelta
from typing import Any

from yumiao_demo.firms.roles import HOLDS_HNTE

_PATENT_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def patent_number(rng: random.Random, year: int, kind_digit: int) -> str:
    """CNIPA application number with its check digit (mod 11 over weights 2–9,2–5; 10 → X)."""
    digits = f"{year}{kind_digit}{rng.randint(0, 9_999_999):07d}"
    check = sum(int(d) * w for d, w in zip(digits, _PATENT_WEIGHTS, strict=True)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


def _ip_item(rng: random.Random, kind: str, latest: int, **extra: Any) -> dict[str, Any]:
    year = rng.randint(latest - 8, latest)
    if kind == "software_copyright":
        number = f"{year}SR{rng.randint(0, 9_999_999):07d}"
    else:
        digit = {"invention_patent": 1, "utility_model": 2, "design_patent": 3}[kind]
        number = patent_number(rng, year - 1, digit)
    granted = date(year, rng.randint(1, 12), rng.randint(1, 28))
    item = {
        "kind": kind, "number": number, "granted_on": granted.isoformat(),
        "acquired_by": "self_developed" if rng.random() < 0.85 else "transferred",
        "related_to_main_product": rng.random() < 0.9, "high_value": False,
        "in_force": True, "used_in_hnte": False, "in_dispute": False,
    }
    item.update(extra)
    return item


_IP_COUNTS: dict[str, tuple[tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    # role: (invention, utility model, software copyright) ranges
    "hnte": ((1, 5), (5, 20), (0, 4)),
    "hnte_srdi": ((2, 10), (8, 30), (0, 5)),
    "little_giant": ((6, 15), (15, 40), (0, 5)),
    "listing": ((3, 10), (10, 30), (0, 5)),
    "srdi_only": ((2, 5), (4, 12), (0, 2)),
    "tech_sme": ((0, 2), (2, 12), (0, 5)),
    "innovative": ((1, 2), (2, 8), (0, 3)),
    "reserve": ((0, 2), (2, 10), (0, 4)),
    "near_hnte_rd": ((1, 3), (4, 10), (0, 3)),
    "near_hnte_staff": ((1, 3), (4, 10), (0, 3)),
    "near_hnte_hightech": ((1, 3), (4, 10), (0, 3)),
    "near_srdi_rd": ((1, 3), (3, 8), (0, 2)),
}


def build_ip(rng: random.Random, role: str, industry_key: str, latest: int) -> list[dict[str, Any]]:
    """IP portfolio by role; near-misses on IP get exactly the holding that misses."""
    if role in ("near_tech_sme_score", "near_innovative"):
        return [_ip_item(rng, "utility_model", latest) for _ in range(3)]
    counts = _IP_COUNTS.get(role)
    if counts is None:
        n_um = rng.choice((0, 0, 0, 0, 1, 2)) if role == "ordinary" else rng.randint(0, 3)
        return [_ip_item(rng, "utility_model", latest) for _ in range(n_um)]
    software = industry_key in ("software", "iot", "integration")
    inv, um, sc = (rng.randint(*r) for r in counts)
    if software:
        um, sc = um // 4, sc + rng.randint(5, 15)
    items = [_ip_item(rng, "invention_patent", latest, high_value=rng.random() < 0.15)
             for _ in range(inv)]
    items += [_ip_item(rng, "utility_model", latest, used_in_hnte=role in HOLDS_HNTE
                       and rng.random() < 0.3) for _ in range(um)]
    items += [_ip_item(rng, "software_copyright", latest) for _ in range(sc)]
    if rng.random() < 0.2:
        items.append(_ip_item(rng, "design_patent", latest))
    return items


def _cert(tier: str, issued: date, years: int | None, number: str | None = None) -> dict[str, Any]:
    expires = None
    if years is not None:
        anniversary = issued.replace(year=issued.year + years, day=min(issued.day, 28))
        expires = (anniversary - timedelta(days=1)).isoformat()
    return {"tier": tier, "issued_on": issued.isoformat(), "expires_on": expires,
            "number": number}


def build_certifications(rng: random.Random, role: str, as_of: date) -> list[dict[str, Any]]:
    """Certificates held at ``as_of``; a few lapse within 7–90 days so reminders fire."""
    certs: list[dict[str, Any]] = []
    if role in HOLDS_HNTE:
        # issued in Nov/Dec of one of the last three years; the oldest lapse soon after as_of
        year = as_of.year - rng.choice((0, 1, 2, 2)) - (1 if as_of.month < 11 else 0)
        issued = date(year, rng.choice((11, 12)), rng.randint(1, 28))
        certs.append(_cert("hnte", issued, 3, f"GR{year}3700{rng.randint(0, 99999):05d}"))
    if role in ("tech_sme", "hnte", "hnte_srdi", "little_giant") and rng.random() < 0.75:
        issued = date(as_of.year, rng.randint(4, 8), rng.randint(1, 28))
        certs.append(_cert("tech_sme", issued, None) | {
            "expires_on": date(as_of.year, 12, 31).isoformat(),
            "number": f"{as_of.year}3715020{rng.randint(1000, 9999)}"})
    if role in ("innovative", "hnte_srdi", "little_giant", "srdi_only", "near_srdi_rd") or (
        role == "hnte" and rng.random() < 0.25
    ):
        certs.append(_cert("innovative_sme", _recent(rng, as_of, 3), 3))
    if role in ("hnte_srdi", "little_giant", "srdi_only"):
        certs.append(_cert("srdi_sme", _recent(rng, as_of, 3), 3))
    if role == "little_giant":
        certs.append(_cert("little_giant", _recent(rng, as_of, 3), 3))
    agri = {"agri_municipal": ("agri_leader_municipal",),
            "near_srdi_rd": (),
            "agri_provincial": ("agri_leader_municipal", "agri_leader_provincial"),
            "near_agri_national": ("agri_leader_municipal", "agri_leader_provincial"),
            "agri_national": ("agri_leader_municipal", "agri_leader_provincial",
                              "agri_leader_national")}
    for tier in agri.get(role, ()):
        certs.append(_cert(tier, _recent(rng, as_of, 2), 2))
    return certs


def _recent(rng: random.Random, as_of: date, within_years: int) -> date:
    return as_of - timedelta(days=rng.randint(20, 365 * within_years - 10))


def build_recognitions(rng: random.Random, role: str, latest: int) -> dict[str, list[Any]]:
    """Awards, R&D institutions and standards led: common among title holders only."""
    strong = role in ("hnte_srdi", "little_giant", "listing", "agri_national")
    tech = role in HOLDS_HNTE or role in ("srdi_only", "agri_provincial")
    awards = []
    if strong or (tech and rng.random() < 0.2):
        awards.append({"level": "provincial" if strong else "municipal",
                       "year": rng.randint(latest - 3, latest), "rank": rng.randint(1, 5)})
    institutions = []
    if strong:
        institutions.append({"level": "provincial", "name": "山东省企业技术中心"})
    elif tech and rng.random() < 0.5:
        institutions.append({"level": "municipal", "name": "聊城市工程技术研究中心"})
    standards = []
    if strong and rng.random() < 0.6:
        standards.append({"level": rng.choice(("national", "industry", "group")),
                          "year": rng.randint(latest - 4, latest)})
    return {"awards": awards, "rd_institutions": institutions, "standards_led": standards}
