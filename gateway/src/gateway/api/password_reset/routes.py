"""/api/v1/auth/password-reset: ask for a reset code or link; set a password with one.

``POST`` answers 202 with the same words, in the same time (at least
``reset_answer_seconds``), whether or not the account exists; the message is sent to notify
after the answer. It is rate-limited per client address (by the gate, before the body is read)
and per user name (counted whether or not the account exists). ``POST complete`` takes a
link's token (an invitation or an e-mailed reset) or a user name and SMS code, and the new
password; wrong codes are limited per user name and per code.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from gateway.api.password_reset.schemas import ResetAnswer
from gateway.api.password_reset.schemas import ResetCompleteIn
from gateway.api.password_reset.schemas import ResetDone
from gateway.api.password_reset.schemas import ResetRequestIn
from gateway.frontdoor.account_access import ask_for_reset
from gateway.frontdoor.account_access import complete
from gateway.handlers import password_reset

blp = Blueprint("password_reset", __name__, url_prefix="/api/v1/auth/password-reset",
                description="找回密码与一次性链接 / Password reset and one-time links")
PUBLIC: list[dict[str, list[str]]] = []
DONE = "密码已设置，请用新密码登录 / Password set: sign in with it"


@blp.route("")
class ResetRequest(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.arguments(ResetRequestIn)
    @blp.response(202, ResetAnswer)
    def post(self, body: dict[str, str]) -> dict[str, str]:
        """申请重置密码（短信验证码或邮件链接；是否存在该账户，回答都一样） / Ask for a
        password reset (SMS code or e-mail link; the same answer whether or not the account
        exists)"""
        ask_for_reset(body["username"], body["channel"])
        return {"message": password_reset.SAME_ANSWER}


@blp.route("/complete")
class ResetComplete(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.arguments(ResetCompleteIn)
    @blp.response(200, ResetDone)
    def post(self, body: dict[str, Any]) -> dict[str, str]:
        """用一次性链接或验证码设置新密码（所有登录随之失效） / Set a new password with a
        one-time link or code (ends every login)"""
        account = complete(body)
        return {"username": account.username, "message": DONE}
