"""Contacts pages: the people through whom notices reach a firm (短信 SMS, 邮件 e-mail).

The firm keeps its own under ``/my/contacts`` (the credit code is always the signed-in
firm's, never the URL's, as the API's ``/me/contacts``). The bureau's page,
``/enterprises/<uscc>/contacts``, lets curators and admins maintain a firm's contacts and
shows viewers the list only, with the mobile number and e-mail address masked as the API
masks them for viewers (``gateway.domain.personal_data``): the pages read the registry
directly, so they apply the same rule themselves and never put a full value in a viewer's
page.

Each change goes to the registry's ``/api/v1/enterprises/{uscc}/contacts[/{id}]`` with the
version it was loaded with (``If-Match``): a stale save keeps what was typed, shows the
stored values beside it and takes the new version, so a second save knowingly replaces
them. The registry's refusals (a bad mobile number, consent without an address) come back
beside the field they name. The registry takes a reason optionally; the pages ask for one
whenever the bureau changes a firm's contacts and whenever anyone removes one (the audit
trail says why). A removal also needs its 确认删除 box ticked (checked here, not only by the
browser): one stray click on 删除 removes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from flask import redirect
from flask import request
from flask import url_for

from gateway.adapters.http import clients
from gateway.domain.personal_data import mask_contact_document
from gateway.domain.personal_data import masks_contacts
from gateway.web import contact_form as cf
from gateway.web.core import WRITERS
from gateway.web.core import blp
from gateway.web.core import bureau
from gateway.web.core import enterprise
from gateway.web.core import render
from gateway.web.core import soft
from gateway.web.core import writer
from gateway.web.wording import yes_no
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import NotFound

API = "/api/v1"
DONE = ("added", "saved", "deleted")
FIRM = {"list": "web.my_contacts", "add": "web.my_contact_add",
        "edit": "web.my_contact_edit", "delete": "web.my_contact_delete"}
BUREAU = {"list": "web.enterprise_contacts", "add": "web.enterprise_contact_add",
          "edit": "web.enterprise_contact_edit", "delete": "web.enterprise_contact_delete"}


@dataclass(frozen=True)
class Desk:
    """Whose contacts a page shows and what the signed-in account may do with them."""

    uscc: str
    firm: bool  # the firm's own pages, else the bureau's
    can_write: bool
    masked: bool
    reason_for: frozenset[str]  # the changes the page asks a reason for

    @property
    def path(self) -> str:
        return f"{API}/enterprises/{quote(self.uscc, safe='')}/contacts"

    def link(self, what: str, **values: Any) -> str:
        if self.firm:
            return url_for(FIRM[what], **values)
        return url_for(BUREAU[what], uscc=self.uscc, **values)


def _firm_desk() -> Desk:
    principal = enterprise()
    return Desk(principal.uscc or "", firm=True, can_write=True, masked=False,
                reason_for=frozenset({"delete"}))


def _bureau_desk(uscc: str, *, write: bool = False) -> Desk:
    principal = writer() if write else bureau()
    return Desk(uscc, firm=False, can_write=principal.role in WRITERS,
                masked=masks_contacts(principal, f"enterprises/{uscc}/contacts"),
                reason_for=frozenset({"add", "edit", "delete"}))


def _call(method: str, path: str, **kwargs: Any) -> Any:
    registry = clients().registry
    response = registry.request(method, path, **kwargs)
    if response.status_code == 204:
        return None
    return registry.json_or_raise(response)


def _contacts(desk: Desk) -> list[dict[str, Any]]:
    items = clients().registry.every_item(desk.path)
    return [mask_contact_document(c) for c in items] if desk.masked else items


def _contact(desk: Desk, contact_id: int) -> dict[str, Any]:
    found = dict(_call("GET", f"{desk.path}/{contact_id}"))
    return mask_contact_document(found) if desk.masked else found


# -- the list (with the add form and each row's removal) -------------------------------------


def _list_page(desk: Desk, code: int = 200, **context: Any) -> Any:
    company = None if desk.firm else clients().registry.get_enterprise(desk.uscc)
    page = soft(lambda: _contacts(desk))
    done = request.args.get("done")
    return render("contacts.html", code, desk=desk, company=company, page=page,
                  done=done if done in DONE else None, yes_no=yes_no,
                  **{"add": None, "add_problem": None, "delete_problem": None, **context})


def _add(desk: Desk) -> Any:
    values = cf.typed(request.form)
    if "add" in desk.reason_for and not values["reason"]:
        return _list_page(desk, 422, add=values, add_problem=cf.reason_missing())
    try:
        _call("POST", desk.path, json=cf.body(values))
    except DomainError as exc:
        return _list_page(desk, exc.status, add=values, add_problem=cf.problem(exc))
    return redirect(desk.link("list", done="added"), code=303)


def _delete(desk: Desk, contact_id: int) -> Any:
    version = cf.version_of(request.form.get("version"))
    reason = (request.form.get("reason") or "").strip()[:cf.REASON_MAX]
    refused = {"id": contact_id, "reason": reason}
    missing = cf.removal_unconfirmed(request.form, reason_required="delete" in desk.reason_for)
    if missing:
        return _list_page(desk, 422, delete_problem={**refused, **missing})
    try:
        _call("DELETE", f"{desk.path}/{contact_id}", params={"reason": reason} if reason else None,
              headers=cf.if_match(version))
    except DomainError as exc:
        return _list_page(desk, exc.status, delete_problem={**refused, **cf.problem(exc)})
    return redirect(desk.link("list", done="deleted"), code=303)


# -- one contact's form ----------------------------------------------------------------------


def _form_page(desk: Desk, contact: dict[str, Any], values: dict[str, Any], code: int = 200,
               **context: Any) -> Any:
    company = None if desk.firm else clients().registry.get_enterprise(desk.uscc)
    return render("contact_form.html", code, desk=desk, company=company, contact=contact,
                  values=values, **{"problem": None, "held": None, "differs": set(), **context})


def _edit(desk: Desk, contact_id: int) -> Any:
    if request.method == "GET":
        contact = _contact(desk, contact_id)
        return _form_page(desk, contact, cf.stored(contact))
    values = cf.typed(request.form)
    if "edit" in desk.reason_for and not values["reason"]:
        return _form_page(desk, _contact(desk, contact_id), values, 422,
                          problem=cf.reason_missing())
    try:
        _call("PATCH", f"{desk.path}/{contact_id}", json=cf.body(values),
              headers=cf.if_match(values["version"]))
    except DomainError as exc:
        if exc.status == 409 and exc.code == "stale_version":
            return _stale(desk, contact_id, values)
        return _form_page(desk, _contact(desk, contact_id), values, exc.status,
                          problem=cf.problem(exc))
    return redirect(desk.link("list", done="saved") + f"#contact-{contact_id}", code=303)


def _stale(desk: Desk, contact_id: int, values: dict[str, Any]) -> Any:
    """Someone saved this contact first (or removed it): the typed form again, on the stored
    version, the stored value beside each field that differs."""
    try:
        contact = _contact(desk, contact_id)
    except NotFound:
        return _list_page(desk, 409, gone=True)
    held = cf.stored(contact)
    return _form_page(desk, contact, {**values, "version": held["version"]}, 409, held=held,
                      differs=cf.differences(values, held))


# -- the firm's routes -----------------------------------------------------------------------


@blp.get("/my/contacts")
def my_contacts() -> Any:
    return _list_page(_firm_desk())


@blp.post("/my/contacts")
def my_contact_add() -> Any:
    return _add(_firm_desk())


@blp.route("/my/contacts/<int:contact_id>", methods=["GET", "POST"])
def my_contact_edit(contact_id: int) -> Any:
    return _edit(_firm_desk(), contact_id)


@blp.post("/my/contacts/<int:contact_id>/delete")
def my_contact_delete(contact_id: int) -> Any:
    return _delete(_firm_desk(), contact_id)


# -- the bureau's routes ---------------------------------------------------------------------


@blp.get("/enterprises/<uscc>/contacts")
def enterprise_contacts(uscc: str) -> Any:
    return _list_page(_bureau_desk(uscc))


@blp.post("/enterprises/<uscc>/contacts")
def enterprise_contact_add(uscc: str) -> Any:
    return _add(_bureau_desk(uscc, write=True))


@blp.route("/enterprises/<uscc>/contacts/<int:contact_id>", methods=["GET", "POST"])
def enterprise_contact_edit(uscc: str, contact_id: int) -> Any:
    return _edit(_bureau_desk(uscc, write=True), contact_id)


@blp.post("/enterprises/<uscc>/contacts/<int:contact_id>/delete")
def enterprise_contact_delete(uscc: str, contact_id: int) -> Any:
    return _delete(_bureau_desk(uscc, write=True), contact_id)
