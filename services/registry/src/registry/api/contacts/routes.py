"""``/enterprises/{uscc}/contacts``: the people the bureau reaches at an enterprise.

Curators and admins (and, through the gateway's ``/me/contacts``, the enterprise itself) read
and write them; the gateway masks the mobile number and e-mail address for viewers.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from registry.api.contacts.schemas import ContactCreateSchema
from registry.api.contacts.schemas import ContactPageSchema
from registry.api.contacts.schemas import ContactSchema
from registry.api.contacts.schemas import ContactUpdateSchema
from registry.api.fields import DeleteArgs
from registry.api.paging import after_id
from registry.api.paging import id_cursor
from registry.api.requests import expected_version
from registry.api.requests import versioned
from registry.api.requests import who
from registry.handlers import contacts
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import PageQuerySchema

blp = Blueprint("contacts", __name__, url_prefix="/enterprises",
                description="企业联系人 / Enterprise contacts")


@blp.route("/<uscc>/contacts")
class ContactList(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ContactPageSchema)
    def get(self, args: dict[str, Any], uscc: str) -> dict[str, Any]:
        """The enterprise's contacts, oldest first (cursor pages)."""
        rows, more = contacts.page_contacts(get_session(), uscc=uscc,
                                            after=after_id(args["cursor"]), limit=args["limit"])
        return {"items": rows, "next_cursor": id_cursor(rows[-1].id) if more else None,
                "total": None}

    @blp.arguments(ContactCreateSchema)
    @blp.response(201, ContactSchema)
    def post(self, data: dict[str, Any], uscc: str) -> Any:
        """Add a contact (consent to a channel needs that channel's address)."""
        session = get_session()
        contact = contacts.create_contact(session, uscc=uscc, data=data, who=who(data))
        session.commit()
        return contact


@blp.route("/<uscc>/contacts/<int:contact_id>")
class ContactItem(MethodView):
    @blp.response(200, ContactSchema)
    def get(self, uscc: str, contact_id: int) -> Any:
        return contacts.get_contact(get_session(), uscc=uscc, contact_id=contact_id)

    @blp.arguments(ContactUpdateSchema)
    @blp.response(200, ContactSchema)
    @versioned(blp)
    def patch(self, data: dict[str, Any], uscc: str, contact_id: int, **_headers: str) -> Any:
        """Change a contact (send ``version`` or If-Match); an opt-out is kept until cleared."""
        session = get_session()
        version = expected_version(data)
        contact = contacts.update_contact(session, uscc=uscc, contact_id=contact_id, data=data,
                                          version=version, who=who(data))
        session.commit()
        return contact

    @blp.arguments(DeleteArgs, location="query")
    @blp.response(204)
    @versioned(blp)
    def delete(self, args: dict[str, Any], uscc: str, contact_id: int, **_headers: str
               ) -> None:
        """Remove a contact (send If-Match with its version)."""
        session = get_session()
        contacts.delete_contact(session, uscc=uscc, contact_id=contact_id,
                                version=expected_version(), who=who(args))
        session.commit()
