"""The gateway's tables: accounts, API keys, auth sessions, files checked for import, admin acts.

One ``Base`` whose metadata carries Yumiao's constraint naming convention, so the Alembic
migrations are identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from yumiao_common.db.engine import make_metadata


class Base(DeclarativeBase):
    metadata = make_metadata()


from gateway.models.accounts import Account  # noqa: E402
from gateway.models.accounts import Role  # noqa: E402
from gateway.models.admin_actions import AdminAction  # noqa: E402
from gateway.models.api_keys import ApiKey  # noqa: E402
from gateway.models.invitations import Invitation  # noqa: E402
from gateway.models.invitations import OneTimeSecret  # noqa: E402
from gateway.models.pending_imports import PendingImport  # noqa: E402
from gateway.models.sessions import AuthSession  # noqa: E402
from gateway.models.sessions import SessionKind  # noqa: E402
from gateway.models.sign_ins import SignIn  # noqa: E402

__all__ = ["Base", "Account", "AdminAction", "Role", "ApiKey", "AuthSession", "PendingImport",
           "SessionKind", "Invitation", "OneTimeSecret", "SignIn"]
