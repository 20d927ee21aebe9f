"""The bureau's edit pages: create an enterprise and maintain everything a curator keeps.

``/enterprises/<uscc>/edit`` lists what the registry holds (basics and record, yearly figures,
IP, awards, institutions, standards, certifications, review outcomes) with a form page for each
item. Every form carries the version it was loaded with; the registry refuses a stale one
(409), and the form then comes back with what the user typed kept, the stored values beside
the fields that differ, and who changed the record when (from the registry's audit trail), so
a second submit applies the user's values knowingly. Field errors of the registry (422) come
back beside their fields, Chinese with the English beside it.

Viewers may open the overview (read only); curators and admins write; enterprise accounts get
the 403 page. A cookie session's POST must carry its CSRF token (the front door checks it).
"""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import quote

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.adapters.http.registry import items_of
from gateway.web import curation as c
from gateway.web import results
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.core import writer
from gateway.web.i18n import pick
from yumiao_common.vocabulary.submission_fields import EVIDENCE_KINDS
from yumiao_common.web.errors import Conflict
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed

API = "/api/v1"
AUDIT_PAGES = 50  # 50 × 200 entries: far more than any firm's history


def _call(method: str, path: str, **kwargs: Any) -> Any:
    registry = clients().registry
    response = registry.request(method, f"{API}{path}", **kwargs)
    if response.status_code == 204:
        return None
    return registry.json_or_raise(response)


def _base(uscc: str) -> str:
    return f"/enterprises/{quote(uscc, safe='')}"


def _audit_entries(uscc: str) -> list[dict[str, Any]]:
    """The enterprise's whole audit trail, oldest first (the registry pages it)."""
    entries: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(AUDIT_PAGES):
        params: dict[str, Any] = {"limit": 200, **({"cursor": cursor} if cursor else {})}
        body = _call("GET", f"{_base(uscc)}/audit", params=params)
        entries += body.get("items") or []
        cursor = body.get("next_cursor")
        if not cursor:
            break
    return entries


def _reason() -> dict[str, str]:
    """The reason typed for the audit trail (left out when blank: the registry wants text)."""
    reason = (request.form.get("reason") or "").strip()
    return {"reason": reason} if reason else {}


def _version(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) <= 9 else None


def _record_path(uscc: str, kind: c.Kind, key: str) -> str:
    return f"{_base(uscc)}/{kind.segment}/{quote(key, safe='')}"


def _financial_row_id(entries: list[dict[str, Any]], year: int) -> Any:
    """The audit's id of a fiscal year's row (its creation names the year)."""
    for entry in reversed(entries):
        if entry.get("entity") == "annual_financials":
            change = (entry.get("changes") or {}).get("year") or {}
            if year in (change.get("to"), change.get("from")):
                return entry.get("entity_id")
    return None


def _conflict(uscc: str, kind: c.Kind, entity_id: Any, *, year: int | None = None,
              fields: tuple[str, ...] = ()) -> dict[str, Any]:
    """Who changed the record last and when, and which of the form's fields it touched."""
    entries = soft(lambda: _audit_entries(uscc)).data or []
    if year is not None:
        entity_id = _financial_row_id(entries, year)
    mine = [e for e in entries if e.get("entity") == kind.entity
            and (entity_id is None or e.get("entity_id") == entity_id)]
    if fields:
        mine = [e for e in mine if set(fields) & set(e.get("changes") or {})] or mine
    entry = mine[-1] if mine else None
    if entry is None:
        return {"actor": None, "at": None, "action": None, "labels": []}
    touched = set(entry.get("changes") or {})
    labels = [c.side(s.label) for s in kind.specs if s.name in touched]
    if kind is c.REVIEW_KIND and "reviews" in touched:
        labels = [c.side(kind.title)]
    return {"actor": entry.get("actor"), "at": entry.get("at"), "action": entry.get("action"),
            "labels": labels}


