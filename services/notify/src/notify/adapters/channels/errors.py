"""How a channel says a push failed: temporary (retry with back-off) or permanent (park).

``reason`` is what the enterprise may read (it reaches the notice's ``failure_reason``): a
coarse status such as 投递失败：目标不可达 / delivery failed: unreachable, never what the target
answered, so a webhook cannot be used to probe what listens where. ``detail`` is the
bureau's precise reason (status code, error class); it goes to the logs and the parking
lot (admin only), never into anything an enterprise can read.
"""

from __future__ import annotations

NOT_ALLOWED = "投递失败：目标地址不允许 / delivery failed: target address not allowed"
UNREACHABLE = "投递失败：目标不可达 / delivery failed: unreachable"
TIMED_OUT = "投递失败：目标超时 / delivery failed: timed out"
REFUSED = "投递失败：接收方拒绝 / delivery failed: refused by the receiver"
MAIL_REFUSED = "投递失败：邮件被拒收 / delivery failed: mail refused"
MAIL_UNAVAILABLE = "投递失败：邮件服务暂不可用 / delivery failed: mail service unavailable"
#: The bureau's relay refused our login or encryption (its side to fix, not the enterprise's).
MAIL_MISCONFIGURED = ("投递失败：邮件服务配置有误（加密或登录被拒） / "
                      "delivery failed: mail service misconfigured (encryption or login refused)")
NO_SECRET = "投递失败：未配置签名密钥 / delivery failed: no webhook secret"
INTERNAL = "投递失败：内部错误 / delivery failed: internal error"


class DeliveryFailed(Exception):
    def __init__(self, reason: str, *, permanent: bool, detail: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.detail = detail
