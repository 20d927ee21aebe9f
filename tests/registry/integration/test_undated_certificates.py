"""No holding is valid forever in the registry either (issue 8 item 4; criteria.md §8 item
10): a certificate recorded without an expiry is held for the validity its tier's rules give
(HNTE and the MIIT titles three years, tech SME its calendar year, agricultural leaders two
years then unknown, honours unknown) in the tier filter, the pipeline's prerequisite, the XLSX
export and the expiry reminders; a tech-SME registration left without expiry gets 31 December
of its year."""

from __future__ import annotations

import io
from datetime import date
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from registry_testkit import HEADERS
from registry_testkit import create_enterprise
from registry_testkit import move
from registry_testkit import new_uscc
from registry_testkit import nominate
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.adapters.files.export_workbook import LIST_TITLE
from registry.handlers import emit_expiry_reminders
from registry.models import Certification
from registry.models import Enterprise
from registry.models import ExpiryReminder
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.validity import add_years

pytestmark = pytest.mark.integration

TODAY = beijing_today()


def _undated(sessions: sessionmaker[Session], uscc: str, tier: str, issued: date) -> int:
    """Record a certificate without an expiry (as imports and older rows have them)."""
    with sessions.begin() as session:
        eid = session.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc))
        cert = Certification(enterprise_id=eid, tier=tier, issued_on=issued, expires_on=None)
        session.add(cert)
        session.flush()
        return cert.id


def _listed(client: FlaskClient, tag: str, tier: str) -> set[str]:
    response = client.get("/api/v1/enterprises", query_string={"q": tag, "tier": tier})
    assert response.status_code == 200, response.json
    return {e["uscc"] for e in response.json["items"]}


def _firms(client: FlaskClient, count: int) -> tuple[str, list[str]]:
    tag = new_uscc()[-8:-2]
    return tag, [create_enterprise(client, new_uscc(), name=f"有效期{tag}{i}")["uscc"]
                 for i in range(count)]


def test_the_tier_filter_counts_an_undated_hnte_certificate_three_years_only(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    tag, (old, recent) = _firms(client, 2)
    _undated(sessions, old, "hnte", date(2015, 1, 1))  # the 2015 certificate
    _undated(sessions, recent, "hnte", TODAY - timedelta(days=400))
    assert _listed(client, tag, "hnte") == {recent}


def test_an_undated_tech_sme_registration_counts_in_its_year_only(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    tag, (last_year, this_year) = _firms(client, 2)
    _undated(sessions, last_year, "tech_sme", date(TODAY.year - 1, 12, 31))
    _undated(sessions, this_year, "tech_sme", date(TODAY.year, 1, 1))
    assert _listed(client, tag, "tech_sme") == {this_year}


def test_undated_agricultural_leaders_count_two_years_and_honours_not_at_all(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    tag, (fresh, stale, champion) = _firms(client, 3)
    _undated(sessions, fresh, "agri_leader_provincial", TODAY - timedelta(days=300))
    _undated(sessions, stale, "agri_leader_provincial", add_years(TODAY, -2))  # unknown now
    _undated(sessions, champion, "single_champion", TODAY - timedelta(days=30))
    assert _listed(client, tag, "agri_leader_provincial") == {fresh}
    assert _listed(client, tag, "single_champion") == set()


def test_a_lapsed_undated_title_does_not_open_the_next_rung(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    _tag, (uscc,) = _firms(client, 1)
    nominate(client, "srdi_sme", uscc)
    version = 1
    for stage in ("screened", "admitted", "cultivating"):
        version = move(client, "srdi_sme", uscc, stage, version).json["version"]
    _undated(sessions, uscc, "innovative_sme", add_years(TODAY, -3))  # lapsed yesterday
    refused = move(client, "srdi_sme", uscc, "applied", version)
    assert refused.status_code == 409
    assert refused.json["error"]["details"]["requires_tier"] == "innovative_sme"
    _undated(sessions, uscc, "innovative_sme", add_years(TODAY, -3) + timedelta(days=1))
    assert move(client, "srdi_sme", uscc, "applied", version).status_code == 200


def test_the_export_lists_only_titles_still_held(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    tag, (uscc,) = _firms(client, 1)
    _undated(sessions, uscc, "hnte", date(2015, 1, 1))
    _undated(sessions, uscc, "little_giant", TODAY - timedelta(days=10))
    response = client.get(f"/api/v1/exports/enterprises.xlsx?q={tag}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = list(book[LIST_TITLE].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[8]) for r in rows] == [(uscc, "专精特新“小巨人”")]


def test_an_undated_certificate_is_reminded_before_its_rule_expiry_once(
    client: FlaskClient, sessions: sessionmaker[Session]
) -> None:
    _tag, (uscc,) = _firms(client, 1)
    day = date(2031, 3, 1)
    issued = add_years(day + timedelta(days=30), -3) + timedelta(days=1)  # ends in 30 days
    cert_id = _undated(sessions, uscc, "hnte", issued)
    never = _undated(sessions, uscc, "single_champion", add_years(day, -3))
    with sessions.begin() as session:
        assert emit_expiry_reminders(session, today=day) >= 1
    with sessions.begin() as session:
        emit_expiry_reminders(session, today=day)  # again: nothing new for this certificate
    with sessions() as session:
        ledger = session.execute(
            select(ExpiryReminder.certification_id, ExpiryReminder.days_before,
                   ExpiryReminder.expires_on)
            .where(ExpiryReminder.certification_id.in_((cert_id, never)))).all()
    assert [tuple(r) for r in ledger] == [(cert_id, 30, day + timedelta(days=30))]


def test_a_tech_sme_registration_without_expiry_gets_the_end_of_its_year(
    client: FlaskClient, enterprise: dict[str, Any]
) -> None:
    response = client.post(f"/api/v1/enterprises/{enterprise['uscc']}/certifications",
                           json={"tier": "tech_sme", "issued_on": "2025-05-10"}, headers=HEADERS)
    assert response.status_code == 201
    assert response.json["expires_on"] == "2025-12-31"