def _form_page(*, enterprise: dict[str, Any], kind: c.Kind, action: str, values: dict[str, Any],
               version: Any = None, errors: dict[str, list[str]] | None = None,
               conflict: dict[str, Any] | None = None, stored: dict[str, Any] | None = None,
               status: int = 200, fixed: tuple[str, ...] = (), **extra: Any) -> Any:
    loaded = c.form_values(kind, stored) if stored is not None else None
    differs = ({s.name for s in kind.specs if loaded.get(s.name) != values.get(s.name)}
               if loaded is not None else set())
    return render("curation_form.html", status, enterprise=enterprise, kind=kind,
                  specs=kind.specs, values=values, version=version, errors=errors or {},
                  conflict=conflict, stored=c.flat(stored) if stored is not None else None,
                  differs=differs, action=action, fixed=fixed, options_of=c.options_of,
                  shown=c.shown, side=c.side, **extra)


def _refused(exc: DomainError) -> dict[str, list[str]]:
    """A refusal the form can show: field errors beside their fields, else one message."""
    if exc.status not in (400, 409, 422, 428):
        raise exc
    errors = c.field_errors(exc.fields)
    if not errors or exc.status == 409:
        errors.setdefault("_form", []).append(str(exc.message))
    return errors


# -- overview --------------------------------------------------------------------------------

def _records(uscc: str, kind: c.Kind) -> list[dict[str, Any]]:
    if kind.key == "financials":
        rows = clients().registry.every_item(f"{API}{_base(uscc)}/financials")  # every year
        return sorted(rows, key=lambda r: int(r.get("year") or 0), reverse=True)
    return items_of(_call("GET", f"{_base(uscc)}/{kind.segment}", params={"limit": 200}))


@blp.get("/enterprises/<uscc>/edit")
def curate(uscc: str) -> Any:
    """Everything a curator maintains about one enterprise, each with its form."""
    principal = bureau()
    enterprise = clients().registry.get_enterprise(uscc)
    sections = {key: soft(partial(_records, uscc, kind)) for key, kind in c.KINDS.items()}
    reviews = (enterprise.get("assessments") or {}).get("reviews") or {}
    titles = _criterion_titles(uscc)
    return render("curation.html", enterprise=enterprise, kinds=c.KINDS, sections=sections,
                  basics=c.BASICS_KIND, reviews=reviews, review_kind=c.REVIEW_KIND,
                  titles=titles, can_write=principal.role in ("admin", "curator"),
                  shown=c.shown, side=c.side, flat=c.flat(enterprise),
                  done=request.args.get("done"), refused=_delete_refusal(uscc, enterprise),
                  unconfirmed=request.args.get("unconfirmed"))


def _unconfirmed(uscc: str, anchor: str) -> Any | None:
    """A delete whose 确认删除 box was not ticked (the browser asks for it; a request built
    by hand may not): nothing is deleted, the overview says why (as contacts refuse)."""
    if request.form.get("confirm") == "1":
        return None
    return redirect(url_for("web.curate", uscc=uscc, unconfirmed=anchor) + f"#{anchor}",
                    code=303)


def _delete_refusal(uscc: str, enterprise: dict[str, Any]) -> dict[str, Any] | None:
    """After a stale delete (``?refused=<kind>:<key>``): who changed or removed the item."""
    kind_key, _, key = (request.args.get("refused") or "").partition(":")
    kind = c.KINDS.get(kind_key) or (c.REVIEW_KIND if kind_key == "reviews" else None)
    if kind is None:
        return None
    year = int(key) if kind.key == "financials" and key.isdigit() else None
    entity_id = enterprise.get("id") if kind is c.REVIEW_KIND else (None if year else _int(key))
    return _conflict(uscc, kind, entity_id, year=year)


# -- create ----------------------------------------------------------------------------------

@blp.route("/enterprises/new", methods=["GET", "POST"])
def create_enterprise() -> Any:
    writer()
    kind = c.CREATE_KIND
    blank = {"uscc": "", "name": ""}
    action = url_for("web.create_enterprise")
    if request.method == "GET":
        return _form_page(enterprise=blank, kind=kind, action=action,
                          values=c.form_values(kind, None))
    values = c.typed(kind, request.form)
    body = c.body_of(kind, values, partial=False)
    body.update(_reason())
    try:
        created = _call("POST", "/enterprises", json=body)
    except DomainError as exc:
        return _form_page(enterprise=blank, kind=kind, action=action, values=values,
                          errors=_refused(exc), status=exc.status)
    uscc = str((created or {}).get("uscc") or body.get("uscc") or "")
    if not uscc:
        return redirect(url_for("web.enterprises"), code=303)
    return redirect(url_for("web.curate", uscc=uscc, done="created"), code=303)


