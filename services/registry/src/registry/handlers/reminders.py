"""The daily expiry-reminder run: ``registry.certification.expiring`` 90, 30 and 7 days ahead.

Exactly once per (certification, offset, expiry date) however often it runs: each emitted
reminder inserts a ledger row under a unique key in the same transaction as its outbox row.
A run that misses a day catches up: a certificate 25 days from expiry whose 30-day reminder
was never sent gets it now (late beats never); the 90-day one is skipped once the 30-day
window has begun, so nobody receives three reminders at once.

A certificate recorded without an expiry counts down to the expiry its tier's rules give
(``yumiao_common.contracts.validity.definite_expiry``: HNTE and the MIIT titles three years,
tech SME the end of its year) — no holding is valid forever (issue 8 item 4). Titles whose
rules give no end (agricultural leaders past monitoring, honours) get no reminder.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.handlers.journal import emit
from registry.models import Certification
from registry.models import Enterprise
from registry.models import ExpiryReminder
from yumiao_common.contracts.registry import CertificationExpiring
from yumiao_common.contracts.registry import CertificationExpiringPayload
from yumiao_common.contracts.validity import VALIDITY
from yumiao_common.contracts.validity import add_years
from yumiao_common.contracts.validity import definite_expiry


def due_offset(days_left: int, offsets: Iterable[int]) -> int | None:
    """The reminder due when ``days_left`` remain: the smallest offset ≥ days_left, if any."""
    candidates = [o for o in offsets if days_left <= o]
    return min(candidates) if candidates and days_left >= 0 else None


#: Tiers whose rules end a holding recorded without an expiry (``definite_expiry``).
_DEFINITE = tuple(t for t, (kind, _n) in VALIDITY.items() if kind != "monitored")
_LONGEST = max(n for t, (_kind, n) in VALIDITY.items() if t in _DEFINITE) + 1


def _expiring(
    session: Session, today: date, horizon: date
) -> list[tuple[Certification, Enterprise, date]]:
    """Certificates whose expiry (recorded, or else given by the tier's rules) falls between
    ``today`` and ``horizon``, by certificate id."""
    dated = session.execute(
        select(Certification, Enterprise)
        .join(Enterprise, Enterprise.id == Certification.enterprise_id)
        .where(Certification.expires_on.is_not(None), Certification.expires_on >= today,
               Certification.expires_on <= horizon)
    ).all()
    undated = session.execute(
        select(Certification, Enterprise)
        .join(Enterprise, Enterprise.id == Certification.enterprise_id)
        .where(Certification.expires_on.is_(None), Certification.tier.in_(_DEFINITE),
               Certification.issued_on <= today,
               Certification.issued_on >= add_years(today, -_LONGEST))
    ).all()
    out = [(cert, ent, cert.expires_on) for cert, ent in dated if cert.expires_on is not None]
    for cert, ent in undated:
        ends = definite_expiry(cert.tier, cert.issued_on)
        if ends is not None and today <= ends <= horizon:
            out.append((cert, ent, ends))
    return sorted(out, key=lambda row: row[0].id)


def emit_expiry_reminders(
    session: Session, *, today: date, offsets: tuple[int, ...] = (90, 30, 7),
    correlation_id: str | None = None,
) -> int:
    """Emit every reminder due on ``today`` not emitted before; returns how many were emitted."""
    horizon = today + timedelta(days=max(offsets))
    rows = _expiring(session, today, horizon)
    sent = {tuple(row) for row in session.execute(
        select(ExpiryReminder.certification_id, ExpiryReminder.days_before,
               ExpiryReminder.expires_on).where(ExpiryReminder.expires_on >= today))}
    emitted = 0
    for cert, enterprise, expires_on in rows:
        offset = due_offset((expires_on - today).days, offsets)
        if offset is None or (cert.id, offset, expires_on) in sent:
            continue
        session.add(ExpiryReminder(certification_id=cert.id, days_before=offset,
                                   expires_on=expires_on))
        emit(session, CertificationExpiring(
            correlation_id=correlation_id,
            payload=CertificationExpiringPayload(
                uscc=enterprise.uscc, enterprise_name=enterprise.name, tier=cert.tier,
                level=cert.level, number=cert.number, expires_on=expires_on,
                days_before=offset,  # type: ignore[arg-type]
            ),
        ))
        emitted += 1
    session.flush()
    return emitted
