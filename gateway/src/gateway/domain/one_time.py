"""One-time secrets and the words of the messages that carry them (pure: no I/O, no Flask).

A link token is 256 random bits (``secrets.token_urlsafe``); an SMS code is six digits. Both
are stored only as an HMAC-SHA256 under the gateway's signing key, so a copy of the database
alone does not turn a six-digit code back into a working one (a plain hash of a code is
reversed by trying all million). A code's HMAC also binds the row's id, so two rows holding
the same digits never collide on the unique column.

Message texts are zh-CN first with English beside them, as every text Yumiao sends.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from yumiao_common.clock import BEIJING

CODE_DIGITS = 6
SET_PASSWORD_PATH = "/account/set-password"


def new_link_token() -> str:
    return secrets.token_urlsafe(32)


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


def link_hash(key: str, token: str) -> str:
    return hmac.new(key.encode(), f"link:{token}".encode(), hashlib.sha256).hexdigest()


def code_hash(key: str, row_id: str, code: str) -> str:
    return hmac.new(key.encode(), f"code:{row_id}:{code}".encode(), hashlib.sha256).hexdigest()


def same_code(key: str, row_id: str, code: str, stored: str) -> bool:
    return hmac.compare_digest(code_hash(key, row_id, code.strip()), stored)


def set_password_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}{SET_PASSWORD_PATH}?token={token}"


def beijing(moment: datetime) -> str:
    """``2026-12-09 18:00`` in China Standard Time (what the reader's clock says)."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Text:
    subject: str
    body: str
    sms_params: dict[str, str]


def invitation_text(*, name: str, uscc: str, link: str, expires_at: datetime) -> Text:
    until = beijing(expires_at)
    body = (f"{name}：\n区科技局已为贵企业开通育苗平台账户，登录名为统一社会信用代码 {uscc}。"
            f"请在 {until}（北京时间）前打开以下链接设置密码（仅可使用一次）：\n{link}\n\n"
            f"{name}: the district science bureau has opened a Yumiao account for your firm; "
            f"the user name is the credit code {uscc}. Set its password with this one-time "
            f"link before {until} (Beijing time):\n{link}\n")
    return Text("育苗平台账户已开通 / Your Yumiao account is ready", body,
                {"name": name[:20], "link": link})


def reset_link_text(*, name: str, uscc: str, link: str, expires_at: datetime) -> Text:
    until = beijing(expires_at)
    body = (f"有人为账户 {uscc}（{name}）申请了重置密码。若是您本人，请在 {until}（北京时间）前"
            f"打开以下链接设置新密码（仅可使用一次）；若不是，请忽略本邮件，密码不会改变。\n{link}\n\n"
            f"Someone asked to reset the password of account {uscc} ({name}). If it was you, "
            f"set a new one with this one-time link before {until} (Beijing time); if not, "
            f"ignore this message: the password stays as it is.\n{link}\n")
    return Text("重置育苗平台密码 / Reset your Yumiao password", body,
                {"name": name[:20], "link": link})


def reset_code_text(*, name: str, uscc: str, code: str, minutes: int) -> Text:
    body = (f"您正在重置育苗平台账户 {uscc} 的密码，验证码 {code}，{minutes} 分钟内有效。"
            f"如非本人操作请忽略。 / Your Yumiao password reset code for {uscc} is {code}, "
            f"valid for {minutes} minutes. Ignore this if you did not ask for it.")
    return Text("育苗平台验证码 / Yumiao verification code", body,
                {"code": code, "minutes": str(minutes)})