# -- basics and record -----------------------------------------------------------------------

@blp.route("/enterprises/<uscc>/edit/basics", methods=["GET", "POST"])
def edit_basics(uscc: str) -> Any:
    writer()
    kind = c.BASICS_KIND
    action = url_for("web.edit_basics", uscc=uscc)
    enterprise = clients().registry.get_enterprise(uscc)
    if request.method == "GET":
        return _form_page(enterprise=enterprise, kind=kind, action=action,
                          values=c.form_values(kind, enterprise), version=enterprise["version"])
    values = c.typed(kind, request.form)
    body = c.body_of(kind, values, partial=True)
    body.update(version=_version(request.form.get("version")),
                **_reason())
    try:
        _call("PATCH", _base(uscc), json=body)
    except DomainError as exc:
        return _after_refusal(exc, uscc=uscc, kind=kind, action=action, values=values,
                              current=lambda: clients().registry.get_enterprise(uscc),
                              entity_id=enterprise.get("id"), enterprise=enterprise)
    return redirect(url_for("web.curate", uscc=uscc, done=kind.key) + "#basics", code=303)


def _after_refusal(exc: DomainError, *, uscc: str, kind: c.Kind, action: str,
                   values: dict[str, Any], current: Any, entity_id: Any,
                   enterprise: dict[str, Any], year: int | None = None,
                   fixed: tuple[str, ...] = (), **extra: Any) -> Any:
    """A stale write (409) or a record gone meanwhile (404): the form again with the typed
    values, the stored ones and who changed it; a refusal (422): the errors beside fields."""
    if exc.status in (404, 409) and exc.code in ("stale_version", "not_found"):
        try:
            stored = current()
        except DomainError as gone:
            if gone.status != 404:
                raise
            stored = None
        conflict = _conflict(uscc, kind, entity_id, year=year)
        conflict["gone"] = stored is None
        return _form_page(enterprise=enterprise, kind=kind, action=action, values=values,
                          version=(stored or {}).get("version"), conflict=conflict,
                          stored=stored, status=409, fixed=fixed,
                          **extra)
    return _form_page(enterprise=enterprise, kind=kind, action=action, values=values,
                      version=_version(request.form.get("version")), errors=_refused(exc),
                      status=exc.status, fixed=fixed, **extra)


# -- yearly figures and the record kinds -----------------------------------------------------

def _kind(key: str) -> c.Kind:
    kind = c.KINDS.get(key)
    if kind is None:
        raise NotFound("没有这类记录 / No such kind of record")
    return kind


@blp.route("/enterprises/<uscc>/edit/<kind_key>/new", methods=["GET", "POST"])
def new_record(uscc: str, kind_key: str) -> Any:
    writer()
    kind = _kind(kind_key)
    enterprise = clients().registry.get_enterprise(uscc)
    action = url_for("web.new_record", uscc=uscc, kind_key=kind.key)
    if request.method == "GET":
        return _form_page(enterprise=enterprise, kind=kind, action=action,
                          values=c.form_values(kind, None))
    values = c.typed(kind, request.form)
    body = c.body_of(kind, values, partial=False)
    body.update(_reason())
    try:
        if kind.key == "financials":
            year = body.pop("year", None)
            if not isinstance(year, int):
                raise ValidationFailed("请填写会计年度 / Enter the fiscal year",
                                       fields={"year": ["请填写四位年份 / a four-digit year"]})
            _put_new_year(uscc, year, body)
        else:
            _call("POST", f"{_base(uscc)}/{kind.segment}", json=body)
    except DomainError as exc:
        return _form_page(enterprise=enterprise, kind=kind, action=action, values=values,
                          errors=_refused(exc), status=exc.status)
    return redirect(url_for("web.curate", uscc=uscc, done=kind.key) + f"#{kind.key}", code=303)


def _put_new_year(uscc: str, year: int, body: dict[str, Any]) -> None:
    """A new fiscal year; one already on file is edited on its own page (a PUT without the
    version would be refused with 428 — said here in words, beside the year)."""
    try:
        _call("PUT", f"{_base(uscc)}/financials/{year}", json=body)
    except DomainError as exc:
        if exc.status == 428:
            raise Conflict(
                "该年度已有数据，请在其编辑页修改 / This year is on file already; edit it on its "
                "own page", code="duplicate",
                fields={"year": ["该年度已有数据 / this year is on file already"]}) from exc
        raise


