"""Who may reach which ``/api/v1`` path: service routing, role rules and per-enterprise scoping.

Pure functions over the path table of DEVELOPING.md, so every rule is testable without HTTP.

* An enterprise principal reaches only ``/me/...`` (rewritten here to its *own* credit code —
  the enterprise never names a uscc, so it cannot name someone else's), the what-if
  ``POST /evaluate`` and the public reference lists. Nothing an enterprise can call sets a
  stage, a certification or a score.
* Every other path is for bureau roles: viewer reads; curator also writes (enterprises,
  pipeline moves, reserve rounds, service records and problems, imports, notices,
  re-evaluations); admin also rulebooks, parameters, the
  parking lot of failed messages, plans, year-end snapshots and their corrections (and, in
  the gateway itself, accounts).
* Yearly reports (issue 15): a firm files its own under ``/me/submissions`` (evidence files
  included); the bureau reads them, and the review queue under ``/submissions`` (every bureau
  role reads, curators and admins decide), but writes nothing under a firm's
  ``/enterprises/{uscc}/submissions``.
* Contacts (``/enterprises/{uscc}/contacts``) follow the default rule (viewers read, curators
  write); viewers get the personal data masked (``gateway.domain.personal_data``); the
  enterprise keeps its own contacts under ``/me/contacts``.
* A firm's overview (``/enterprises/{uscc}/overview``, issue 16: what the bureau's enterprise
  page shows from the registry in one read — the firm, profile, pools with their histories,
  audit trail, service records with the bureau's private notes, problems, curator, yearly
  reports) is read by every bureau role, since every bureau role reads each of its parts,
  and written by nobody (it is a read); an enterprise never reaches it, not even through
  ``/me`` (its bureau-only parts). It holds no contacts, so nothing in it is masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from werkzeug.exceptions import MethodNotAllowed

from gateway.domain.principal import Principal
from yumiao_common.web.errors import Forbidden
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import Unauthorized

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ADMIN = frozenset({"admin"})
CURATOR_UP = frozenset({"admin", "curator"})
BUREAU = frozenset({"admin", "curator", "viewer"})
PUBLIC_READ_AREAS = frozenset({"reference"})
#: Providers' callbacks (SMS delivery receipts): POST without a principal, since a provider
#: cannot sign in; the owning service checks the callback's own secret (notify: a token).
PUBLIC_CALLBACKS = re.compile(r"^sms/receipts/[a-z]{1,20}$")

#: (pattern over the path after /api/v1/, owning service); the first match wins.
SERVICE_ROUTES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^enterprises/[^/]+/evaluations(/.*)?$"), "scoring"),
    (re.compile(r"^enterprises/[^/]+/(notices|preferences|policies)(/.*)?$"), "notify"),
    (re.compile(r"^(enterprises|pools|imports|exports|reference)(/.*)?$"), "registry"),
    (re.compile(r"^(plans|statistics|reports)(/.*)?$"), "registry"),  # monitoring (item 129)
    # Reserve rounds and a curator's worklist (issue 12): bureau roles only, the default rule.
    (re.compile(r"^(rounds|worklist)(/.*)?$"), "registry"),
    # Firms' yearly reports (issue 15): the bureau's review queue; firms file under /me.
    (re.compile(r"^submissions(/.*)?$"), "registry"),
    (re.compile(r"^(evaluate|rankings|rulebooks|parameters|reevaluations)(/.*)?$"), "scoring"),
    # Each service's parking ledger (admins only, the "parking" rule); bare /parking is notify's.
    (re.compile(r"^parking/registry(/.*)?$"), "registry"),
    (re.compile(r"^parking/scoring(/.*)?$"), "scoring"),
    (re.compile(r"^(policies|notices|parking)(/.*)?$"), "notify"),
    (PUBLIC_CALLBACKS, "notify"),
)

#: Bureau role rules per top-level area: (roles that may read, roles that may write).
BUREAU_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "parameters": (BUREAU, ADMIN),
    "rulebooks": (BUREAU, ADMIN),
    "parking": (ADMIN, ADMIN),
    "evaluate": (BUREAU, BUREAU),  # a what-if stores nothing
    "exports": (BUREAU, BUREAU),  # an export reads; viewers download spreadsheets too
    # Monitoring: every bureau role reads progress; plans, freezing a year and corrections
    # are the admin's.
    "plans": (BUREAU, ADMIN),
    "statistics": (BUREAU, ADMIN),
    "reports": (BUREAU, ADMIN),
    # Firms' yearly reports (issue 15): every bureau role reads the queue, the differences
    # and the evidence; curators and admins decide (accepted fields enter the registry).
    "submissions": (BUREAU, CURATOR_UP),
}
DEFAULT_RULE = (BUREAU, CURATOR_UP)
#: Rules narrower than their area's, by path: a firm's yearly report is the firm's own filing
#: (issue 15) — the bureau reads it under ``enterprises/{uscc}/submissions`` but writes nothing
#: there (no draft, submission or evidence in a firm's name); it decides under ``submissions``.
#: A firm's overview is a read only.
PATH_RULES: tuple[tuple[re.Pattern[str], tuple[frozenset[str], frozenset[str]]], ...] = (
    (re.compile(r"^enterprises/[^/]+/submissions(/.*)?$"), (BUREAU, frozenset())),
    # The bureau's one-read overview of a firm (issue 16): as its parts, read by the bureau.
    (re.compile(r"^enterprises/[^/]+/overview$"), (BUREAU, frozenset())),
)


@dataclass(frozen=True)
class MeRoute:
    """One ``/me/...`` operation and the upstream path it becomes for the caller's uscc."""

    method: str
    pattern: re.Pattern[str]
    service: str
    template: str
    summary: str


