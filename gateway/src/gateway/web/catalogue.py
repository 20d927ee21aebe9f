"""Every text of the web UI as a (zh-CN, English) pair, keyed by a dotted name.

One flat dict rather than gettext catalogues: no compile step, no build tooling, and a missing
English text is impossible (each entry is a pair). ``i18n.t`` looks texts up.
"""

from __future__ import annotations

from typing import Final

from gateway.web.account_catalogue import ACCOUNT_ACTIONS
from gateway.web.account_catalogue import ACCOUNT_MESSAGES
from gateway.web.admin_catalogue import ADMIN_MESSAGES
from yumiao_common.vocabulary.choices import PROFILE_CHOICES

TIERS: Final = {
    "hnte": ("高新技术企业", "High-tech enterprise"),
    "tech_sme": ("科技型中小企业", "Tech-based SME"),
    "innovative_sme": ("创新型中小企业", "Innovative SME"),
    "srdi_sme": ("专精特新中小企业", "Specialised SME (SRDI)"),
    "little_giant": ("专精特新“小巨人”", "Little giant"),
    "agri_leader_national": ("国家级农业产业化龙头企业", "National agricultural leader"),
    "agri_leader_provincial": ("省级农业产业化龙头企业", "Provincial agricultural leader"),
    "agri_leader_municipal": ("市级农业产业化龙头企业", "Municipal agricultural leader"),
}
STAGES: Final = {
    "nominated": ("提名", "Nominated"), "screened": ("遴选", "Screened"),
    "admitted": ("入库", "Admitted"), "cultivating": ("培育", "Cultivating"),
    "applied": ("申报", "Applied"), "certified": ("认定", "Certified"),
    "rejected": ("未通过", "Rejected"), "withdrawn": ("退库", "Withdrawn"),
}
#: Firms one ranking export holds: scoring's ``EXPORT_CAP`` (a test holds them equal); past
#: it the rankings page says so instead of offering a download scoring would refuse.
RANKING_EXPORT_CAP: Final = 50_000
POOLS: Final = {
    "hnte_reserve": ("高企后备库", "High-tech reserve"),
    "tech_sme": ("科技型中小企业库", "Tech-based SME pool"),
    "innovative_sme": ("创新型中小企业", "Innovative SME"),
    "srdi_sme": ("专精特新中小企业", "Specialised SME"),
    "little_giant": ("专精特新“小巨人”", "Little giant"),
    "agri_leader_district": ("区级龙头企业", "District agri leader"),
    "agri_leader_municipal": ("市级龙头企业", "Municipal agri leader"),
    "agri_leader_provincial": ("省级龙头企业", "Provincial agri leader"),
    "agri_leader_national": ("国家级龙头企业", "National agri leader"),
    "listing_reserve": ("上市后备库", "Listing reserve"),
}
VERDICTS: Final = {
    "eligible": ("符合条件", "Eligible"), "near": ("差距较小", "Near miss"),
    "unknown": ("信息不足", "Not enough data"), "ineligible": ("暂不符合", "Not eligible"),
}
#: ``review``: an official criterion the profile cannot decide (scoring marks it for expert /
#: bureau review; it is never a pass — the tier's verdict stays ``unknown``).
STATUSES: Final = {"pass": ("达标", "Met"), "fail": ("未达标", "Not met"),
                   "unknown": ("未知", "Unknown"), "review": ("待评审", "Needs review")}