@blp.route("/enterprises/<uscc>/edit/<kind_key>/<key>", methods=["GET", "POST"])
def edit_record(uscc: str, kind_key: str, key: str) -> Any:
    writer()
    kind = _kind(kind_key)
    enterprise = clients().registry.get_enterprise(uscc)
    action = url_for("web.edit_record", uscc=uscc, kind_key=kind.key, key=key)
    path = _record_path(uscc, kind, key)
    fixed = ("year",) if kind.key == "financials" else ()
    if request.method == "GET":
        record = _call("GET", path)
        return _form_page(enterprise=enterprise, kind=kind, action=action,
                          values=c.form_values(kind, record), version=record.get("version"),
                          fixed=fixed)
    values = c.typed(kind, request.form)
    version = _version(request.form.get("version"))
    try:
        if kind.key == "financials":
            values["year"] = key
            body = c.body_of(kind, values, partial=False)
            body.pop("year", None)
            body.update(version=version,
                        **_reason())
            _call("PUT", path, json=body)
        else:
            body = c.body_of(kind, values, partial=True)
            body.update(version=version,
                        **_reason())
            _call("PATCH", path, json=body)
    except DomainError as exc:
        year = int(key) if kind.key == "financials" and key.isdigit() else None
        return _after_refusal(exc, uscc=uscc, kind=kind, action=action, values=values,
                              current=lambda: _call("GET", path),
                              entity_id=None if year else _int(key), enterprise=enterprise,
                              year=year, fixed=fixed)
    return redirect(url_for("web.curate", uscc=uscc, done=kind.key) + f"#{kind.key}", code=303)


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


@blp.post("/enterprises/<uscc>/edit/<kind_key>/<key>/delete")
def delete_record(uscc: str, kind_key: str, key: str) -> Any:
    """Delete one item with the version shown; a stale one lands back on the overview with who
    changed it, and nothing is deleted."""
    writer()
    kind = _kind(kind_key)
    if (refusal := _unconfirmed(uscc, kind.key)) is not None:
        return refusal
    version = _version(request.form.get("version"))
    reason = (request.form.get("reason") or "").strip()
    try:
        _call("DELETE", _record_path(uscc, kind, key),
              params={"reason": reason} if reason else None,
              headers={"If-Match": f'"{version}"'} if version is not None else None)
    except DomainError as exc:
        if exc.status not in (404, 409, 422, 428):
            raise
        return redirect(url_for("web.curate", uscc=uscc, refused=f"{kind.key}:{key}")
                        + f"#{kind.key}", code=303)
    return redirect(url_for("web.curate", uscc=uscc, done=f"deleted:{kind.key}")
                    + f"#{kind.key}", code=303)


# -- review outcomes -------------------------------------------------------------------------

def _criterion_titles(uscc: str) -> dict[str, str]:
    """Criterion id → its title, from what scoring holds for this firm; the review criteria
    (status ``review``) first. Empty when scoring cannot say (the id is then typed)."""
    stored = soft(lambda: results.from_stored(clients().scoring.evaluations(uscc))).data or []
    review: dict[str, str] = {}
    other: dict[str, str] = {}
    for result in stored:
        for criterion in result.get("criteria") or []:
            cid = criterion.get("id")
            if not cid:
                continue
            title = f"{pick(criterion.get('title')) or cid}"
            (review if criterion.get("status") == "review" else other).setdefault(cid, title)
    return {**review, **other}


