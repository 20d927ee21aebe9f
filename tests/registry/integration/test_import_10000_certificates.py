"""A provincial certificate list of 10,000 rows goes in as one file (issue 12 item 2).

PostgreSQL only, to keep the suite lean (the other tests run every sheet on both backends).
The 10,000 firms are registered with the enterprise import's bulk writer; the certificates then
take the real job path (``run_job``, what the jobs worker calls). The time is printed (``-s``)
and reported, not asserted: the machine is shared.
"""

from __future__ import annotations

import csv
import io
import time

import pytest
from registry_testkit import new_uscc
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.adapters.files.columns import ENTERPRISE_KEYS
from registry.adapters.files.record_sheets import SHEETS
from registry.adapters.files.row_validation import Batch
from registry.handlers.import_writing import write_batch
from registry.handlers.imports import create_job
from registry.handlers.imports import run_job
from registry.handlers.journal import Who
from registry.models import Certification
from registry.models import Enterprise
from registry.models.import_job import ImportJob

pytestmark = [pytest.mark.integration, pytest.mark.slow]
FIRMS = 10_000
WHO = Who(actor="curator:bulk", reason="测试 / test")


def _register(sessions: sessionmaker[Session], codes: list[str]) -> None:
    batch = Batch()
    for code in codes:
        batch.enterprises[code] = {**dict.fromkeys(ENTERPRISE_KEYS), "uscc": code,
                                   "name": f"聊城名单企业{code[-6:]}", "town_code": "371502010"}
    with sessions() as session:
        write_batch(session, batch, who=WHO)
        session.commit()


def _list(codes: list[str]) -> bytes:
    spec = SHEETS["certifications"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in spec.columns])
    for n, code in enumerate(codes):
        writer.writerow([code, f"聊城名单企业{code[-6:]}", "科技型中小企业", "",
                         f"2025371500{n:05d}", "山东省科学技术厅", "2025-04-15", ""])
    return out.getvalue().encode("utf-8-sig")


def test_ten_thousand_certificates_in_one_file(sessions: sessionmaker[Session],
                                               is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("one backend is enough for the volume; the behaviour runs on both")
    codes = [new_uscc() for _ in range(FIRMS)]
    _register(sessions, codes)
    data = _list(codes)
    with sessions() as session:
        job = create_job(session, kind="csv", file_name="list.csv", size=len(data),
                         total_rows=FIRMS, dry_run=False, who=WHO, sheet="certifications")
        session.commit()
        job_id = job.id
    started = time.perf_counter()
    status = run_job(sessions, job_id, data)
    seconds = time.perf_counter() - started
    print(f"\n10,000 certificates imported in {seconds:.1f} s ({FIRMS / seconds:,.0f} rows/s)")
    with sessions() as session:
        done = session.get(ImportJob, job_id)
        assert done is not None and status == "succeeded", done.message
        assert (done.created, done.error_count, done.skipped) == (FIRMS, 0, 0)
        held = session.scalar(select(func.count()).select_from(Certification)
                              .join(Enterprise).where(Enterprise.uscc.in_(codes)))
    assert held == FIRMS
