"""The words of the account-access pages (set a password, reset it, sign-in history) as
(zh-CN, English) pairs, merged into ``catalogue.MESSAGES``; imports nothing of the web package."""

from __future__ import annotations

from typing import Final

_P = "acc."
ACCOUNT_MESSAGES: Final[dict[str, tuple[str, str]]] = {f"{_P}{k}": v for k, v in {
    "set.title": ("设置密码", "Set your password"),
    "set.lead": ("为企业账户 {uscc}（{name}）设置密码。此链接只能使用一次。",
                 "Set the password of the enterprise account {uscc} ({name}). This link works "
                 "once."),
    "set.bad": ("此链接无法使用", "This link cannot be used"),
    "set.ask_again": ("重新申请重置密码", "Ask for a new reset"),
    "set.done": ("密码已设置。请使用统一社会信用代码 {username} 和新密码登录。",
                 "Your password is set. Sign in with the credit code {username} and it."),
    "new_password": ("新密码（至少 8 位）", "New password (at least 8 characters)"),
    "confirm": ("再次输入新密码", "New password again"),
    "mismatch": ("两次输入的密码不一致", "The two passwords differ"),
    "save": ("设置密码", "Set password"),
    "to_login": ("去登录", "Sign in"),
    "reset.title": ("找回密码", "Reset your password"),
    "reset.lead": ("企业账户可通过科技局登记的联系人手机（验证码）或邮箱（链接）重置密码；"
                   "局内账户请联系管理员。",
                   "Enterprise accounts reset their password through a contact registered "
                   "with the bureau: a code by SMS or a link by e-mail. Bureau staff ask an "
                   "admin."),
    "username": ("统一社会信用代码", "Credit code"),
    "channel": ("接收方式", "Receive by"),
    "channel.sms": ("短信验证码", "SMS code"),
    "channel.email": ("邮件链接", "E-mail link"),
    "send": ("发送", "Send"),
    "sent": ("如该账户存在并留有同意接收的联系方式，验证码或链接已发出，请查收。",
             "If the account exists and has a contact who agreed to receive it, a code or "
             "link is on its way."),
    "have_code": ("已收到验证码？在此设置新密码", "Got the code? Set a new password here"),
    "code.title": ("输入验证码", "Enter the code"),
    "code": ("短信验证码（6 位数字）", "SMS code (6 digits)"),
    "history.title": ("登录记录", "Sign-in history"),
    "history.lead": ("本账户最近的登录与失败尝试；地址为平台所见的客户端地址。"
                     "如有陌生记录，请立即修改密码。",
                     "Recent sign-ins and failed attempts of this account, with the client "
                     "address the platform saw. If you do not recognise one, change your "
                     "password now."),
    "history.at": ("时间（北京时间）", "Time (Beijing)"),
    "history.ip": ("地址", "Address"),
    "history.ok": ("结果", "Outcome"),
    "history.method": ("方式", "How"),
    "history.success": ("成功", "Signed in"),
    "history.failure": ("失败（密码错误）", "Failed (wrong password)"),
    "history.none": ("暂无登录记录。", "No sign-ins yet."),
    "history.more": ("更早的记录", "Older"),
    "method.api": ("接口", "API"),
    "method.browser": ("浏览器（接口）", "Browser (API)"),
    "method.web": ("登录页", "Sign-in page"),
    "csrf": ("页面已过期，请刷新后重试", "The page expired: reload and try again"),
    "inv.title": ("企业账户邀请", "Enterprise invitations"),
    "inv.lead": ("为所选培育库（或筛选条件）中尚无账户的企业开通账户，"
                 "并向其同意接收的联系人发送一次性设置密码链接（每家一条：有邮箱发邮件，否则发短信）。",
                 "Open an account for every firm of the chosen pool (or filter) that has none, "
                 "and send one set-password link to a contact who agreed to receive it (one "
                 "message per firm: e-mail if there is one, else SMS)."),
    "inv.pool": ("培育库", "Pool"), "inv.stage": ("阶段（可选）", "Stage (optional)"),
    "inv.any": ("不限", "Any"),
    "inv.channel": ("发送方式", "Send by"), "inv.channel.auto": ("自动（先邮件后短信）",
                                                                 "Automatic (e-mail, else SMS)"),
    "inv.channel.email": ("仅邮件", "E-mail only"), "inv.channel.sms": ("仅短信", "SMS only"),
    "inv.send": ("开通并发送邀请", "Open accounts and send"),
    "inv.done": ("筛选到 {matched} 家；已有账户 {existing} 家；新开通 {invited} 家：已发送 {sent}，"
                 "无可用联系人 {no_contact}，发送失败 {failed}。",
                 "{matched} firms found; {existing} already had an account; {invited} opened: "
                 "{sent} sent, {no_contact} without a consenting contact, {failed} failed."),
    "inv.state": ("状态", "State"), "inv.firm": ("企业", "Firm"), "inv.to": ("发往", "Sent to"),
    "inv.expires": ("链接有效期至", "Link valid until"), "inv.sends": ("发送次数", "Sends"),
    "inv.resend": ("重新发送", "Send again"),
    "inv.state.sent": ("已发送", "Sent"), "inv.state.expired": ("链接已过期", "Link expired"),
    "inv.state.accepted": ("已设置密码", "Password set"),
    "inv.state.no_contact": ("无可用联系人", "No consenting contact"),
    "inv.state.send_failed": ("发送失败", "Sending failed"),
    "inv.none": ("暂无邀请。", "No invitations yet."),
    "inv.count": ("共 {n} 条", "{n} invitations"),
    "inv.recent": ("最近登录", "Recent sign-ins"),
}.items()}

#: The audit trail's words for what invitations and resets did (``admin_actions.action``).
ACCOUNT_ACTIONS: Final[dict[str, tuple[str, str]]] = {
    "adm.act.account.invite": ("开通账户并发送邀请", "Invited (account opened)"),
    "adm.act.account.invitation_resend": ("重新发送邀请", "Invitation sent again"),
    "adm.act.account.password_set": ("通过邀请链接设置密码", "Password set with the invitation"),
    "adm.act.account.reset_requested": ("申请重置密码", "Password reset asked for"),
    "adm.act.account.password_reset": ("自助重置密码", "Password reset"),
}
