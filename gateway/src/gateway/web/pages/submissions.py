"""Yearly reports (企业自报, issue 15): the firm files, the bureau reviews.

The firm (``/my/submissions``): its reports, newest first; a year's report opened pre-filled
from the registry; the form saved as a draft with the version it was loaded with (``If-Match``:
a stale save keeps what was typed and says so), evidence attached per item, submitted once
complete (the registry lists what is missing beside each field); the bureau's decision on each
field with its reason, returned fields marked for correction. The credit code is always the
signed-in firm's, never taken from the URL or a form (the registry's ``/enterprises/{uscc}``
paths of the caller's own code, as ``/api/v1/me/submissions`` reaches them).

The bureau (``/submissions``): the review queue (oldest submitted first) and one report's
review — each field that differs from the registry, the registry's value beside the firm's,
in words and units, the evidence files linked, accept or return with a reason per field, one
submit. Viewers read; curators and admins decide.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import redirect
from flask import request
from flask import url_for
from urllib3 import encode_multipart_formdata

from gateway.adapters.http import clients
from gateway.web import submission_form as sub
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import enterprise
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.core import writer
from gateway.web.curation import options_of
from gateway.web.curation import side
from yumiao_common.clock import beijing_today
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import ValidationFailed

API = "/api/v1"
QUEUE_STATUSES = ("submitted", "returned", "accepted", "draft")


def _registry(method: str, path: str, **kwargs: Any) -> Any:
    registry = clients().registry
    response = registry.request(method, f"{API}{path}", **kwargs)
    if response.status_code == 204:
        return None
    return registry.json_or_raise(response)


def _own(uscc: str) -> str:
    return f"/enterprises/{quote(uscc, safe='')}/submissions"


def _problem(exc: DomainError) -> dict[str, Any]:
    """A refusal the page shows: field errors beside their fields, the rest above the form."""
    if exc.status >= 500 or exc.status in (401, 403):
        raise exc
    return {
        "status": exc.status,
        "message": sub.words(exc.message),
        "fields": sub.field_errors(exc.fields),
    }


def _etag(raw: str | None, version: Any) -> str:
    """The version to send back in ``If-Match`` (the registry's ETag, or ``"<version>"``)."""
    raw = (raw or "").strip()
    if raw and len(raw) <= 20:
        return raw
    return f'"{version}"' if str(version).isdigit() else '"0"'


# -- the firm --------------------------------------------------------------------------------


@blp.get("/my/submissions")
def my_submissions() -> Any:
    principal = enterprise()
    cursor = (request.args.get("cursor") or "")[:200] or None
    params: dict[str, Any] = {"limit": 20, **({"cursor": cursor} if cursor else {})}
    page = soft(lambda: _registry("GET", _own(principal.uscc or ""), params=params))
    return _list_page(page)


def _list_page(
    page: Any, code: int = 200, problem: dict[str, Any] | None = None, year: str = ""
) -> Any:
    this_year = beijing_today().year
    return render(
        "my_submissions.html",
        code,
        page=page,
        problem=problem,
        year=year or str(this_year - 1),
        years=range(this_year, this_year - 6, -1),
        status_name=sub.status_name,
    )


@blp.post("/my/submissions")
def my_submission_start() -> Any:
    """Open a year's report pre-filled from the registry (one open report a year)."""
    principal = enterprise()
    raw = (request.form.get("year") or "").strip()[:10]
    body = {"year": int(raw) if raw.isdigit() else raw}
    try:
        created = _registry("POST", _own(principal.uscc or ""), json=body)
    except DomainError as exc:
        problem = _problem(exc)
        page = soft(lambda: _registry("GET", _own(principal.uscc or ""), params={"limit": 20}))
        return _list_page(page, exc.status, problem, raw)
    return redirect(url_for("web.my_submission", submission_id=created["id"]), code=303)


def _load(uscc: str, submission_id: int) -> tuple[dict[str, Any], str]:
    registry = clients().registry
    response = registry.request("GET", f"{API}{_own(uscc)}/{submission_id}")
    found = dict(registry.json_or_raise(response))
    return found, _etag(response.headers.get("ETag"), found.get("version"))


def _report_page(
    found: dict[str, Any],
    etag: str,
    *,
    values: dict[str, Any] | None = None,
    problem: dict[str, Any] | None = None,
    conflict: dict[str, Any] | None = None,
    code: int = 200,
    **extra: Any,
) -> Any:
    content = found.get("content") or {}
    shown_values = values if values is not None else sub.form_values(content)
    editable = found.get("status") in sub.EDITABLE
    rows = {
        name: [*shown_values.get(name, []), *([{}] * sub.BLANK_ROWS if editable else [])]
        for name in sub.LISTS
    }
    evidence = [e for e in found.get("evidence") or [] if isinstance(e, dict)]
    return render(
        "my_submission.html",
        code,
        s=found,
        etag=etag,
        values=shown_values,
        rows=rows,
        editable=editable,
        problem=problem,
        conflict=conflict,
        errors=(problem or {}).get("fields") or {},
        decisions=sub.latest_decisions(found.get("decisions")),
        returned=sub.returned_names(found.get("decisions"), found.get("status")),
        evidence_problem=extra.pop("evidence_problem", None),
        done=extra.pop("done", None),
        evidence=evidence,
        evidence_count=_count_by_item(evidence),
        evidence_items=sub.evidence_items(content),
        evidence_kinds=sub.EVIDENCE_KINDS,
        figure_specs=sub.FIGURE_SPECS,
        flag_specs=sub.FLAG_SPECS,
        item_specs=sub.ITEM_SPECS,
        item_titles={k: kind.title for k, kind in sub.ITEM_KINDS.items()},
        options_of=options_of,
        side=side,
        label=sub.label,
        shown=sub.shown,
        form_label=sub.form_label,
        paren=sub.paren,
        status_name=sub.status_name,
        outcomes=sub.OUTCOMES,
        **extra,
    )


def _count_by_item(evidence: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in evidence:
        counts[str(row.get("item"))] = counts.get(str(row.get("item")), 0) + 1
    return counts


@blp.get("/my/submissions/<int:submission_id>")
def my_submission(submission_id: int) -> Any:
    principal = enterprise()
    found, etag = _load(principal.uscc or "", submission_id)
    return _report_page(found, etag, done=request.args.get("done"))


@blp.post("/my/submissions/<int:submission_id>")
def my_submission_save(submission_id: int) -> Any:
    """Save the draft; with ``action=submit`` submit it once saved. A stale save (someone of
    the firm saved meanwhile) keeps what was typed, shows the saved values beside it and
    takes the new version, so a second save knowingly replaces them."""
    principal = enterprise()
    uscc = principal.uscc or ""
    values = sub.typed(request.form)
    etag = _etag(request.form.get("etag"), "0")
    registry = clients().registry
    response = registry.request(
        "PUT",
        f"{API}{_own(uscc)}/{submission_id}",
        json={"content": sub.content_of(values)},
        headers={"If-Match": etag},
    )
    if response.status_code == 412:
        found, fresh = _load(uscc, submission_id)
        saved = sub.form_values(found.get("content"))
        differs = {k for k, v in values.items() if k not in sub.LISTS and saved.get(k) != v}
        return _report_page(
            found, fresh, values=values, code=409, conflict={"saved": saved, "differs": differs}
        )
    try:
        registry.json_or_raise(response)
    except DomainError as exc:
        found, fresh = _load(uscc, submission_id)
        return _report_page(found, fresh, values=values, problem=_problem(exc), code=exc.status)
    if request.form.get("action") != "submit":
        return redirect(
            url_for("web.my_submission", submission_id=submission_id, done="saved"), code=303
        )
    try:
        _registry("POST", f"{_own(uscc)}/{submission_id}/submit")
    except DomainError as exc:
        found, fresh = _load(uscc, submission_id)
        return _report_page(found, fresh, problem=_problem(exc), code=exc.status)
    return redirect(
        url_for("web.my_submission", submission_id=submission_id, done="submitted"), code=303
    )


@blp.post("/my/submissions/<int:submission_id>/evidence")
def my_evidence_add(submission_id: int) -> Any:
    """Attach one file to an item (the registry recognises its type by content, limits its
    size and scans it); a refusal comes back on the report page in words."""
    principal = enterprise()
    uscc = principal.uscc or ""
    upload = request.files.get("file")
    item = (request.form.get("item") or "general")[:100]
    kind = (request.form.get("kind") or "")[:40]
    try:
        if upload is None or not upload.filename:
            raise _no_file()
        data = upload.read()
        clients().registry.json_or_raise(
            _upload(uscc, submission_id, data, upload.filename, item=item, kind=kind)
        )
    except DomainError as exc:
        found, etag = _load(uscc, submission_id)
        return _report_page(found, etag, evidence_problem=_problem(exc), code=exc.status)
    return redirect(
        url_for("web.my_submission", submission_id=submission_id, done="attached") + "#evidence",
        code=303,
    )


def _no_file() -> DomainError:
    return ValidationFailed(
        "请选择要上传的文件 / Choose a file to upload",
        fields={"file": ["请选择文件 / choose a file"]},
    )


def _upload(
    uscc: str, submission_id: int, data: bytes, filename: str, *, item: str, kind: str
) -> Any:
    body, content_type = encode_multipart_formdata(
        {"file": (filename, data), "item": item, "kind": kind}
    )
    return clients().registry.request(
        "POST",
        f"{API}{_own(uscc)}/{submission_id}/evidence",
        data=body,
        headers={"Content-Type": content_type},
    )


@blp.post("/my/submissions/<int:submission_id>/evidence/<int:evidence_id>/delete")
def my_evidence_delete(submission_id: int, evidence_id: int) -> Any:
    principal = enterprise()
    uscc = principal.uscc or ""
    try:
        _registry("DELETE", f"{_own(uscc)}/{submission_id}/evidence/{evidence_id}")
    except DomainError as exc:
        found, etag = _load(uscc, submission_id)
        return _report_page(found, etag, evidence_problem=_problem(exc), code=exc.status)
    return redirect(
        url_for("web.my_submission", submission_id=submission_id, done="removed") + "#evidence",
        code=303,
    )


# -- the bureau ------------------------------------------------------------------------------


@blp.get("/submissions")
def submissions() -> Any:
    bureau()
    status = request.args.get("status") or "submitted"
    status = status if status in QUEUE_STATUSES else "submitted"
    year = (request.args.get("year") or "").strip()[:4]
    town = (request.args.get("town") or "").strip()[:9]
    cursor = (request.args.get("cursor") or "")[:200]
    params = {
        "status": status,
        "limit": 50,
        "year": year if year.isdigit() else None,
        "town": town or None,
        "cursor": cursor or None,
    }
    page = soft(
        lambda: _registry(
            "GET", "/submissions", params={k: v for k, v in params.items() if v is not None}
        )
    )
    return render(
        "submissions.html",
        page=page,
        status=status,
        year=year,
        town=town,
        statuses=QUEUE_STATUSES,
        status_name=sub.status_name,
    )


def _review_page(submission_id: int, code: int = 200, **extra: Any) -> Any:
    principal = bureau()
    found = _registry("GET", f"/submissions/{submission_id}")
    diffs = [d for d in found.get("differences") or [] if isinstance(d, dict)]
    evidence = [e for e in found.get("evidence") or [] if isinstance(e, dict)]
    files: dict[str, list[dict[str, Any]]] = {}
    for row in evidence:
        files.setdefault(str(row.get("item")), []).append(row)
    return render(
        "submission_review.html",
        code,
        s=found,
        diffs=diffs,
        files=files,
        general=files.get("general", []),
        can_write=principal.role in ("admin", "curator"),
        decisions=sub.latest_decisions(found.get("decisions")),
        label=sub.label,
        shown=sub.shown,
        item_details=sub.item_details,
        status_name=sub.status_name,
        outcomes=sub.OUTCOMES,
        evidence_kinds=sub.EVIDENCE_KINDS,
        side=side,
        paren=sub.paren,
        **{"problem": None, "form": {}, "done": request.args.get("done"), **extra},
    )


@blp.get("/submissions/<int:submission_id>")
def submission_review(submission_id: int) -> Any:
    return _review_page(submission_id)


@blp.post("/submissions/<int:submission_id>/review")
def submission_review_post(submission_id: int) -> Any:
    """One decision per differing field (the fields come from the report as the registry
    holds it now, never from the form's names); a reason for each return."""
    writer()
    found = _registry("GET", f"/submissions/{submission_id}")
    fields = [str(d.get("field")) for d in found.get("differences") or [] if isinstance(d, dict)]
    decisions = []
    for field in fields:
        outcome = request.form.get(f"d.{field}") or ""
        reason = (request.form.get(f"r.{field}") or "").strip()[:500]
        if outcome in ("accept", "return"):
            decisions.append(
                {"field": field, "outcome": outcome, **({"reason": reason} if reason else {})}
            )
    note = (request.form.get("note") or "").strip()[:1000]
    try:
        _registry(
            "POST",
            f"/submissions/{submission_id}/review",
            json={"decisions": decisions, **({"note": note} if note else {})},
        )
    except DomainError as exc:
        return _review_page(
            submission_id, exc.status, problem=_review_problem(exc, decisions), form=request.form
        )
    return redirect(
        url_for("web.submission_review", submission_id=submission_id, done="reviewed"), code=303
    )


def _review_problem(exc: DomainError, decisions: list[dict[str, Any]]) -> dict[str, Any]:
    """The registry's errors keyed by field path (``decisions.2.reason`` → that decision's
    field; ``fields.financials.x`` → ``financials.x``)."""
    if exc.status >= 500 or exc.status in (401, 403):
        raise exc
    out: dict[str, list[str]] = {}
    for key, messages in (exc.fields or {}).items():
        parts = str(key).split(".")
        if (
            parts[0] == "decisions"
            and len(parts) > 1
            and parts[1].isdigit()
            and int(parts[1]) < len(decisions)
        ):
            name = decisions[int(parts[1])]["field"]
        elif parts[0] == "fields":
            name = ".".join(parts[1:])
        else:
            name = "_form"
        out.setdefault(name, []).extend(sub.words(m) for m in (messages or []))
    return {"status": exc.status, "message": sub.words(exc.message), "fields": out}
