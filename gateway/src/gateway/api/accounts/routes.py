"""/api/v1/accounts: admins manage bureau and enterprise accounts and machine API keys."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway import account_handlers as accounts
from gateway.api.accounts.schemas import AccountCreate
from gateway.api.accounts.schemas import AccountOut
from gateway.api.accounts.schemas import AccountPatch
from gateway.api.accounts.schemas import AccountQuery
from gateway.api.accounts.schemas import ApiKeyCreate
from gateway.api.accounts.schemas import ApiKeyCreated
from gateway.api.accounts.schemas import ApiKeyOut
from gateway.auth import ensure
from gateway.handlers import revoke_all_sessions
from gateway.models import Account
from gateway.models import ApiKey
from yumiao_common.db import get_session

blp = Blueprint("accounts", __name__, url_prefix="/api/v1/accounts",
                description="账户与 API 密钥（管理员） / Accounts and API keys (admin)")


@blp.before_request
def _admins_only() -> None:
    ensure("admin")


@blp.route("")
class Accounts(MethodView):
    @blp.arguments(AccountQuery, location="query")
    @blp.response(200, AccountOut(many=True))
    def get(self, query: dict[str, str]) -> list[Account]:
        """账户列表 / List accounts"""
        return accounts.list_accounts(get_session(), role=query.get("role"))

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


@blp.route("/api-keys")
class ApiKeys(MethodView):
    @blp.response(200, ApiKeyOut(many=True))
    def get(self) -> list[ApiKey]:
        """API 密钥列表 / List API keys"""
        return accounts.list_api_keys(get_session())

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