def _me(method: str, pattern: str, service: str, template: str, summary: str) -> MeRoute:
    return MeRoute(method, re.compile(f"^{pattern}$"), service, template, summary)


_ID = r"(?P<id>[A-Za-z0-9_-]{1,64})"
_EVIDENCE = r"(?P<evidence_id>[A-Za-z0-9_-]{1,64})"
ME_ROUTES: tuple[MeRoute, ...] = (
    _me("GET", "enterprise", "registry", "enterprises/{uscc}", "我的企业 / My enterprise"),
    _me("GET", "profile", "registry", "enterprises/{uscc}/profile", "我的画像 / My profile"),
    _me("GET", "certifications", "registry", "enterprises/{uscc}/certifications",
        "我的资质 / My certifications"),
    _me("GET", "memberships", "registry", "enterprises/{uscc}/memberships",
        "我所在的培育库 / My pool memberships"),
    # Only the service notes the bureau marked as shared (issue 12 item 6): a separate
    # upstream path, so no query string can widen it to the bureau's own notes.
    _me("GET", "services", "registry", "enterprises/{uscc}/shared-services",
        "局方共享的服务记录 / Service records the bureau shared with me"),
    _me("GET", "problems", "registry", "enterprises/{uscc}/shared-problems",
        "局方共享的问题办理情况 / Problems the bureau shared with me, and where they stand"),
    _me("GET", "evaluations", "scoring", "enterprises/{uscc}/evaluations",
        "我的评价 / My evaluations"),
    _me("GET", "notices", "notify", "enterprises/{uscc}/notices", "我的通知 / My notices"),
    _me("GET", f"notices/{_ID}", "notify", "enterprises/{uscc}/notices/{id}",
        "我的某条通知 / One of my notices"),
    _me("PATCH", f"notices/{_ID}", "notify", "enterprises/{uscc}/notices/{id}",
        "标记已读/未读 / Mark a notice read or unread"),
    _me("GET", "preferences", "notify", "enterprises/{uscc}/preferences",
        "我的通知偏好 / My preferences"),
    _me("PUT", "preferences", "notify", "enterprises/{uscc}/preferences",
        "修改通知偏好 / Change my preferences"),
    # Policy windows (issue 14 item 5): the policies the firm is eligible or near for.
    _me("GET", "policies", "notify", "enterprises/{uscc}/policies",
        "与我相符的政策及申报批次 / Policies I am eligible or near for, with their windows"),
    _me("POST", "evaluate", "scoring", "evaluate", "假设测算 / What-if evaluation"),
    _me("GET", "contacts", "registry", "enterprises/{uscc}/contacts", "我的联系人 / My contacts"),
    _me("POST", "contacts", "registry", "enterprises/{uscc}/contacts",
        "添加联系人 / Add a contact"),
    _me("GET", f"contacts/{_ID}", "registry", "enterprises/{uscc}/contacts/{id}",
        "我的某位联系人 / One of my contacts"),
    _me("PATCH", f"contacts/{_ID}", "registry", "enterprises/{uscc}/contacts/{id}",
        "修改联系人（含退订） / Change a contact (opt-outs included)"),
    _me("DELETE", f"contacts/{_ID}", "registry", "enterprises/{uscc}/contacts/{id}",
        "删除联系人 / Remove a contact"),
    # Yearly reports with evidence (issue 15): the firm files, the bureau reviews.
    _me("GET", "submissions", "registry", "enterprises/{uscc}/submissions",
        "我的年度自报 / My yearly reports"),
    _me("POST", "submissions", "registry", "enterprises/{uscc}/submissions",
        "开始某年度的自报（按登记信息预填） / Start a year's report, pre-filled from the registry"),
    _me("GET", f"submissions/{_ID}", "registry", "enterprises/{uscc}/submissions/{id}",
        "我的某份自报（含局方决定） / One of my reports, with the bureau's decisions"),
    _me("PUT", f"submissions/{_ID}", "registry", "enterprises/{uscc}/submissions/{id}",
        "保存自报草稿（须带 If-Match） / Save a report's draft (If-Match required)"),
    _me("POST", f"submissions/{_ID}/submit", "registry",
        "enterprises/{uscc}/submissions/{id}/submit", "提交自报 / Submit a report"),
    _me("POST", f"submissions/{_ID}/evidence", "registry",
        "enterprises/{uscc}/submissions/{id}/evidence",
        "上传证明材料（PDF、PNG、JPEG、XLSX） / Attach evidence (PDF, PNG, JPEG, XLSX)"),
    _me("GET", f"submissions/{_ID}/evidence/{_EVIDENCE}", "registry",
        "enterprises/{uscc}/submissions/{id}/evidence/{evidence_id}",
        "下载证明材料 / Download an evidence file"),
    _me("DELETE", f"submissions/{_ID}/evidence/{_EVIDENCE}", "registry",
        "enterprises/{uscc}/submissions/{id}/evidence/{evidence_id}",
        "删除证明材料 / Remove an evidence file"),
)

