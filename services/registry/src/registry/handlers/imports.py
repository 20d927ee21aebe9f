"""Running an import job: check the upload, validate with progress, write all or nothing.

``check_upload`` runs in the request (a bad file is a 4xx at once); the request stores the file
with the job and queues it (``store_upload``). ``run_job`` does the rest and is what both the
jobs worker (``python -m registry.jobs``, through ``run_queued``) and
``bench/registry_import.py`` call, so the benchmark measures the real path. Progress is
committed in short transactions while rows are validated; the data, its audit and outbox rows
and the job's final state are committed together in one transaction, so a job says
``succeeded`` exactly when its rows exist.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.adapters.files.reading import UnreadableFile
from registry.adapters.files.reading import open_rows
from registry.adapters.files.reading import sniff
from registry.adapters.files.record_sheets import SHEETS
from registry.adapters.files.record_sheets import map_sheet_header
from registry.adapters.files.row_validation import Batch
from registry.adapters.files.row_validation import BatchValidator
from registry.adapters.files.row_validation import map_header
from registry.adapters.files.upload_limits import UploadLimits
from registry.handlers.import_sheet_jobs import run_sheet
from registry.handlers.import_writing import existing_codes
from registry.handlers.import_writing import write_batch
from registry.handlers.journal import Who
from registry.models.import_job import FINISHED
from registry.models.import_job import ImportJob
from registry.models.import_job import ImportUpload
from yumiao_common.clock import utcnow
from yumiao_common.jobs import queue

log = logging.getLogger(__name__)
PROGRESS_EVERY = 5000  # rows between looks at the clock
PROGRESS_SECONDS = 1.0  # at most one progress commit per second
ABANDONED_AFTER = timedelta(hours=1)  # far beyond a 300,000-row import
ACTIVE = ("queued", "validating", "writing")
#: How long an unfinished job holds a place under ``import_max_concurrent_jobs``: a file within
#: the upload limits (50,000 rows) is done in a minute or two, and a job stuck for any reason
#: (no jobs worker running) must not block imports for good.
PLACE_HELD_AT_MOST = timedelta(minutes=15)
Progress = Callable[[int], None]
ENTERPRISES = "enterprises"
#: Every sheet an upload may be: the enterprise template, then the record sheets.
SHEET_KINDS = (ENTERPRISES, *SHEETS)


def check_upload(data: bytes, limits: UploadLimits, sheet: str = ENTERPRISES
                 ) -> tuple[str, int | None]:
    """The file's kind and data rows (at most); raises ``UnreadableFile`` / ``HeaderError``.

    ``sheet`` says which header the file must carry: the enterprise template's or one of the
    record sheets' (``adapters.files.record_sheets.SHEETS``).

    Everything here is bounded by ``upload_limits`` (ZIP directory, one inflate-and-count pass over
    the sheet, the header row), so a crafted file costs the request well under a second.
    """
    kind = sniff(data)
    opened = open_rows(data, kind, limits)
    try:
        if sheet == ENTERPRISES:
            map_header(opened.header)
        else:
            map_sheet_header(SHEETS[sheet], opened.header)
    finally:
        opened.close()
    return kind, opened.total_rows


def validate(data: bytes, kind: str, *, on_progress: Progress | None = None,
             today: date | None = None, limits: UploadLimits | None = None) -> Batch:
    """Stream-parse and validate every row of ``data`` (within ``limits`` when given)."""
    opened = open_rows(data, kind, limits)
    validator = BatchValidator(map_header(opened.header), today=today,
                               text_cells=kind == "csv")
    add = validator.add
    reported = time.monotonic()
    for count, (number, cells) in enumerate(opened.rows, start=1):
        add(number, cells)
        if on_progress is not None and count % PROGRESS_EVERY == 0:
            now = time.monotonic()
            if now - reported >= PROGRESS_SECONDS:
                on_progress(count)
                reported = now
    return validator.batch


def create_job(session: Session, *, kind: str, file_name: str | None, size: int,
               total_rows: int | None, dry_run: bool, who: Who, sheet: str = ENTERPRISES
               ) -> ImportJob:
    job = ImportJob(id=uuid.uuid4(), status="queued", dry_run=dry_run, file_name=file_name,
                    file_kind=kind, file_bytes=size, total_rows=total_rows, actor=who.actor,
                    request_id=who.request_id, errors=[], sheet=sheet)
    session.add(job)
    return job


def store_upload(session: Session, job: ImportJob, data: bytes) -> None:
    """Keep the file with the job and queue it for ``python -m registry.jobs`` (no commit)."""
    session.add(ImportUpload(job_id=job.id, data=data))
    queue(job, IMPORT_STEP, by=job.actor)


IMPORT_STEP = "import"


def active_jobs(session: Session, *, now: datetime | None = None) -> int:
    """Jobs queued, validating or writing in any process, created in the last 15 minutes."""
    since = (now or utcnow()) - PLACE_HELD_AT_MOST
    stmt = (select(func.count()).select_from(ImportJob)
            .where(ImportJob.status.in_(ACTIVE), ImportJob.created_at >= since))
    return session.scalar(stmt) or 0


def admit(session: Session, job: ImportJob, cap: int) -> bool:
    """Commit ``job`` if fewer than ``cap`` jobs (itself included) are active; else remove it.

    The job is committed first and the active jobs counted after, so two uploads racing for
    the last place can both be refused but never both admitted (on SQLite and PostgreSQL
    alike, across gunicorn workers, with no lock held).
    """
    session.commit()
    if active_jobs(session) <= cap:
        return True
    session.execute(delete(ImportUpload).where(ImportUpload.job_id == job.id))
    session.delete(job)
    session.commit()
    return False


def _update(factory: sessionmaker[Session], job_id: uuid.UUID, **values: Any) -> None:
    with factory.begin() as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        for key, value in values.items():
            setattr(job, key, value)


def _counts(batch: Batch) -> dict[str, Any]:
    return {"processed_rows": batch.rows, "enterprises": len(batch.enterprises),
            "financial_rows": len(batch.financials), "error_count": batch.error_count,
            "errors": [e.as_dict() for e in batch.errors]}


def run_job(factory: sessionmaker[Session], job_id: uuid.UUID, data: bytes, *,
            today: date | None = None, limits: UploadLimits | None = None) -> str:
    """Validate and (unless a dry run) write; returns the final status. Never raises.

    The HTTP route passes the service's ``limits`` (already checked in the request); without
    them (the benchmark) a file is read whole, still never trusting its declared dimension.
    """
    try:
        return _run(factory, job_id, data, today, limits)
    except UnreadableFile as exc:
        _update(factory, job_id, status="failed", finished_at=utcnow(),
                message=f"{exc.zh}，未写入任何数据 / {exc.en}; nothing was written")
        return "failed"
    except Exception:  # noqa: BLE001 - the job must end in a state the user can read
        log.exception("import job %s failed", job_id)
        _update(factory, job_id, status="failed", finished_at=utcnow(),
                message="导入失败，未写入任何数据 / The import failed; nothing was written")
        return "failed"


def _run(factory: sessionmaker[Session], job_id: uuid.UUID, data: bytes,
         today: date | None, limits: UploadLimits | None) -> str:
    with factory() as session:
        job = session.get(ImportJob, job_id)
        assert job is not None
        kind, dry_run, sheet = job.file_kind, job.dry_run, job.sheet
        who = Who(actor=job.actor, reason=f"批量导入 {job_id} / bulk import {job_id}",
                  request_id=job.request_id)
    _update(factory, job_id, status="validating", started_at=utcnow())
    if sheet != ENTERPRISES:
        return run_sheet(factory, job_id, data, kind, sheet, dry_run=dry_run, who=who,
                         today=today, limits=limits, update=_update)
    batch = validate(data, kind, today=today, limits=limits,
                     on_progress=lambda n: _update(factory, job_id, processed_rows=n))
    if batch.error_count:
        _update(factory, job_id, status="failed", finished_at=utcnow(),
                message=f"发现 {batch.error_count} 处错误，未写入任何数据 / "
                        f"{batch.error_count} errors found; nothing was written",
                **_counts(batch))
        return "failed"
    if dry_run:
        # what the write would do, so the check reads "将新建 1 家" rather than "新建 0"
        with factory() as session:
            existing = existing_codes(session.connection(), list(batch.enterprises))
        created, updated = len(batch.enterprises) - len(existing), len(existing)
        _update(factory, job_id, status="validated", finished_at=utcnow(),
                created=created, updated=updated,
                message=f"校验通过：将新建 {created} 家、更新 {updated} 家（未写入） / Valid: "
                        f"{created} to create, {updated} to update (nothing written yet)",
                **_counts(batch))
        return "validated"
    _update(factory, job_id, status="writing", **_counts(batch))
    return _write(factory, job_id, batch, who, today)


def _write(factory: sessionmaker[Session], job_id: uuid.UUID, batch: Batch, who: Who,
           today: date | None) -> str:
    with factory() as session:
        try:
            result = write_batch(session, batch, who=who, today=today)
            job = session.get(ImportJob, job_id)
            assert job is not None
            job.status, job.finished_at = "succeeded", utcnow()
            job.created, job.updated = result.created, result.updated
            job.message = (f"导入完成：新增 {result.created} 家，更新 {result.updated} 家 / "
                           f"Imported: {result.created} created, {result.updated} updated")
            session.commit()
            return "succeeded"
        except DBAPIError:
            session.rollback()
            log.exception("import job %s: write refused", job_id)
    _update(factory, job_id, status="failed", finished_at=utcnow(),
            message="数据库拒绝写入（可能有企业同时被他人登记），未写入任何数据 / The database "
                    "refused the write (an enterprise may have been registered meanwhile); "
                    "nothing was written")
    return "failed"


def mark_if_abandoned(job: ImportJob, *, now: datetime | None = None) -> bool:
    """Fail a job run in a thread of a web worker that died: running far longer than any import.

    Only jobs no jobs worker holds (``run_step`` unset): those the previous release started in
    its web workers during a rollout. Their thread held no state the database does not, and its
    write transaction died with it (nothing was written), so after ``ABANDONED_AFTER`` the
    honest answer is "failed". Queued jobs are the jobs worker's: it resumes or fails them.
    """
    started = job.started_at or job.created_at
    if job.status in FINISHED or started is None or job.run_step is not None:
        return False
    if started.tzinfo is None:  # SQLite hands back naive datetimes
        started = started.replace(tzinfo=UTC)
    if (now or utcnow()) - started < ABANDONED_AFTER:
        return False
    job.status, job.finished_at = "failed", utcnow()
    job.message = ("任务已中断（服务重启），未写入任何数据，请重新上传 / The job was interrupted "
                   "(service restart); nothing was written, please upload again")
    return True


def run_queued(factory: sessionmaker[Session], job_id: uuid.UUID, *,
               limits: UploadLimits) -> str:
    """Run a queued job from its stored upload (the jobs worker); the upload goes after.

    Safe to run again after a worker died: nothing is written before the one transaction that
    also marks the job ``succeeded``, and a finished job is left as it is.
    """
    with factory() as session:
        job = session.get(ImportJob, job_id)
        upload = session.get(ImportUpload, job_id)
        status = job.status if job is not None else None
        data = upload.data if upload is not None else None
    if status is None:
        return "missing"
    if status not in FINISHED:
        if data is None:
            _update(factory, job_id, status="failed", finished_at=utcnow(),
                    message="上传的文件已不在，未写入任何数据，请重新上传 / The uploaded file is "
                            "gone; nothing was written, please upload again")
            return "failed"
        status = run_job(factory, job_id, data, limits=limits)
    with factory.begin() as session:
        session.execute(delete(ImportUpload).where(ImportUpload.job_id == job_id))
    return status


def fail_interrupted(session: Session, job_id: uuid.UUID, reason: str) -> None:
    """Fail a job that will not run again (its worker stopped); nothing of it was written."""
    job = session.get(ImportJob, job_id)
    if job is None or job.status in FINISHED:
        return
    job.status, job.finished_at = "failed", utcnow()
    job.message = f"{reason}（请重新上传 / please upload again）"
    session.execute(delete(ImportUpload).where(ImportUpload.job_id == job_id))


def list_jobs(session: Session, *, after: tuple[datetime, uuid.UUID] | None, limit: int
              ) -> list[ImportJob]:
    """Import jobs newest first (the history), ``limit`` of them after the keyset ``after``
    (created_at, id) of the previous page's last job."""
    stmt = select(ImportJob).order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
    if after is not None:
        at, last = after
        stmt = stmt.where((ImportJob.created_at < at)
                          | ((ImportJob.created_at == at) & (ImportJob.id < last)))
    return list(session.scalars(stmt.limit(limit)))


def count_jobs(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ImportJob)) or 0)