_UI: Final[dict[str, tuple[str, str]]] = {
    "app.name": ("育苗 · 企业梯度培育", "Yumiao · Enterprise cultivation"),
    "app.org": ("东昌府区科学技术局", "Dongchangfu District S&T Bureau"),
    "nav.skip": ("跳到正文", "Skip to content"),
    "nav.dashboard": ("目标看板", "Dashboard"),
    "nav.rankings": ("梯队排名", "Rankings"),
    "nav.enterprises": ("企业", "Enterprises"),
    "nav.imports": ("导入", "Import"),
    "nav.rounds": ("年度遴选", "Rounds"),
    "nav.submissions": ("自报审核", "Submission review"),
    "nav.my_submissions": ("年度自报", "Yearly report"),
    "nav.worklist": ("工作清单", "Worklist"),
    "nav.exports": ("导出", "Export"),
    "nav.policies": ("政策库", "Policies"),
    "nav.my_policies": ("可申报政策", "Policies for me"),
    "nav.my_problems": ("我反映的问题", "My problems"),
    "nav.my": ("我的资格", "My eligibility"),
    "nav.whatif": ("假设测算", "What-if"),
    "nav.notices": ("我的通知", "My notices"),
    "nav.my_contacts": ("联系人", "Contacts"),
    "nav.preferences": ("通知偏好", "Preferences"),
    "nav.check": ("资格自测", "Self-check"),
    "nav.login": ("登录", "Sign in"),
    "nav.logout": ("退出", "Sign out"),
    "nav.lang": ("English", "中文"),
    "nav.signed_in_as": ("当前用户", "Signed in as"),
    "login.title": ("登录", "Sign in"),
    "login.username": ("用户名（企业请填统一社会信用代码）",
                       "User name (enterprises: credit code)"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.anonymous_hint": ("无需登录即可进行资格自测：", "No account needed for the self-check:"),
    "login.expired": ("请先登录", "Please sign in first"),
    "login.forgot": ("忘记密码？", "Forgot your password?"),
    "login.forgot_how": ("企业账户可凭科技局登记的联系人手机或邮箱自助重置；"
                         "无法收到时，请携营业执照复印件联系科技局企业服务窗口，核实后重置。",
                         "Enterprise accounts reset it themselves through a contact registered "
                         "with the bureau (SMS or e-mail); if none reaches you, bring a copy of "
                         "the business licence to the bureau's enterprise service desk, which "
                         "resets it once it has checked who you are."),
    "login.help": ("使用帮助：登录名为统一社会信用代码（18 位）；工作时间（周一至周五 9:00–17:00）"
                   "可联系东昌府区科学技术局企业服务窗口。",
                   "Help: enterprises sign in with their 18-character credit code; the "
                   "Dongchangfu District S&T Bureau's enterprise service desk helps on working "
                   "days, 9:00–17:00."),
    "dash.title": ("2025 年目标完成情况", "2025 targets against today"),
    "dash.lead": ("依据《东昌府区三年行动计划（2023-2025年）》第 8、9、65 条",
                  "Per items 8, 9 and 65 of the district's 2023–2025 action plan"),
    "dash.target": ("目标", "Target"), "dash.today": ("当前", "Today"),
    "dash.gap": ("尚差", "Still needed"), "dash.done": ("已完成", "Reached"),
    "dash.funnel": ("培育流程漏斗（按库与阶段）", "Pipeline funnel by pool and stage"),
    "dash.members": ("在库企业", "Members"),
    "dash.certified_total": ("认定（累计）", "Certified (all time)"),
    "dash.funnel_note": ("“认定”为历年经培育流程认定的累计数，不是本年新增；"
                         "其他阶段为当前在该阶段的企业数。",
                         "“Certified” counts every firm ever certified through the pipeline, "
                         "not this year's; the other stages count firms in that stage now."),
    "dash.pool": ("培育库", "Pool"),
    "dash.note": ("口径：持有有效证书的企业数；龙头企业为 2023 年以来经培育流程新认定的企业数；"
                  "后备库为本年度新入库（提名）数。",
                  "Counting: enterprises holding a valid certificate; agricultural leaders: firms "
                  "newly certified through the pipeline since 2023; reserve pool: nominated "
                  "this year."),
    "target.hnte": ("高新技术企业", "High-tech enterprises"),
    "target.srdi": ("省级以上专精特新企业", "Provincial+ specialised (SRDI) SMEs"),
    "target.tech_sme": ("科技型中小企业", "Tech-based SMEs"),
    "target.agri": ("新增农业产业化龙头企业", "New agricultural leaders"),
    "target.reserve": ("高企后备库本年新入库", "New high-tech reserve entries this year"),
    "rank.title": ("梯队排名", "Rankings"),
    "rank.tier": ("梯队", "Tier"), "rank.verdict": ("结论", "Verdict"),
    "rank.town": ("镇街", "Town"), "rank.industry": ("行业代码前缀", "Industry prefix"),
    "rank.pool": ("培育库", "Pool"), "rank.any": ("全部", "All"),
    "rank.filter": ("筛选", "Filter"), "rank.position": ("名次", "#"),
    "rank.enterprise": ("企业", "Enterprise"), "rank.score": ("得分", "Score"),
    "rank.gaps": ("差距（还差什么）", "Gap (what is missing)"),
    "rank.total": ("共 {n} 家", "{n} enterprises in all"),
    "rank.order_rule": ("排序规则：符合条件的按得分从高到低；差距较小的按未达标条件数从少到多、"
                        "同数时按差距占要求的比例从小到大（不按得分）；其后为信息不足、暂不符合。",
                        "Order: eligible firms by score, highest first; near misses by the "
                        "number of unmet conditions, then by how far they fall short relative to "
                        "the requirement (not by score); then not enough data, then not eligible."),
    "rank.collect": ("需补充：", "Data to collect: "),
    "rank.other_routes": ("或满足其他直通条件之一（{n} 项）", "Or meet one of {n} direct routes"),
    "rank.no_gap": ("已满足全部条件", "Meets every condition"),
    "rank.next": ("下一页", "Next page"),
    "rank.export_too_large": ("共 {n} 家，超过单次导出上限 {cap} 家：请按镇街、行业或结论"
                              "筛选后导出",
                              "{n} firms, more than one export holds ({cap}): narrow it by "
                              "town, industry or verdict to export"),
    "rank.export": ("导出 Excel", "Export to Excel"), "rank.empty": ("没有符合条件的企业",
                                                                   "No enterprises match"),
    "ent.total": ("共 {n} 家企业", "{n} enterprises"),
    "ent.title": ("企业", "Enterprises"), "ent.search": ("名称或信用代码", "Name or credit code"),
    "ent.uscc": ("统一社会信用代码", "Credit code"), "ent.name": ("名称", "Name"),
    "ent.basics": ("基本信息", "Basics"), "ent.established": ("成立日期", "Established"),
    "ent.industry": ("行业", "Industry"), "ent.town": ("镇街", "Town"),
    "ent.financials": ("年度财务", "Annual figures"), "ent.year": ("年度", "Year"),
    "ent.revenue": ("营业收入", "Operating revenue"),
    "ent.sales": ("销售收入", "Sales revenue"),
    "ent.rd": ("研发费用", "R&D expense"),
    "ent.employees": ("职工人数", "Employees"),
    "ent.rd_staff": ("研发人员", "R&D staff"),
    "ent.profit": ("净利润", "Net profit"),
    "ent.assets": ("资产总额", "Total assets"),
    "ent.ip": ("知识产权", "Intellectual property"), "ent.kind": ("类型", "Kind"),
    "ent.number": ("编号", "Number"), "ent.granted": ("授权日", "Granted"),
    "ent.certs": ("资质证书", "Certifications"), "ent.issued": ("发证日", "Issued"),
    "ent.expires": ("到期日", "Expires"),
    "ent.pipeline": ("培育流程", "Pipeline"), "ent.stage": ("阶段", "Stage"),
    "ent.history": ("流转记录", "Stage history"), "ent.audit": ("审计记录", "Audit trail"),
    "ent.when": ("时间（北京时间）", "When (Beijing time)"),
    "time.zone": ("（北京时间）", "(Beijing time)"), "ent.actor": ("操作人", "By"),
    "ent.action": ("操作", "Action"), "ent.reason": ("原因", "Reason"),
    "ent.verdicts": ("各梯队评价", "Every tier's verdict"),
    "ent.notices": ("通知", "Notices"), "ent.none": ("暂无", "None yet"),
    "ent.unavailable": ("暂时无法获取：{reason}", "Not available right now: {reason}"),
    "move.title": ("流转", "Move"), "move.to": ("目标阶段", "Move to stage"),
    "move.reason": ("原因（必填）", "Reason (required)"), "move.submit": ("确认流转", "Move"),
    "move.nominate_to": ("提名至培育库", "Nominate to pool"),
    "move.nominate": ("提名", "Nominate"),
    "move.done": ("已流转至「{stage}」", "Moved to “{stage}”"),
    "move.refused": ("无法流转：{message}", "Move refused: {message}"),
    "move.illegal": ("不能从「{here}」直接流转到「{to}」。", "A member cannot move from “{here}” "
                     "straight to “{to}”."),
    "move.prerequisite": ("申报此层级须先持有下一层级的有效认定。",
                          "Applying for this rung needs a valid title of the rung below."),
    "move.stale": ("该企业的阶段刚被他人更新，下面已显示最新阶段，请确认后重新提交。",
                   "Someone else just moved this member; the current stage is shown below — "
                   "check it and submit again."),
    "move.already_member": ("该企业已在此培育库中。", "The enterprise is already in this pool."),
    "move.reason_missing": ("请填写流转原因。", "Please give the reason for the move."),
    "move.other": ("未能完成流转，请检查后重试。", "The move did not go through; check and "
                   "try again."),
    "move.reason_kept": ("您填写的原因已保留。", "The reason you typed is kept."),
    "move.allowed": ("当前阶段允许的流转：{moves}", "Moves allowed from this stage: {moves}"),
    "move.none": ("当前阶段没有可用的流转", "No move is allowed from this stage"),
    "crit.criterion": ("条件", "Criterion"), "crit.status": ("结果", "Result"),
    "crit.actual": ("实际", "Actual"), "crit.required": ("要求", "Required"),
    "crit.gap": ("差距", "Gap"), "crit.citation": ("依据", "Citation"),
    "crit.next_steps": ("下一步", "Next steps"), "crit.score": ("评分", "Score"),
    "crit.routes": ("其他直通条件（满足任一即可直接认定；已按评分达标的无需满足，{n} 项）",
                    "Direct routes (any one qualifies on its own; not needed when the score "
                    "passes; {n})"),
    "crit.local": ("含本地参数（未核实）", "Uses a local (unverified) parameter"),
    "crit.pending_review": ("须经评审确认", "Subject to review"),
    "crit.pending_review_lead": ("其余条件均已满足，以下事项须经专家或主管部门评审确认：",
                                 "Every other condition is met; these items must be confirmed "
                                 "by an expert or bureau review:"),
    "imp.title": ("Excel 导入", "Excel import"),
    "imp.lead": ("按模板填写企业与年度数据（每行一家企业的一个年度）后上传。",
                 "Fill in the template (one row per enterprise and fiscal year), then upload."),
    "imp.template": ("下载导入模板（XLSX）", "Download the template (XLSX)"),
    "imp.file": ("文件（XLSX 或 CSV）", "File (XLSX or CSV)"),
    "imp.dry_run": ("校验，未写入", "checked, nothing written"),
    "imp.submit": ("上传并校验", "Upload and check"),
    "imp.check_first": ("上传后先校验，不写入任何数据；校验通过后在结果页点“确认导入”"
                        "即可写入同一文件，无需再次上传。",
                        "The file is checked first and nothing is written; once the check "
                        "passes, “Import this file” on the result page writes the same file — "
                        "no second upload."),
    "imp.choose": ("请选择文件", "Choose a file"),
    "imp.gone": ("该文件已导入或已过期（保留一天），请重新上传。",
                 "This file was already imported or has expired (kept for a day); upload "
                 "it again."),
    "imp.will_write": ("将写入", "Will write"),
    "imp.will_write_n": ("文件含 {enterprises} 家企业、{rows} 条年度数据",
                         "The file holds {enterprises} enterprises, {rows} annual rows"),
    "imp.clean": ("校验通过：确认后将新建 {created} 家、更新 {updated} 家企业。",
                  "The check passed: importing creates {created} and updates {updated} "
                  "enterprises."),
    "imp.will_create": ("将新建 {created} 家，更新 {updated} 家", "{created} to create, "
                        "{updated} to update"),
    "imp.commit": ("确认导入此文件", "Import this file"),
    "imp.fix": ("未写入任何数据。请按下表修改文件后重新上传。",
                "Nothing was written. Correct the file as listed below and upload it again."),
    "imp.again": ("重新上传", "Upload again"),
    "imp.history": ("导入记录", "Import history"),
    "imp.no_history": ("尚无导入记录。", "No imports yet."),
    "imp.when": ("上传时间（北京时间）", "Uploaded (Beijing time)"),
    "imp.kind": ("类型", "Kind"), "imp.kind_check": ("校验", "Check"),
    "imp.kind_write": ("导入", "Import"), "imp.failed_rows": ("出错行", "Rows with errors"),
    "imp.job": ("导入任务", "Import job"), "imp.status": ("状态", "Status"),
    "imp.progress": ("进度", "Progress"), "imp.rows": ("{done} / {total} 行",
                                                     "{done} / {total} rows"),
    "imp.rows_done": ("已处理 {done} 行", "{done} rows processed"),
    "job.queued": ("排队中", "Queued"), "job.validating": ("校验中", "Validating"),
    "job.writing": ("写入中", "Writing"), "job.succeeded": ("导入成功", "Imported"),
    "job.validated": ("校验通过（尚未写入）", "Check passed (not written yet)"),
    "job.failed": ("未导入", "Not imported"),
    "imp.created": ("新建企业", "Enterprises created"),
    "imp.updated": ("更新企业", "Enterprises updated"),
    "imp.errors": ("行错误（{count}）", "Row errors ({count})"),
    "imp.row": ("行", "Row"), "imp.column": ("列", "Column"), "imp.message": ("问题", "Problem"),
    "imp.refresh": ("刷新", "Refresh"), "imp.refused": ("文件被拒绝：{message}",
                                                      "File refused: {message}"),
    # the record sheets (issue 12 item 2): official lists of certificates, IP, pool members
    "imp.sheet": ("文件内容", "What the file holds"),
    "imp.sheet.enterprises": ("企业及年度数据", "Enterprises and yearly figures"),
    "imp.sheet.certifications": ("认定证书名单", "Certificate list"),
    "imp.sheet.ip": ("知识产权清单", "IP items"),
    "imp.sheet.pools": ("培育库名单", "Pool membership list"),
    "imp.sheet_hint.enterprises": ("每行一家企业的一个会计年度；新企业将被登记。",
                                   "One row per enterprise and fiscal year; new firms are "
                                   "registered."),
    "imp.sheet_hint.certifications": ("每行一张证书：信用代码、名称、认定类型、证书编号、"
                                      "发证日期等；已登记的证书跳过。",
                                      "One certificate per row: credit code, name, title, "
                                      "number, issue date …; certificates on file are skipped."),
    "imp.sheet_hint.ip": ("每行一项知识产权：类型、编号、获得方式等；已登记的跳过。",
                          "One IP item per row: kind, number, how acquired …; items on file "
                          "are skipped."),
    "imp.sheet_hint.pools": ("每行一家企业：培育库、阶段、日期、依据；按培育流程逐步流转。",
                             "One firm per row: pool, stage, date, reason; moved stage by stage "
                             "along the pipeline."),
    "imp.templates": ("下载模板", "Templates"),
    "imp.matched": ("登记库中没有的企业、重复行和已登记的记录会被跳过，并在结果页按行号列出。",
                    "Firms not in the registry, repeated rows and records already on file are "
                    "skipped and listed by row on the result page."),
    "imp.bad_sheet": ("请选择文件内容", "Choose what the file holds"),
    "imp.added": ("新增记录", "Records added"), "imp.moved": ("流转企业", "Members moved"),
    "imp.skipped": ("跳过的行", "Rows skipped"),
    "imp.will_add": ("将新增 {created} 条，跳过 {skipped} 行",
                     "{created} to add, {skipped} rows skipped"),
    "imp.will_pool": ("将提名 {created} 家、流转 {updated} 家，跳过 {skipped} 行",
                      "{created} to nominate, {updated} to move, {skipped} rows skipped"),
    "imp.clean_records": ("校验通过：确认后将按上述结果写入。",
                          "The check passed: importing writes what is shown above."),
    "imp.notices": ("跳过或需留意的行（{count}）", "Rows skipped or worth a look ({count})"),
    "exp.title": ("导出", "Export"),
    "exp.enterprises": ("企业名单及年度数据（XLSX）", "Enterprise list with figures (XLSX)"),
    "exp.rankings": ("各梯队排名（XLSX）", "Rankings per tier (XLSX)"),
    "exp.lead": ("选择范围后下载；文件中的时间为北京时间，结论与页面用语一致。",
                 "Choose what to include, then download; times in the files are Beijing time "
                 "and verdicts read as on the pages."),
    "exp.holding": ("持有资质", "Title held"),
    "exp.year": ("会计年度", "Fiscal year"), "exp.all_years": ("全部年度", "Every year"),
    "exp.year_n": ("{year} 年度", "FY {year}"),
    "exp.download": ("下载 Excel", "Download Excel"),
    "exp.slow": ("全区企业较多时，生成文件可能需要一分钟左右，请勿重复点击。",
                 "With every firm of the district the file can take about a minute; click "
                 "once."),
    "exp.rosters": ("培育库名单（XLSX）", "Pool rosters (XLSX)"),
    "exp.rosters_hint": ("每个培育库的在库企业及其年度数据。",
                         "The members of each pool with their annual figures."),
    "my.title": ("我的资格", "My eligibility"),
    "my.lead": ("依据最新登记数据评价；每项条件附政策依据与差距。",
                "Evaluated from your latest registered figures; every criterion cites its "
                "clause and shows the gap."),
    "my.pending": ("评价尚未生成，请稍后刷新。", "No evaluation yet; please refresh shortly."),
    "wi.title": ("假设测算", "What-if calculator"),
    "wi.lead": ("修改主要数据，看各梯队结论如何变化。不会保存任何数据。",
                "Change the main figures and see how each tier's verdict moves. "
                "Nothing is stored."),
    "wi.submit": ("测算", "Evaluate"), "wi.result": ("测算结果", "Result"),
    "wi.compare": ("当前 → 测算后", "Now → with these figures"),
    "wi.now": ("当前", "Now"), "wi.after": ("测算后", "With these figures"),
    "wi.to": ("改为", "changed to"), "wi.changed": ("有变化", "changed"),
    "wi.changed_figures": ("您修改的数据", "Figures you changed"),
    "wi.nothing_changed": ("未修改任何数据，以下为按登记数据的结论。",
                           "No figure changed; these are the verdicts on your registered data."),
    "wi.moved": ("{n} 个梯队的结论或得分有变化（已高亮并展开）。",
                 "{n} tier(s) changed verdict or score (highlighted and expanded)."),
    "wi.none_moved": ("各梯队结论与得分均无变化。", "No tier's verdict or score changed."),
    "wi.year": ("上一会计年度", "Last fiscal year"),
    "chk.title": ("资格自测", "Eligibility self-check"),
    "chk.lead": ("无需登录，不保存数据。填写主要数据即可看到各梯队的结论与差距。",
                 "No sign-in, nothing stored. Enter the main figures to see every tier's "
                 "verdict and gaps."),
    "f.uscc": ("统一社会信用代码", "Credit code"), "f.name": ("企业名称", "Enterprise name"),
    "f.established_on": ("成立日期", "Established on"),
    "f.industry_code": ("行业代码（如 C3451）", "Industry code (e.g. C3451)"),
    "f.hightech_field": ("高新技术领域", "High-tech field"),
    "f.none": ("无", "None"),
    "f.employees": ("职工总数", "Employees"), "f.science_staff": ("科技人员", "Science staff"),
    "f.rd_staff": ("研发人员", "R&D staff"),
    "f.operating_revenue": ("营业收入（元）", "Operating revenue (¥)"),
    "f.sales_revenue": ("销售收入（元）", "Sales revenue (¥)"),
    "f.hightech_revenue": ("高新技术产品收入（元）", "High-tech product revenue (¥)"),
    "f.rd_expense": ("研发费用（元）", "R&D expense (¥)"),
    "f.total_assets": ("资产总额（元）", "Total assets (¥)"),
    "f.total_liabilities": ("负债总额（元）", "Total liabilities (¥)"),
    "f.net_profit": ("净利润（元）", "Net profit (¥)"),
    "f.invention_patents": ("发明专利（件）", "Invention patents"),
    "f.utility_models": ("实用新型专利（件）", "Utility models"),
    "f.software_copyrights": ("软件著作权（件）", "Software copyrights"),
    "f.utility_models_2y": ("其中授权满两年的实用新型（件）",
                            "of which utility models granted 2+ years ago"),
    "f.year_hint": ("填写上一会计年度数据；金额单位为元。",
                    "Figures of the last fiscal year; money in yuan."),
    "f.lists": ("主导产品与质量管理", "Main products and quality management"),
    "f.lists_hint": ("可多选。不了解请留空（按未知处理）；均不符合请勾选“以上均无”。",
                     "Tick all that apply. Leave a list blank if you do not know (it is then "
                     "unknown); tick “None of these” if none applies."),
    "f.main_product_fields": ("主导产品所属领域", "Fields of the main products"),
    "f.quality_items": ("质量管理情况", "Quality management"),
    "f.none_of_these": ("以上均无", "None of these"),
    "f.invalid": ("请检查以下字段", "Please check these fields"),
    "f.required": ("必填", "required"),
    "f.required_hint": ("带 * 的为必填项；其余不了解的可留空（按未知处理）。",
                        "Fields marked * are required; leave any other you do not know blank "
                        "(it then counts as unknown)."),
    "f.choose": ("请选择", "Choose"),
    "f.tax_method": ("企业所得税征收方式", "Corporate income tax collection"),
    "f.record": ("近三年信用记录", "Record of the last three years"),
    "f.flags": ("近三年是否发生以下情形（可多选）",
                "Did any of these happen in the last three years?"),
    "f.honours": ("已有资质与荣誉（可多选）", "Titles and honours held (tick all that apply)"),
    "f.flags_hint": ("均未发生请勾选“以上均无”。", "Tick “None of these” if none did."),
    "f.main_business_revenue": ("主营业务收入（元）", "Main business revenue (¥)"),
    "f.total_income": ("收入总额（元，企业所得税年度申报口径）",
                       "Total income (¥, as in the income-tax return)"),
    "f.total_cost": ("成本费用总额（元）", "Total costs and expenses (¥)"),
    "f.rd_expense_domestic": ("其中境内研发费用（元）", "of which R&D spent in China (¥)"),
    "f.prev1": ("前一年度（{year}）", "The year before ({year})"),
    "f.prev2": ("前两年度（{year}）", "Two years before ({year})"),
    "f.prev_hint": ("增长率与“近三年”条件按这两年与上一年度计算；不了解可留空。",
                    "Growth and “last three years” conditions use these two years with the "
                    "last one; leave blank if unknown."),
    "f.ip_hint": ("填写已授权且有效、与主导产品相关的自主知识产权件数。",
                  "Count granted items in force, owned by the firm and tied to the main "
                  "product."),
    "out.eligible": ("按所填数据，贵企业已符合{tiers}的条件", "On these figures the firm "
                     "qualifies as: {tiers}."),
    "out.possible": ("如确认待补充事项（{items}），贵企业有望符合{tiers}",
                     "Once it confirms the open items ({items}), it would qualify as: {tiers}."),
    "out.near": ("{tiers}差距较小，补足差距即可申报", "Near miss, close the gap to apply: "
                 "{tiers}."),
    "out.none": ("按所填数据，暂无可申报的梯队；各梯队的差距见下方。",
                 "On these figures no tier is within reach yet; every tier's gaps are below."),
    "n.title": ("我的通知", "My notices"), "n.unread": ("未读", "Unread"),
    "n.read": ("已读", "Read"), "n.mark_read": ("标为已读", "Mark read"),
    "n.mark_unread": ("标为未读", "Mark unread"), "n.deadline": ("截止日期", "Deadline"),
    "n.amount": ("金额", "Amount"), "n.empty": ("暂无通知", "No notices yet"),
    "n.unread_count": ("{n} 条未读", "{n} unread"),
    "n.unread_lead": ("您有 {n} 条未读通知。", "You have {n} unread notice(s)."),
    "n.mark_all": ("全部标为已读", "Mark all read"),
    "n.marked": ("已将 {n} 条通知标为已读。", "{n} notice(s) marked read."),
    "n.details": ("查看「{tier}」的条件与差距", "See the conditions and gaps of “{tier}”"),
    "n.details_my": ("查看我的资格", "See my eligibility"),
    "my.other_tiers": ("其他梯队（农业产业化龙头企业等，与本企业行业关系不大，{n} 项）",
                       "Other tiers (agricultural leaders and the like, less relevant to your "
                       "industry: {n})"),
    "p.title": ("通知偏好", "Notification preferences"),
    "p.language": ("通知语言", "Language of notices"),
    "p.channels": ("接收渠道", "Channels"), "p.inapp": ("站内信", "In-app inbox"),
    "p.email": ("电子邮件", "E-mail"),
    "p.webhook": ("推送到本企业信息系统（Webhook）", "Push to your own IT system (webhook)"),
    "p.email_addr": ("邮箱地址", "E-mail address"),
    "p.webhook_url": ("系统接收地址（https://…）", "System address (https://…)"),
    "p.webhook_secret": ("签名密钥（16–200 个字符，留空则不修改）",
                         "Signing key (16–200 characters; blank keeps the current one)"),
    "p.save": ("保存", "Save"), "p.saved": ("已保存", "Saved"),
    "p.problem": ("未保存，请修改下列内容后再保存（您填写的内容已保留）：",
                  "Not saved: please correct the following (what you entered is kept):"),
    "p.length": ("长度须为 {low}–{high} 个字符", "Must be {low}–{high} characters long"),
    "p.invalid_value": ("填写的内容不符合要求", "This value is not accepted"),
    "p.advanced": ("高级：系统对接（供技术人员使用）",
                   "Advanced: system integration (for IT staff)"),
    "p.advanced_hint": ("如贵企业的信息系统需要自动接收通知，可由技术人员在此填写接收地址"
                        "与签名密钥；一般用户无需填写。",
                        "If your firm's IT system should receive notices automatically, your IT "
                        "staff can enter its address and signing key here; most users leave it "
                        "empty."),
    "p.label_language": ("通知语言", "Language of notices"),
    "p.label_channels": ("接收渠道", "Channels"),
    "p.label_email": ("邮箱地址", "E-mail address"),
    "p.label_webhook_url": ("系统接收地址", "System address"),
    "p.label_webhook_secret": ("签名密钥", "Signing key"),
    "err.title": ("出错了", "Something went wrong"),
    "err.forbidden": ("您的账户无权打开此页面。", "Your account may not open this page."),
    "err.not_found": ("页面不存在。", "Page not found."),
    "err.back": ("返回首页", "Back to the start"),
    "common.yes": ("是", "Yes"), "common.no": ("否", "No"), "common.back": ("返回", "Back"),
    "val.yes": ("是", "Yes"), "val.no": ("否", "No"), "val.none": ("无", "none"),
    "crit.unconfirmed": ("待核实", "unconfirmed"),
    "crit.unconfirmed_hint": ("该条件的数值或依据尚待核实", "this criterion's figure or source is"
                              " not yet confirmed"),
}

#: Keyed choices of the profile (profile.md, the shared table) and notify's notice statuses.
CHOICES: Final = {
    **PROFILE_CHOICES,
    "created": ("已生成", "created"), "queued": ("待发送", "queued"), "sent": ("已发送", "sent"),
    "delivered": ("已送达", "delivered"), "failed": ("发送失败", "failed"),
    "hnte_certificate": ("持有有效的高新技术企业证书", "holds a valid high-tech enterprise "
                         "certificate"),
    "provincial_rd_institution": ("建有省级以上研发机构", "has a provincial or national R&D "
                                  "institution"),
    "provincial_award": ("近五年获省级以上科技奖励", "won a provincial or national S&T award in "
                         "the last five years"),
    "led_standard": ("主导制定过国家或行业标准", "led a national or industry standard"),
}  # fmt: skip


def _prefixed(prefix: str, table: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    return {f"{prefix}.{key}": value for key, value in table.items()}


MESSAGES: Final[dict[str, tuple[str, str]]] = {
    **_UI, **_prefixed("tier", TIERS), **_prefixed("stage", STAGES),
    **_prefixed("pool", POOLS), **_prefixed("verdict", VERDICTS),
    **_prefixed("status", STATUSES), **ADMIN_MESSAGES, **ACCOUNT_MESSAGES,
    **ACCOUNT_ACTIONS,
}
