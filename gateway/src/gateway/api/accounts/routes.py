"""/api/v1/accounts: admins manage bureau and enterprise accounts and machine API keys."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import Select
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from gateway.api.accounts.schemas import AccountCreate
from gateway.api.accounts.schemas import AccountOut
from gateway.api.accounts.schemas import AccountPage
from gateway.api.accounts.schemas import AccountPatch
from gateway.api.accounts.schemas import AccountQuery
from gateway.api.accounts.schemas import ApiKeyCreate
from gateway.api.accounts.schemas import ApiKeyCreated
from gateway.api.accounts.schemas import ApiKeyPage
from gateway.api.invitations.schemas import SignInPage
from gateway.frontdoor.account_access import sign_in_page
from gateway.frontdoor.credentials import ensure
from gateway.handlers import accounts
from gateway.handlers.sessions import revoke_all_sessions
from gateway.models import Account
from gateway.models import ApiKey
from yumiao_common.db.engine import get_session
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor

blp = Blueprint("accounts", __name__, url_prefix="/api/v1/accounts",
                description="账户与 API 密钥（管理员） / Accounts and API keys (admin)")


@blp.before_request
def _admins_only() -> None:
    ensure("admin")


@blp.route("")
class Accounts(MethodView):
    @blp.arguments(AccountQuery, location="query", unknown=RAISE)
    @blp.response(200, AccountPage)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """账户列表（按用户名） / List accounts (by user name)"""
        stmt = select(Account)
        if query.get("role"):
            stmt = stmt.where(Account.role == query["role"])
        return _page(stmt, Account.username, query)

    @blp.arguments(AccountCreate)
    @blp.response(201, AccountOut)
    def post(self, body: dict[str, Any]) -> Account:
        """新建账户 / Create an account"""
        session = get_session()
        account = accounts.create_account(session, **body)
        session.commit()
        return account


@blp.route("/<uuid:account_id>")
class AccountItem(MethodView):
    @blp.response(200, AccountOut)
    def get(self, account_id: uuid.UUID) -> Account:
        """查看账户 / One account"""
        return accounts.get_account(get_session(), account_id=account_id)

    @blp.arguments(AccountPatch)
    @blp.response(200, AccountOut)
    def patch(self, body: dict[str, Any], account_id: uuid.UUID) -> Account:
        """修改账户（需当前版本号） / Edit an account (with its current version)"""
        session = get_session()
        account = accounts.update_account(session, account_id=account_id, **body)
        session.commit()
        return account

    @blp.response(204)
    def delete(self, account_id: uuid.UUID) -> None:
        """停用账户并结束其所有登录 / Deactivate an account and end its logins"""
        session = get_session()
        account = accounts.get_account(session, account_id=account_id)
        account.is_active = False
        revoke_all_sessions(session, account_id=account.id)
        session.commit()


@blp.route("/<uuid:account_id>/sign-ins")
class AccountSignIns(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, SignInPage)
    def get(self, query: dict[str, Any], account_id: uuid.UUID) -> dict[str, Any]:
        """账户的登录记录（最新在前） / An account's sign-ins (newest first)"""
        accounts.get_account(get_session(), account_id=account_id)
        return sign_in_page(account_id, query)


@blp.route("/api-keys")
class ApiKeys(MethodView):
    @blp.arguments(PageQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, ApiKeyPage)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """API 密钥列表（按名称） / List API keys (by name)"""
        return _page(select(ApiKey), ApiKey.name, query)

    @blp.arguments(ApiKeyCreate)
    @blp.response(201, ApiKeyCreated)
    def post(self, body: dict[str, str]) -> dict[str, Any]:
        """新建 API 密钥（密钥仅显示一次） / Create an API key (shown once)"""
        session = get_session()
        created = accounts.create_api_key(session, name=body["name"], role=body["role"],
                                          created_by=ensure("admin").actor)
        session.commit()
        row = created.row
        fields = ("id", "name", "prefix", "role", "created_by", "created_at", "revoked_at")
        return {**{name: getattr(row, name) for name in fields}, "key": created.key}


@blp.route("/api-keys/<uuid:key_id>")
class ApiKeyItem(MethodView):
    @blp.response(204)
    def delete(self, key_id: uuid.UUID) -> None:
        """吊销 API 密钥 / Revoke an API key"""
        session = get_session()
        accounts.revoke_api_key(session, key_id=key_id)
        session.commit()


def _page(stmt: Select[Any], key: InstrumentedAttribute[str], query: dict[str, Any]
          ) -> dict[str, Any]:
    """One page in the shared dialect, ordered by a unique text column (the cursor's key)."""
    session = get_session()
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    position = decode_cursor(query.get("cursor"), {key.key: str})
    if position is not None:
        stmt = stmt.where(key > position[key.key])
    rows = list(session.scalars(stmt.order_by(key).limit(query["limit"] + 1)))
    items, more = rows[:query["limit"]], len(rows) > query["limit"]
    last = getattr(items[-1], key.key) if more and items else None
    return {"items": items, "total": total or 0,
            "next_cursor": encode_cursor({key.key: last}) if last is not None else None}
