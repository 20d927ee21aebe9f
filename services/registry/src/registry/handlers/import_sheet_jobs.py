"""The job of a record-sheet import (certifications, IP items, pool memberships).

Same life as the enterprise import (``handlers.imports``): cells are checked with progress;
a file with any cell error ends ``failed`` before the database is touched. Otherwise every row
is applied through the API's handlers in one transaction (``handlers.import_records``); with
any row error, or in a dry run, that transaction is rolled back — so a dry run reports exactly
what a commit would do and writes nothing — else the data, its audit and outbox rows and the
job's final state commit together.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from registry.adapters.files.record_sheets import SheetBatch
from registry.adapters.files.upload_limits import UploadLimits
from registry.handlers.import_records import Outcome
from registry.handlers.import_records import apply_sheet
from registry.handlers.import_records import validate_sheet
from registry.handlers.journal import Who
from registry.models.import_job import ImportJob
from yumiao_common.clock import utcnow

log = logging.getLogger(__name__)
Update = Callable[..., None]
#: (zh, en) of what one created row is, per sheet
_CREATED = {"certifications": ("证书", "certificates"), "ip": ("知识产权", "IP items"),
            "pools": ("家提名入库", "firms nominated")}


def _counts(batch: SheetBatch, outcome: Outcome | None = None) -> dict[str, Any]:
    return {"processed_rows": batch.seen, "error_count": batch.error_count,
            "errors": [e.as_dict() for e in batch.errors], "skipped": batch.skipped,
            "notices": [n.as_dict() for n in batch.notices],
            "enterprises": len({r.uscc for r in batch.rows}),
            "created": outcome.created if outcome else 0,
            "updated": outcome.updated if outcome else 0}


def _summary(sheet: str, outcome: Outcome, skipped: int) -> tuple[str, str]:
    zh, en = _CREATED[sheet]
    moved_zh = f"，流转 {outcome.updated} 家" if sheet == "pools" else ""
    moved_en = f", {outcome.updated} members moved" if sheet == "pools" else ""
    return (f"{outcome.created} {zh}{moved_zh}，跳过 {skipped} 行",
            f"{outcome.created} {en}{moved_en}, {skipped} rows skipped")


def run_sheet(factory: sessionmaker[Session], job_id: uuid.UUID, data: bytes, kind: str,
              sheet: str, *, dry_run: bool, who: Who, today: date | None,
              limits: UploadLimits | None, update: Update) -> str:
    """Check, apply and commit (or roll back) one record sheet; returns the final status."""
    batch = validate_sheet(data, kind, sheet, limits=limits, today=today,
                           on_progress=lambda n: update(factory, job_id, processed_rows=n))
    if batch.error_count:
        update(factory, job_id, status="failed", finished_at=utcnow(),
               message=f"发现 {batch.error_count} 处错误，未写入任何数据 / "
                       f"{batch.error_count} errors found; nothing was written",
               **_counts(batch))
        return "failed"
    if not dry_run:
        update(factory, job_id, status="writing", processed_rows=batch.seen)
    with factory() as session:
        try:
            outcome = apply_sheet(session, sheet, batch, who=who)
            if batch.error_count or dry_run:
                session.rollback()
                return _not_written(factory, job_id, sheet, batch, outcome, update)
            job = session.get(ImportJob, job_id)
            assert job is not None
            zh, en = _summary(sheet, outcome, batch.skipped)
            for key, value in _counts(batch, outcome).items():
                setattr(job, key, value)
            job.status, job.finished_at = "succeeded", utcnow()
            job.message = f"导入完成：{zh} / Imported: {en}"
            session.commit()
            return "succeeded"
        except DBAPIError:
            session.rollback()
            log.exception("import job %s: write refused", job_id)
    update(factory, job_id, status="failed", finished_at=utcnow(), **_counts(batch),
           message="数据库拒绝写入（可能有人同时修改了同一企业），未写入任何数据 / The database "
                   "refused the write (a firm may have been changed meanwhile); nothing was "
                   "written")
    return "failed"


def _not_written(factory: sessionmaker[Session], job_id: uuid.UUID, sheet: str,
                 batch: SheetBatch, outcome: Outcome, update: Update) -> str:
    """A dry run's result, or a file some row of which a rule refused: nothing written."""
    if batch.error_count:
        update(factory, job_id, status="failed", finished_at=utcnow(), **_counts(batch),
               message=f"发现 {batch.error_count} 处错误，未写入任何数据 / "
                       f"{batch.error_count} errors found; nothing was written")
        return "failed"
    zh, en = _summary(sheet, outcome, batch.skipped)
    update(factory, job_id, status="validated", finished_at=utcnow(),
           **_counts(batch, outcome),
           message=f"校验通过：将导入 {zh}（未写入） / Valid: would import {en} "
                   "(nothing written yet)")
    return "validated"
