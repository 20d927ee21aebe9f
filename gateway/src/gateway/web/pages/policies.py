"""Policy library pages (issue 14 item 5): the bureau's catalogue, calendar and forms, and the
enterprise's "policies for me".

* ``/policies``: every policy with its next application batch; writers create, edit, retire.
* ``/policies/calendar``: the batches month by month, with the iCalendar feed to subscribe to.
* ``/policies/new``, ``/policies/<code>/edit``: one form; notify's refusals come back beside
  the fields (a batch's ``windows.<i>.<field>`` beside that row) with what was typed kept.
* ``/my/policies``: the policies the signed-in firm is eligible or near for, with the batches
  still open or to come (the credit code comes from the principal, never the URL).
Every change goes through notify's API, which audits it with the actor and the reason.
"""

from __future__ import annotations

import calendar
from datetime import date
from datetime import timedelta
from typing import Any

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import enterprise
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.core import writer
from gateway.web.i18n import pick
from yumiao_common.clock import beijing_today
from yumiao_common.web.errors import DomainError

API = "/api/v1"
TRIGGERS = {"eligible": "认定或符合条件后可享 / On becoming eligible",
            "admitted": "入库后可享 / On admission to a pool",
            "renewal": "资格到期前提醒 / Before a status lapses"}
TEXT_FIELDS = ("name_zh", "name_en", "summary_zh", "summary_en", "benefit_zh", "benefit_en",
               "condition_zh", "condition_en", "amount_note", "source_document", "source_mark",
               "contact")
OPTIONAL = frozenset({"condition_zh", "condition_en", "amount_note", "source_mark", "contact"})
BLANK_ROWS = 2
#: Months the calendar shows: the one before this, this one and the next eleven.
MONTHS_SHOWN = 13


def _notify(method: str, path: str, **kwargs: Any) -> Any:
    notify = clients().notify
    return notify.json_or_raise(notify.request(method, f"{API}{path}", **kwargs))


def _catalogue() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(10):  # 2,000 policies at most: the catalogue holds dozens
        page = _notify("GET", "/policies", params={"limit": 200, **(
            {"cursor": cursor} if cursor else {})})
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return items


def next_window(policy: dict[str, Any]) -> dict[str, Any] | None:
    """The batch open now, else the next to open; None when every batch has closed."""
    live = [w for w in policy.get("windows") or () if w["status"] != "closed"]
    return min(live, key=lambda w: w["opens_on"]) if live else None


@blp.get("/policies")
def policies() -> Any:
    principal = bureau()
    found = soft(_catalogue)
    rows = sorted(found.data or [], key=lambda p: (p["status"] != "active", p["code"]))
    return render("policies.html", found=found, rows=rows, next_window=next_window,
                  can_write=principal.role in ("admin", "curator"), triggers=TRIGGERS,
                  retired=request.args.get("retired"), saved=request.args.get("saved"))


