"""Evidence files of a yearly report (issue 15 item 2): attach, read, remove.

A file is accepted only when its content is a PDF, PNG, JPEG or XLSX and the scan hook passes
it; then it is stored under a fresh key and its row keeps the sniffed type, size and SHA-256
(checked again on every read). Only the firm that filed the report (its credit code in the
path) and the bureau read a file; one firm asking for another's gets a 404, as for a file that
does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.adapters.files import evidence_checks as checks
from registry.adapters.files.evidence_store import EvidenceStore
from registry.adapters.files.evidence_store import new_key
from registry.adapters.files.evidence_store import sha256_of
from registry.domain import submissions as rules
from registry.handlers.common import MAX_ID
from registry.handlers.journal import Who
from registry.handlers.journal import audit
from registry.handlers.submissions import get_submission
from registry.handlers.submissions import open_for_change
from registry.models import SubmissionEvidence
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import Unavailable
from yumiao_common.web.errors import ValidationFailed

#: Files one report may carry (every item of a large report with a few files each).
MAX_FILES = 100


class UnsupportedFile(DomainError):
    status, code = 415, "unsupported_media_type"


@dataclass(frozen=True)
class Scanner:
    """The scan hook as configured (``evidence_scan_command``, its timeout)."""

    command: str | None
    timeout: float


def _evidence_not_found(evidence_id: int) -> NotFound:
    return NotFound("证明材料不存在 / Evidence file not found", code="evidence_not_found",
                    details={"id": evidence_id})


def _checked_type(data: bytes) -> str:
    if not data:
        raise ValidationFailed(fields={"file": ["文件为空 / the file is empty"]})
    media_type = checks.sniff(data)
    if media_type is None:
        message = (f"只接受 {checks.ALLOWED_WORDS} 文件（按内容识别，不看文件名）/ Only PDF, PNG, "
                   "JPEG or XLSX files are accepted (recognised by content, not by name)")
        raise UnsupportedFile(message, fields={"file": [message]},
                              details={"allowed": sorted(checks.EXTENSIONS)})
    return media_type


def _scanned(scanner: Scanner, data: bytes) -> bool:
    try:
        return checks.scan(scanner.command, data, scanner.timeout)
    except checks.ScanRejected:
        message = "文件未通过安全扫描 / The file was rejected by the security scan"
        raise ValidationFailed(message, code="rejected_by_scan",
                               fields={"file": [message]}) from None
    except checks.ScanUnavailable:
        raise Unavailable("安全扫描暂不可用，请稍后重试 / The security scan is unavailable; "
                          "retry later", code="scan_unavailable") from None


def add_evidence(session: Session, *, uscc: str, submission_id: int, item: str, kind: str,
                 filename: str | None, data: bytes, store: EvidenceStore, scanner: Scanner,
                 who: Who) -> SubmissionEvidence:
    """Attach one file to ``item`` of the report (draft or returned only)."""
    found, enterprise = open_for_change(session, uscc, submission_id, None,
                                  ("添加材料", "given evidence"), versioned=False)
    if not rules.is_evidence_item(item, found.content):
        raise ValidationFailed(fields={"item": [
            "须为 general、financials.<字段>、flags.<字段> 或已填写的新增项（如 ip.0）/ must be "
            "general, financials.<figure>, flags.<flag> or a new item the report holds (ip.0)"]})
    count = session.scalar(select(func.count()).where(
        SubmissionEvidence.submission_id == found.id)) or 0
    if count >= MAX_FILES:
        raise ValidationFailed(fields={"file": [
            f"每份自报最多 {MAX_FILES} 个文件 / at most {MAX_FILES} files a submission"]})
    media_type = _checked_type(data)
    scanned = _scanned(scanner, data)
    key = new_key(found.uscc, found.id)
    store.put(key, data, media_type=media_type)
    row = SubmissionEvidence(
        submission_id=found.id, uscc=found.uscc, item=item, kind=kind,
        filename=checks.clean_filename(filename, media_type), media_type=media_type,
        size=len(data), sha256=sha256_of(data), storage_key=key, scanned=scanned,
        uploaded_by=who.actor)
    session.add(row)
    session.flush()
    audit(session, enterprise=enterprise, entity="submission_evidence", entity_id=row.id,
          action="create", who=who, changes={
              "submission_id": found.id, "item": item, "kind": kind,
              "filename": row.filename, "media_type": media_type, "sha256": row.sha256})
    return row


def get_evidence(session: Session, *, submission_id: int, evidence_id: int,
                 uscc: str | None = None) -> SubmissionEvidence:
    """One file of a report; with ``uscc`` only if the report is that firm's."""
    found = get_submission(session, submission_id=submission_id, uscc=uscc)
    row = None
    if 0 < evidence_id <= MAX_ID:
        row = session.scalars(select(SubmissionEvidence).where(
            SubmissionEvidence.id == evidence_id, SubmissionEvidence.submission_id == found.id,
            SubmissionEvidence.uscc == found.uscc)).one_or_none()
    if row is None:
        raise _evidence_not_found(evidence_id)
    return row


def delete_evidence(session: Session, *, uscc: str, submission_id: int, evidence_id: int,
                    who: Who) -> str:
    """Remove one file (draft or returned only); returns its storage key, for the caller to
    delete from the store once the change is committed."""
    found, enterprise = open_for_change(session, uscc, submission_id, None,
                                  ("删除材料", "changed"), versioned=False)
    row = get_evidence(session, submission_id=found.id, evidence_id=evidence_id, uscc=uscc)
    key = row.storage_key
    audit(session, enterprise=enterprise, entity="submission_evidence", entity_id=row.id,
          action="delete", who=who, changes={"submission_id": found.id, "item": row.item,
                                             "filename": row.filename, "sha256": row.sha256})
    session.delete(row)
    session.flush()
    return key