ENTERPRISE_ONLY_ME = (
    "企业账户仅可访问本企业数据（/api/v1/me/…） / "
    "Enterprise accounts reach only their own data under /api/v1/me/…"
)
NOT_FOUND = "资源不存在 / Not found"


def split_path(path: str) -> list[str]:
    """Path segments; a '.', '..' or empty segment is refused so no rewrite can climb out."""
    segments = path.strip("/").split("/")
    if any(seg in ("", ".", "..") for seg in segments):
        raise NotFound(NOT_FOUND)
    return segments


def service_for(path: str) -> str:
    """The service that serves ``/api/v1/<path>``; 404 when no service does."""
    split_path(path)
    for pattern, service in SERVICE_ROUTES:
        if pattern.match(path):
            return service
    raise NotFound(NOT_FOUND)


def authorize(principal: Principal, method: str, path: str) -> None:
    """Refuse (401/403) unless ``principal`` may call ``method /api/v1/<path>``."""
    area = split_path(path)[0]
    safe = method in SAFE_METHODS
    if safe and area in PUBLIC_READ_AREAS:
        return
    if method == "POST" and PUBLIC_CALLBACKS.match(path.strip("/")):
        return
    if not principal.is_authenticated:
        raise Unauthorized("需要登录 / Sign-in required")
    if principal.is_enterprise:
        if method == "POST" and path.strip("/") == "evaluate":
            return
        raise Forbidden(ENTERPRISE_ONLY_ME, code="enterprise_scope")
    readers, writers = _rule(area, path.strip("/"))
    allowed = readers if safe else writers
    if principal.role not in allowed:
        raise Forbidden("当前角色无权执行此操作 / Your role may not do this",
                        details={"required_roles": sorted(allowed), "role": principal.role})


def _rule(area: str, path: str) -> tuple[frozenset[str], frozenset[str]]:
    for pattern, rule in PATH_RULES:
        if pattern.match(path):
            return rule
    return BUREAU_RULES.get(area, DEFAULT_RULE)


def resolve_me(principal: Principal, method: str, subpath: str) -> tuple[str, str]:
    """(service, upstream path after /api/v1/) of ``/me/<subpath>`` for an enterprise."""
    if not principal.is_authenticated:
        raise Unauthorized("需要登录 / Sign-in required")
    if not principal.is_enterprise or not principal.uscc:
        raise Forbidden("仅企业账户可用 / Only enterprise accounts have /me data",
                        code="enterprise_only")
    subpath = subpath.strip("/")
    allowed = []
    for route in ME_ROUTES:
        match = route.pattern.match(subpath)
        if match and route.method == method:
            return route.service, route.template.format(uscc=principal.uscc, **match.groupdict())
        if match:
            allowed.append(route.method)
    if allowed:  # the path exists, not with this method
        raise MethodNotAllowed(valid_methods=sorted(allowed))
    raise NotFound(NOT_FOUND)
