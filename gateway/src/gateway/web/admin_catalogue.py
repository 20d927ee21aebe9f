"""Every text of the admin pages as a (zh-CN, English) pair (merged into ``catalogue.MESSAGES``).

Kept apart from ``catalogue`` so the admin pages' words live beside each other; imports nothing
of the web package, so the catalogue can take it in without a cycle.
"""

from __future__ import annotations

from typing import Final

_P = "adm."
ADMIN_MESSAGES: Final[dict[str, tuple[str, str]]] = {f"{_P}{k}": v for k, v in {
    "nav.parameters": ("本地参数", "Local parameters"),
    "nav.parking": ("停放队列", "Parked messages"),
    "nav.accounts": ("账户与角色", "Accounts & roles"),
    "reason": ("原因", "Reason"),
    "reason_hint": ("必填，将记入审计 / 修改记录", "Required; kept in the audit trail"),
    "refused": ("未执行：{message}", "Not done: {message}"),
    "refresh": ("刷新", "Refresh"),
    "none": ("暂无", "None yet"),
    "when": ("时间", "When"), "who": ("操作人", "By"), "what": ("操作", "Action"),
    "history": ("修改记录", "Change history"),
    # local parameters
    "par.title": ("本地参数", "Local parameters"),
    "par.lead": ("各梯队认定标准中由区局自定的门槛。修改须先预览："
                 "列出因此新达标和不再达标的企业及原因，确认后再生效。",
                 "Thresholds the district sets in each tier's standard. A change"
                 " is previewed first — which firms newly qualify or stop qualifying, and why — "
                 "and takes effect only when you activate it."),
    "par.tier": ("梯队", "Tier"), "par.meaning": ("条件及含义", "Criterion and meaning"),
    "par.citation": ("依据", "Source"), "par.default": ("规则默认值", "Rulebook default"),
    "par.value": ("现行值", "In force"), "par.changed": ("最近修改", "Last change"),
    "par.edit": ("修改并预览", "Change and preview"),
    "par.overridden": ("已由区局设定", "set by the district"),
    "par.placeholder": ("默认值为占位值，待核实", "The default is a placeholder, to be confirmed"),
    "par.new_value": ("新值", "New value"),
    "par.restore": ("恢复规则默认值", "Restore the rulebook default"),
    "par.preview": ("预览影响", "Preview the impact"),
    "par.rerun": ("按现行参数重新评价", "Re-evaluate on the parameters in force"),
    "par.rerun_lead": ("规则修订发布后使用：参数不变，按新规则重新评价全部企业；"
                       "同样先预览，再生效。",
                       "After a release that corrects the rules: no parameter changes, every"
                       " firm is evaluated again under the new rules; previewed first, then"
                       " activated."),
    "par.unit_hint": ("单位：{unit}", "Unit: {unit}"),
    "par.from_to": ("{name}：{before} → {after}", "{name}: {before} → {after}"),
    # re-evaluation preview
    "re.title": ("变更预览", "Change preview"),
    "re.status": ("状态", "Status"), "re.proposal": ("拟修改", "Proposed change"),
    "re.gains": ("新达标", "Newly qualify"), "re.losses": ("不再达标", "No longer qualify"),
    "re.changes": ("得分变化", "Score changes"), "re.all": ("全部", "All"),
    "re.firm": ("企业", "Firm"), "re.before": ("变更前", "Before"), "re.after": ("变更后", "After"),
    "re.why": ("原因（变化的条件）", "Why (criteria that changed)"),
    "re.met": ("新满足：", "now met: "), "re.lost": ("不再满足：", "no longer met: "),
    "re.no_impact": ("此变更不影响任何企业的认定结果。", "This change affects no firm's result."),
    "re.running": ("正在计算影响，请稍候刷新。", "Computing the impact; refresh in a moment."),
    "re.activate": ("确认生效", "Activate"),
    "re.activate_lead": ("生效后按新参数重新评价全部企业，排名随之更新。", "Activating applies the"
                         " change and re-evaluates every firm; the rankings follow."),
    "re.activating": ("正在生效并重新评价全部企业。", "Applying and re-evaluating every firm."),
    "re.activated": ("已生效：{who}，{when}。", "Activated by {who} at {when}."),
    "re.stale": ("参数已变更：预览之后本地参数又被修改，此预览已过时，不能生效。"
                 "请按当前参数重新预览。",
                 "The parameters changed after this preview, so it is out of date and cannot be"
                 " activated. Preview again on the parameters now in force."),
    "re.again": ("按当前参数重新预览", "Preview again"),
    "re.failed": ("未能完成：{error}", "Did not finish: {error}"),
    "re.reason": ("提出原因", "Reason given"), "re.by": ("提出人", "Proposed by"),
    "st.pending": ("排队中", "Queued"), "st.previewing": ("计算影响中", "Computing impact"),
    "st.previewed": ("已预览，待生效", "Previewed, not active"),
    "st.activating": ("生效中", "Activating"), "st.activated": ("已生效", "Active"),
    "st.failed": ("未完成", "Failed"),
    # parking
    "pk.title": ("停放队列", "Parked messages"),
    "pk.lead": ("多次处理失败而被搁置的消息。查明原因并修正后，可重放：消息按原样重新投递一次。",
                "Messages set aside after failing repeatedly. Once the cause is fixed, replay"
                " them: each is delivered once more, as it was."),
    "pk.service": ("服务", "Service"),
    "pk.no_ledger": ("该服务尚未提供停放队列的查看接口；其停放消息仅能由运维在消息队列中查看。",
                     "This service does not expose its parked messages yet; operators see them"
                     " in the broker only."),
    "pk.type": ("消息类型", "Message"), "pk.parked_at": ("停放时间", "Parked at"),
    "pk.why": ("失败原因", "Why it failed"), "pk.attempts": ("尝试次数", "Attempts"),
    "pk.summary": ("内容摘要", "What it is about"), "pk.state": ("状态", "State"),
    "pk.inspect": ("查看", "Inspect"), "pk.replay": ("重放", "Replay"),
    "pk.replay_all": ("全部重放", "Replay all"),
    "pk.replay_all_lead": ("重放本服务全部处于停放状态的消息（共 {n} 条）。",
                           "Replay every parked message of this service ({n} in all)."),
    "pk.replayed_n": ("已请求重放 {n} 条消息。", "Replay requested for {n} messages."),
    "pk.empty": ("没有停放的消息。", "No parked messages."),
    "pk.filter_all": ("全部状态", "Any state"),
    "pk.body": ("消息内容", "Message body"), "pk.headers": ("消息头", "Headers"),
    "pk.queue": ("来源队列", "Source queue"),
    "pk.requested_by": ("重放请求人", "Replay requested by"),
    "pk.replayed_at": ("重放时间", "Replayed at"),
    "pks.parked": ("停放中", "Parked"), "pks.replay_requested": ("已请求重放", "Replay requested"),
    "pks.replayed": ("已重放", "Replayed"),
    "svc.registry": ("企业库", "Registry"), "svc.scoring": ("评价", "Scoring"),
    "svc.notify": ("通知", "Notifications"),
    # accounts
    "ac.title": ("账户与角色", "Accounts and roles"),
    "ac.lead": ("局内账户（管理员、专员、只读）与企业账户。每次修改须说明原因，并记入审计。",
                "Bureau accounts (admin, curator, viewer) and enterprise accounts. Every change"
                " needs a reason and is audited."),
    "ac.search": ("搜索", "Search"), "ac.search_hint": ("用户名、姓名或信用代码", "User name, name"
                                                      " or credit code"),
    "ac.any_role": ("全部角色", "Any role"), "ac.username": ("用户名", "User name"),
    "ac.display": ("姓名", "Name"), "ac.role": ("角色", "Role"), "ac.state": ("状态", "State"),
    "ac.active": ("启用", "Active"), "ac.inactive": ("已停用", "Disabled"),
    "ac.created": ("创建时间", "Created"), "ac.count": ("共 {n} 个账户", "{n} accounts"),
    "ac.create": ("新建局内账户", "New bureau account"),
    "ac.password": ("初始密码", "Initial password"),
    "ac.password_hint": ("至少 12 位；请当面或电话告知本人，首次登录后自行修改",
                         "At least 12 characters; tell the person directly"),
    "ac.change_role": ("更改角色", "Change role"),
    "ac.disable": ("停用账户", "Disable account"), "ac.enable": ("启用账户", "Enable account"),
    "ac.disable_lead": ("停用后该账户立即退出所有登录，且不能再登录。",
                        "A disabled account is signed out everywhere at once and cannot sign"
                        " in."),
    "ac.firm": ("所属企业", "Firm"),
    "ac.enterprise_role": ("企业账户的角色不可更改。", "An enterprise account's role is fixed."),
    "ac.self": ("这是您自己的账户：不能在此停用或更改角色。", "This is your own account: it cannot"
                " be disabled or given another role here."),
    "ac.saved": ("已保存。", "Saved."),
    "role.admin": ("管理员", "Admin"), "role.curator": ("专员", "Curator"),
    "role.viewer": ("只读", "Viewer"), "role.enterprise": ("企业", "Enterprise"),
    "act.account.create": ("新建账户", "Account created"),
    "act.account.role": ("更改角色", "Role changed"),
    "act.account.disable": ("停用账户", "Account disabled"),
    "act.account.enable": ("启用账户", "Account enabled"),
    "act.parking.replay": ("重放消息", "Message replayed"),
    "act.parking.replay_all": ("全部重放", "All replayed"),
    "act.reevaluation.activate": ("参数变更生效", "Parameter change activated"),
}.items()}

#: Event types in words (the contracts' ``type``).
EVENT_TYPES: Final = {
    "registry.enterprise.changed": ("企业信息变更", "Enterprise changed"),
    "registry.pipeline.moved": ("培育库阶段变动", "Pool stage moved"),
    "registry.certification.expiring": ("资质即将到期", "Certification expiring"),
    "registry.contacts.changed": ("联系人变更", "Contacts changed"),
    "registry.round.changed": ("入库批次变更", "Reserve round changed"),
    "registry.cultivation.changed": ("培育服务变更", "Cultivation changed"),
    "registry.submission.submitted": ("企业自报已提交", "Yearly report submitted"),
    "registry.submission.reviewed": ("企业自报已审核", "Yearly report reviewed"),
    "scoring.eligibility.changed": ("认定资格变化", "Eligibility changed"),
    "notify.delivery.requested": ("通知发送", "Notice delivery"),
}