@blp.route("/enterprises/<uscc>/edit/reviews/<criterion>", methods=["GET", "POST"])
def edit_review(uscc: str, criterion: str) -> Any:
    """One review outcome (``assessments.reviews``); ``new`` adds one. The enterprise's
    version guards it, as any change to the enterprise."""
    writer()
    kind = c.REVIEW_KIND
    enterprise = clients().registry.get_enterprise(uscc)
    titles = _criterion_titles(uscc)
    action = url_for("web.edit_review", uscc=uscc, criterion=criterion)
    reviews = dict((enterprise.get("assessments") or {}).get("reviews") or {})
    fixed = () if criterion == "new" else ("criterion",)
    files = _evidence_files(uscc)
    if request.method == "GET":
        record = {"criterion": "" if criterion == "new" else criterion,
                  **_with_evidence_id(reviews.get(criterion, {}))}
        return _form_page(enterprise=enterprise, kind=kind, action=action,
                          values=c.form_values(kind, record), version=enterprise["version"],
                          fixed=fixed, titles=titles, evidence_files=files)
    values = c.typed(kind, request.form)
    cid = criterion if criterion != "new" else values.get("criterion", "")
    values["criterion"] = cid
    entry = c.body_of(kind, values, partial=False)
    version = _version(request.form.get("version"))
    try:
        if not cid:
            raise ValidationFailed("请选择评审条件 / Choose the criterion",
                                   fields={"criterion": ["必填 / required"]})
        _call("PATCH", _base(uscc), json={
            "assessments": {"reviews": {**reviews, cid: entry}}, "version": version,
            **_reason()})
    except DomainError as exc:
        return _after_refusal(exc, uscc=uscc, kind=kind, action=action, values=values,
                              current=lambda: _review_record(uscc, cid),
                              entity_id=enterprise.get("id"), enterprise=enterprise,
                              fixed=fixed, titles=titles, evidence_files=files)
    return redirect(url_for("web.curate", uscc=uscc, done="reviews") + "#reviews", code=303)


def _review_record(uscc: str, cid: str) -> dict[str, Any]:
    current = clients().registry.get_enterprise(uscc)
    stored = ((current.get("assessments") or {}).get("reviews") or {}).get(cid) or {}
    return {"criterion": cid, **_with_evidence_id(stored), "version": current["version"]}


def _with_evidence_id(entry: dict[str, Any]) -> dict[str, Any]:
    """A stored outcome as the form holds it: the cited file by its id (issue 15 item 4)."""
    cited = entry.get("evidence")
    return {**entry, "evidence_id": cited.get("id") if isinstance(cited, dict) else None}


#: Reports whose files the review form offers (the newest; one report a year).
EVIDENCE_REPORTS = 10


def _reports_with_files(uscc: str) -> list[dict[str, Any]]:
    listed = items_of(_call("GET", f"{_base(uscc)}/submissions",
                            params={"limit": EVIDENCE_REPORTS}))
    return [_call("GET", f"{_base(uscc)}/submissions/{int(r['id'])}") for r in listed
            if isinstance(r.get("id"), int)]


def _evidence_files(uscc: str) -> list[tuple[str, str]]:
    """(id, name) of the evidence files of the firm's newest yearly reports, newest first:
    the files a review outcome may cite. Empty when the registry cannot say (the form still
    works; the reviewer cites no file)."""
    reports = soft(lambda: _reports_with_files(uscc)).data or []
    kinds = {k: c.side(v) for k, v in EVIDENCE_KINDS.items()}
    return [(str(e.get("id")), f"{e.get('filename')}（{pick(_report_name(r))} · "
             f"{kinds.get(str(e.get('kind')), e.get('kind'))}）")
            for r in reports for e in r.get("evidence") or [] if e.get("id")]


def _report_name(report: dict[str, Any]) -> str:
    return f"{report.get('year')} 年度自报 / {report.get('year')} yearly report"


@blp.post("/enterprises/<uscc>/edit/reviews/<criterion>/delete")
def delete_review(uscc: str, criterion: str) -> Any:
    writer()
    if (refusal := _unconfirmed(uscc, "reviews")) is not None:
        return refusal
    enterprise = clients().registry.get_enterprise(uscc)
    reviews = dict((enterprise.get("assessments") or {}).get("reviews") or {})
    reviews.pop(criterion, None)
    try:
        _call("PATCH", _base(uscc), json={
            "assessments": {"reviews": reviews or None},
            "version": _version(request.form.get("version"))})
    except DomainError as exc:
        if exc.status not in (409, 422, 428):
            raise
        return redirect(url_for("web.curate", uscc=uscc, refused=f"reviews:{criterion}")
                        + "#reviews", code=303)
    return redirect(url_for("web.curate", uscc=uscc, done="deleted:reviews") + "#reviews",
                    code=303)