def month_grid(policies: list[dict[str, Any]], today: date) -> list[dict[str, Any]]:
    """Per month (from last month on): the batches open at some day of it, soonest first."""
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    months = []
    year, month = first.year, first.month
    for _ in range(MONTHS_SHOWN):
        start = date(year, month, 1)
        end = date(year, month, calendar.monthrange(year, month)[1])
        entries = [{"policy": p, "window": w} for p in policies if p["status"] == "active"
                   for w in p.get("windows") or ()
                   if w["opens_on"] <= end.isoformat() and w["closes_on"] >= start.isoformat()]
        entries.sort(key=lambda e: (e["window"]["closes_on"], e["policy"]["code"]))
        months.append({"start": start, "entries": entries,
                       "current": (year, month) == (today.year, today.month)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@blp.get("/policies/calendar")
def policy_calendar() -> Any:
    bureau()
    found = soft(_catalogue)
    today = beijing_today()
    return render("policy_calendar.html", found=found,
                  months=month_grid(found.data or [], today), today=today,
                  ics_url=f"{API}/policies/calendar.ics")


LABELS = {
    "code": "编码 / Code", "name_zh": "中文名称 / Name (Chinese)",
    "name_en": "英文名称 / Name (English)", "summary_zh": "中文摘要 / Summary (Chinese)",
    "summary_en": "英文摘要 / Summary (English)", "trigger": "适用情形 / Applies when",
    "tier": "梯度 / Tier", "pool": "培育库 / Pool",
    "benefit_zh": "中文优惠内容 / Benefit (Chinese)",
    "benefit_en": "英文优惠内容 / Benefit (English)",
    "condition_zh": "中文附加条件 / Condition (Chinese)",
    "condition_en": "英文附加条件 / Condition (English)",
    "amount_yuan": "金额（元） / Amount (yuan)", "amount_note": "金额说明 / Amount note",
    "source_document": "政策依据（文件） / Source document", "source_mark": "文号标记 / Mark",
    "contact": "咨询联系 / Contact", "reason": "变更原因 / Reason", "version": "版本 / Version",
    "windows": "申报批次 / Application batches", "batch_zh": "批次（中文） / Batch (Chinese)",
    "batch_en": "批次（英文） / Batch (English)", "opens_on": "开始申报 / Opens",
    "closes_on": "截止申报 / Closes", "note": "备注 / Note",
}
WINDOW_FIELDS = ("batch_zh", "batch_en", "opens_on", "closes_on", "note")


def _amount(raw: str) -> Any:
    """Yuan as typed (``1,000,000`` or ``¥1000000``) to an integer; anything else as typed,
    so notify names the field."""
    cleaned = raw.replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").strip()
    if not cleaned:
        return None
    return int(cleaned) if cleaned.isdigit() else raw


def form_windows(form: dict[str, str]) -> tuple[list[dict[str, Any]], list[int]]:
    """The batch rows typed (blank rows skipped) and, per batch sent, its row on the form."""
    rows = int(form.get("window_rows", "0") or 0) if form.get("window_rows", "").isdigit() else 0
    windows, where = [], []
    for i in range(min(rows, 50)):
        values = {f: form.get(f"w{i}_{f}", "").strip() for f in WINDOW_FIELDS}
        if not any(values.values()):
            continue
        values["note"] = values["note"] or None  # type: ignore[assignment]
        windows.append(values)
        where.append(i)
    return windows, where


def policy_body(form: dict[str, str], *, creating: bool) -> tuple[dict[str, Any], list[int]]:
    """notify's create or edit body from the form, and each batch's row on the form."""
    body: dict[str, Any] = {"reason": form.get("reason", "").strip()}
    if creating:
        body["code"] = form.get("code", "").strip()
    else:
        version = form.get("version", "")
        body["version"] = int(version) if version.isdigit() else version
    for name in TEXT_FIELDS:
        value = form.get(name, "").strip()
        if value:
            body[name] = value
        elif name in OPTIONAL:
            if not creating:
                body[name] = None
        elif not creating:
            body[name] = value  # emptied: notify says the field is required
    body["trigger"] = form.get("trigger", "")
    for name in ("tier", "pool"):
        body[name] = form.get(name) or None
    body["amount_yuan"] = _amount(form.get("amount_yuan", ""))
    body["windows"], where = form_windows(form)
    return body, where


def split_problems(fields: dict[str, list[str]], where: list[int]
                   ) -> tuple[dict[str, list[str]], dict[int, dict[str, list[str]]]]:
    """notify's field errors: the policy's own, and per form row its batch's."""
    own: dict[str, list[str]] = {}
    rows: dict[int, dict[str, list[str]]] = {}
    for key, messages in fields.items():
        parts = key.split(".")
        texts = [pick(m) for m in messages]
        if parts[0] == "windows" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            row = where[index] if index < len(where) else index
            rows.setdefault(row, {}).setdefault(parts[-1] if len(parts) > 2 else "row",
                                                []).extend(texts)
        else:
            own.setdefault(key, []).extend(texts)
    return own, rows


def form_of(policy: dict[str, Any]) -> dict[str, str]:
    """The edit form's values from a stored policy."""
    form = {name: "" if policy.get(name) is None else str(policy[name])
            for name in (*TEXT_FIELDS, "trigger", "tier", "pool", "amount_yuan")}
    if isinstance(policy.get("amount_yuan"), int):
        form["amount_yuan"] = f"{policy['amount_yuan']:,}"  # read as people write it
    form["version"] = str(policy["version"])
    for i, w in enumerate(policy.get("windows") or ()):
        for f in WINDOW_FIELDS:
            form[f"w{i}_{f}"] = w.get(f) or ""
    form["window_rows"] = str(len(policy.get("windows") or ()) + BLANK_ROWS)
    return form


def _form_page(form: dict[str, str], *, code: str | None, problems: dict[str, list[str]],
               row_problems: dict[int, dict[str, list[str]]], status: int = 200) -> Any:
    rows = int(form.get("window_rows") or BLANK_ROWS)
    return render("policy_form.html", status, form=form, policy_code=code, problems=problems,
                  row_problems=row_problems, rows=range(rows), labels=LABELS,
                  triggers=TRIGGERS, window_fields=WINDOW_FIELDS)


def _save(method: str, path: str, form: dict[str, str], *, code: str | None) -> Any:
    body, where = policy_body(form, creating=code is None)
    try:
        saved = _notify(method, path, json=body)
    except DomainError as exc:
        if exc.status not in (409, 422):
            raise
        own, rows = split_problems(exc.fields or {}, where)
        if not own and not rows:
            own = {"": [pick(exc.message)]}
        return _form_page(form, code=code, problems=own, row_problems=rows,
                          status=exc.status)
    saved_code = saved.get("code") or code or body.get("code", "")
    return redirect(url_for("web.policies", saved=saved_code) + f"#p-{saved_code}", code=303)


@blp.route("/policies/new", methods=["GET", "POST"])
def new_policy() -> Any:
    writer()
    if request.method == "POST":
        return _save("POST", "/policies", request.form.to_dict(), code=None)
    return _form_page({"window_rows": str(BLANK_ROWS + 1), "trigger": "eligible"}, code=None,
                      problems={}, row_problems={})


@blp.route("/policies/<code>/edit", methods=["GET", "POST"])
def edit_policy(code: str) -> Any:
    writer()
    if request.method == "POST":
        return _save("PATCH", f"/policies/{code}", request.form.to_dict(), code=code)
    policy = _notify("GET", f"/policies/{code}")
    return _form_page(form_of(policy), code=code, problems={}, row_problems={})


@blp.post("/policies/<code>/retire")
def retire_policy(code: str) -> Any:
    writer()
    form = request.form.to_dict()
    version = form.get("version", "")
    try:
        _notify("POST", f"/policies/{code}/retire", json={
            "version": int(version) if version.isdigit() else version,
            "reason": form.get("reason", "").strip()})
    except DomainError as exc:
        if exc.status not in (409, 422):
            raise
        policy = _notify("GET", f"/policies/{code}")
        own = {f"retire.{k}": [pick(m) for m in v] for k, v in (exc.fields or {}).items()}
        return _form_page(form_of(policy), code=code, status=exc.status,
                          problems=own or {"retire": [pick(exc.message)]}, row_problems={})
    return redirect(url_for("web.policies", retired=code), code=303)


@blp.get("/my/policies")
def my_policies() -> Any:
    principal = enterprise()
    found = soft(lambda: _notify("GET", f"/enterprises/{principal.uscc}/policies"))
    return render("my_policies.html", found=found, today=beijing_today())
