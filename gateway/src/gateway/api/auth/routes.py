"""/api/v1/auth: sign in, refresh, sign out; the browser session; changing one's password.

Bearer clients: ``POST login`` → access (~15 min) + refresh token; ``POST refresh`` spends the
refresh token for a new pair; ``POST logout`` revokes the login. Browsers: ``POST session``
sets an HttpOnly SameSite=Lax cookie and returns the CSRF token; ``GET session`` returns it
again; ``DELETE session`` signs out. Sign-in and password change are rate-limited per client
address (by ``gateway.frontdoor.gate``, before the body is read) and per account (failed checks, in
``handlers.sessions.authenticate``).
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.adapters.password_hashing import hash_password
from gateway.adapters.ratelimit import enforce
from gateway.api.auth.schemas import LoginIn
from gateway.api.auth.schemas import PasswordChangeIn
from gateway.api.auth.schemas import RefreshIn
from gateway.api.auth.schemas import SessionOut
from gateway.api.auth.schemas import TokensOut
from gateway.domain.passwords import password_problems
from gateway.domain.principal import Via
from gateway.domain.principal import principal_for_account
from gateway.frontdoor.credentials import csrf_token
from gateway.frontdoor.credentials import current_principal
from gateway.frontdoor.credentials import ensure
from gateway.frontdoor.credentials import login_browser
from gateway.frontdoor.credentials import logout_browser
from gateway.frontdoor.credentials import settings
from gateway.frontdoor.credentials import signer
from gateway.handlers import sessions
from gateway.models import Account
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import Unauthorized
from yumiao_common.web.errors import ValidationFailed

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth",
                description="登录与会话 / Sign-in and sessions")
PUBLIC: list[dict[str, list[str]]] = []  # OpenAPI: no credentials needed


def _principal_of(account: Account, via: Via) -> dict[str, Any]:
    return principal_for_account(account_id=str(account.id), username=account.username,
                                 role=account.role, uscc=account.uscc, via=via).public()


def _tokens(pair: sessions.TokenPair) -> dict[str, Any]:
    return {"access_token": pair.access_token, "refresh_token": pair.refresh_token,
            "token_type": "Bearer", "expires_in": pair.expires_in,
            "principal": _principal_of(pair.account, Via.BEARER)}


@blp.route("/login")
class Login(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.arguments(LoginIn)
    @blp.response(200, TokensOut)
    def post(self, body: dict[str, str]) -> dict[str, Any]:
        """登录，获取访问令牌与刷新令牌 / Sign in for an access and a refresh token"""
        enforce("login", settings().ratelimit_login)
        session = get_session()
        account = sessions.authenticate(session, username=body["username"],
                                        password=body["password"])
        pair = sessions.issue_tokens(session, account=account, signer=signer(),
                                     refresh_ttl=settings().refresh_token_seconds)
        session.commit()
        return _tokens(pair)


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.arguments(RefreshIn)
    @blp.response(200, TokensOut)
    def post(self, body: dict[str, str]) -> dict[str, Any]:
        """用刷新令牌换取新令牌（刷新令牌轮换） / Rotate the refresh token for a new pair"""
        session = get_session()
        try:
            pair = sessions.rotate_refresh_token(
                session, refresh_token=body["refresh_token"], signer=signer(),
                refresh_ttl=settings().refresh_token_seconds)
        finally:
            session.commit()  # a detected reuse must stay revoked even though we refuse
        return _tokens(pair)


@blp.route("/logout")
class Logout(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.arguments(RefreshIn)
    @blp.response(204)
    def post(self, body: dict[str, str]) -> None:
        """退出登录：吊销该刷新令牌所属的整个登录 / Sign out: revoke this login"""
        session = get_session()
        sessions.logout_refresh_token(session, refresh_token=body["refresh_token"])
        session.commit()


@blp.route("/session")
class BrowserSession(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.arguments(LoginIn)
    @blp.response(200, SessionOut)
    def post(self, body: dict[str, str]) -> Response:
        """浏览器登录（设置会话 Cookie） / Browser sign-in (sets the session cookie)"""
        enforce("login", settings().ratelimit_login)
        session = get_session()
        account = sessions.authenticate(session, username=body["username"],
                                        password=body["password"])
        response = Response(status=200)
        browser = login_browser(response, account)
        session.commit()
        payload = SessionOut().dump({"principal": _principal_of(account, Via.COOKIE),
                                     "csrf_token": browser.csrf_token,
                                     "expires_at": browser.expires_at})
        response.set_data(jsonify(payload).get_data())
        response.mimetype = "application/json"
        return response

    @blp.response(200, SessionOut)
    def get(self) -> dict[str, Any]:
        """当前浏览器会话与 CSRF 令牌 / The current browser session and its CSRF token"""
        principal = current_principal()
        if principal.via != Via.COOKIE:
            raise Unauthorized("未通过浏览器会话登录 / No browser session")
        return {"principal": principal.public(), "csrf_token": csrf_token(), "expires_at": None}

    @blp.response(204)
    def delete(self) -> Response:
        """浏览器退出（需 CSRF 令牌） / Browser sign-out (needs the CSRF token)"""
        current_principal()  # checks CSRF for a cookie-authenticated caller
        response = Response(status=204)
        logout_browser(response)
        get_session().commit()
        return response


@blp.route("/password")
class Password(MethodView):
    @blp.arguments(PasswordChangeIn)
    @blp.response(204)
    def post(self, body: dict[str, str]) -> None:
        """修改本人密码（所有登录随之失效） / Change my password (ends every login)"""
        principal = ensure()
        if principal.account_id is None:
            raise ValidationFailed("API 密钥没有密码 / API keys have no password")
        session = get_session()
        # principal.name is the user name (the credit code for enterprise accounts)
        account = sessions.authenticate(session, username=principal.name,
                                        password=body["current_password"], purpose="password")
        problems = password_problems(body["new_password"])
        if problems:
            raise ValidationFailed(fields={"new_password": problems})
        account.password_hash = hash_password(body["new_password"])
        sessions.revoke_all_sessions(session, account_id=account.id)
        session.commit()
