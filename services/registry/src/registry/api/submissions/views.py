"""What the firm's and the bureau's submission routes share: the submission as JSON with its
ETag, If-Match, the evidence store of the app, and an evidence file sent back as an attachment.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from flask import Response
from flask import current_app
from flask import request
from flask_smorest import Blueprint
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from registry.adapters.files.evidence_store import EvidenceDamaged
from registry.adapters.files.evidence_store import EvidenceMissing
from registry.adapters.files.evidence_store import EvidenceStore
from registry.adapters.files.evidence_store import read_verified
from registry.adapters.files.evidence_store import store_from_settings
from registry.api.financials.schemas import FiguresSchema
from registry.handlers import submissions as handlers
from registry.models import Enterprise
from registry.models import Submission
from registry.models import SubmissionEvidence
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import PreconditionRequired
from yumiao_common.web.errors import Unavailable
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.errors import flatten_messages

log = logging.getLogger(__name__)
FILE_BODY = {"type": "string", "format": "binary"}
ETAG = {"ETag": {"description": "版本号 / The submission's version, for If-Match",
                 "schema": {"type": "string"}}}
_IF_MATCH = re.compile(r'^(W/)?"?([0-9]{1,9})"?$')


class Stale(DomainError):
    status, code = 412, "stale_version"


class EvidenceTooLarge(DomainError):
    status, code = 413, "payload_too_large"


def submission_view(session: Session, found: Submission) -> dict[str, Any]:
    enterprise = session.get(Enterprise, found.enterprise_id)
    return {**{c: getattr(found, c) for c in (
        "id", "uscc", "year", "status", "content", "decisions", "review_note", "submitted_at",
        "reviewed_at", "version", "created_at", "updated_at")},
        "enterprise_name": enterprise.name if enterprise else "",
        "evidence": handlers.evidence_of(session, found)}


def tagged(session: Session, found: Submission, status: int = 200) -> Any:
    return submission_view(session, found), status, {"ETag": f'"{found.version}"'}


def if_match() -> int:
    raw = request.headers.get("If-Match", "").strip()
    if not raw:
        raise PreconditionRequired("需要 If-Match（读取时的版本号）/ If-Match is required "
                                   "(the version read)", fields={"If-Match": ["必填 / required"]})
    found = _IF_MATCH.fullmatch(raw)
    if found is None:
        raise ValidationFailed(fields={"If-Match": ["应为版本号，如 \"3\" / must be the version, "
                                                     "e.g. \"3\""]})
    return int(found.group(2))


def evidence_store() -> EvidenceStore:
    stores = current_app.extensions
    if "registry.evidence_store" not in stores:
        stores["registry.evidence_store"] = store_from_settings(
            stores["registry.settings"])
    return stores["registry.evidence_store"]  # type: ignore[no-any-return]


def load_figures(values: dict[str, Any]) -> dict[str, Any]:
    try:
        return FiguresSchema().load(values)  # type: ignore[no-any-return]
    except ValidationError as exc:
        raise ValidationFailed(fields=flatten_messages(exc.messages)) from None


def download(row: SubmissionEvidence) -> Response:
    try:
        data = read_verified(evidence_store(), row.storage_key, row.sha256)
    except (EvidenceMissing, EvidenceDamaged):
        raise Unavailable("证明材料在存储中缺失或已损坏 / The evidence file is missing or "
                          "damaged in the store", code="evidence_unreadable",
                          details={"id": row.id}) from None
    ascii_name = row.filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = (f'attachment; filename="{ascii_name}"; '
                   f"filename*=UTF-8''{quote(row.filename)}")
    return Response(data, mimetype=row.media_type, headers={
        "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


def document_file(func: Any) -> Any:
    """The 200 of an evidence download in each type a file may have; 503 when the stored
    bytes are missing or fail their checksum."""
    content = {t: {"schema": FILE_BODY} for t in (
        "application/pdf", "image/png", "image/jpeg",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    func = Blueprint.doc(responses={"200": {
        "description": "文件内容 / The file's bytes", "content": content}})(func)
    return func


def summary(row: Submission) -> dict[str, Any]:
    return {c: getattr(row, c) for c in ("id", "uscc", "year", "status", "submitted_at",
                                         "reviewed_at", "version", "created_at")}
