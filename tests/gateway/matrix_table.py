"""Every id-bearing operation behind the gateway, with the bureau roles that may call it.

Written by hand from the services' OpenAPI documents (not derived from
``gateway.domain.tenancy``, so the matrix tests the rules instead of restating them);
``test_real_services`` checks that the table still covers every id-bearing operation the live
services publish. ``{A}`` is the victim enterprise's credit code; enterprise principals may call
none of these (their own data is only under ``/me``).
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway_testkit import USCC_A

BUREAU = frozenset({"admin", "curator", "viewer"})
CURATOR_UP = frozenset({"admin", "curator"})
ADMIN = frozenset({"admin"})
RECORD_KINDS = ("ip", "awards", "institutions", "standards", "certifications")
NOTICE = "0b7e6a52-52c1-4b43-9a36-3f6f0d0d0c01"
JOB = "6a4b0f0e-1111-4222-8333-944455556666"
#: Nobody of the bureau: a firm's yearly report is written only by the firm, through /me.
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # after /api/v1/, with {A} for the victim's uscc
    service: str
    allowed: frozenset[str]
    body: dict[str, object] | None = None

    @property
    def url(self) -> str:
        return "/api/v1/" + self.path.format(A=USCC_A)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _records() -> list[Op]:
    ops = []
    for kind in RECORD_KINDS:
        ops += [
            Op("GET", f"enterprises/{{A}}/{kind}", "registry", BUREAU),
            Op("POST", f"enterprises/{{A}}/{kind}", "registry", CURATOR_UP, {"x": 1}),
            Op("GET", f"enterprises/{{A}}/{kind}/1", "registry", BUREAU),
            Op("PATCH", f"enterprises/{{A}}/{kind}/1", "registry", CURATOR_UP, {"x": 1}),
            Op("DELETE", f"enterprises/{{A}}/{kind}/1", "registry", CURATOR_UP),
        ]
    return ops


OPERATIONS: tuple[Op, ...] = (
    Op("GET", "enterprises/{A}", "registry", BUREAU),
    Op("PATCH", "enterprises/{A}", "registry", CURATOR_UP, {"name": "x"}),
    Op("GET", "enterprises/{A}/profile", "registry", BUREAU),
    Op("GET", "enterprises/{A}/audit", "registry", BUREAU),
    Op("GET", "enterprises/{A}/memberships", "registry", BUREAU),
    Op("GET", "enterprises/{A}/overview", "registry", BUREAU),  # the page's one read (#16)
    Op("GET", "enterprises/{A}/financials", "registry", BUREAU),
    Op("GET", "enterprises/{A}/financials/2024", "registry", BUREAU),
    Op("PUT", "enterprises/{A}/financials/2024", "registry", CURATOR_UP, {"employees": 1}),
    Op("DELETE", "enterprises/{A}/financials/2024", "registry", CURATOR_UP),
    *_records(),
    Op("GET", "enterprises/{A}/contacts", "registry", BUREAU),
    Op("POST", "enterprises/{A}/contacts", "registry", CURATOR_UP, {"name": "x"}),
    Op("GET", "enterprises/{A}/contacts/1", "registry", BUREAU),
    Op("PATCH", "enterprises/{A}/contacts/1", "registry", CURATOR_UP, {"sms_opt_out": True}),
    Op("DELETE", "enterprises/{A}/contacts/1", "registry", CURATOR_UP),
    Op("GET", "pools/hnte_reserve/members", "registry", BUREAU),
    Op("POST", "pools/hnte_reserve/members", "registry", CURATOR_UP, {"uscc": USCC_A}),
    Op("GET", "pools/hnte_reserve/members/{A}", "registry", BUREAU),
    Op("GET", "pools/hnte_reserve/members/{A}/moves", "registry", BUREAU),
    Op("POST", "pools/hnte_reserve/members/{A}/moves", "registry", CURATOR_UP,
       {"to": "certified"}),
    Op("GET", "imports", "registry", BUREAU),  # the import history (issue 17)
    Op("GET", "imports/1", "registry", BUREAU),
    # the official lists' templates (issue 12 item 2); their uploads: test_isolation_matrix
    Op("GET", "imports/certifications/template.xlsx", "registry", BUREAU),
    Op("GET", "imports/ip/template.csv", "registry", BUREAU),
    Op("GET", "imports/pools/template.xlsx", "registry", BUREAU),
    Op("GET", "exports/1", "registry", BUREAU),
    Op("GET", "enterprises/{A}/evaluations", "scoring", BUREAU),
    Op("GET", "rankings/hnte", "scoring", BUREAU),
    Op("GET", "rankings/hnte.xlsx", "scoring", BUREAU),
    Op("GET", "parameters/hnte.pass_mark", "scoring", BUREAU),
    Op("PUT", "parameters/hnte.pass_mark", "scoring", ADMIN, {"value": "0"}),
    Op("GET", f"reevaluations/{JOB}", "scoring", BUREAU),
    Op("POST", f"reevaluations/{JOB}/activate", "scoring", CURATOR_UP),
    Op("GET", "policies/hnte_award", "notify", BUREAU),
    Op("PATCH", "policies/hnte_award", "notify", CURATOR_UP, {"title": "x"}),
    Op("POST", "policies/hnte_award/retire", "notify", CURATOR_UP),
    Op("GET", "policies/hnte_award/audit", "notify", BUREAU),
    Op("GET", f"notices/{NOTICE}", "notify", BUREAU),
    Op("GET", "enterprises/{A}/notices", "notify", BUREAU),
    Op("GET", f"enterprises/{{A}}/notices/{NOTICE}", "notify", BUREAU),
    Op("PATCH", f"enterprises/{{A}}/notices/{NOTICE}", "notify", CURATOR_UP, {"read": True}),
    Op("GET", "enterprises/{A}/preferences", "notify", BUREAU),
    Op("PUT", "enterprises/{A}/preferences", "notify", CURATOR_UP, {"email": False}),
    Op("GET", "enterprises/{A}/preferences/audit", "notify", BUREAU),
    # Policy windows (issue 14 item 5): a firm's matching policies; the bureau's calendar feed.
    Op("GET", "enterprises/{A}/policies", "notify", BUREAU),
    Op("GET", "policies/calendar.ics", "notify", BUREAU),
    Op("GET", "plans/1", "registry", BUREAU),
    Op("GET", "plans/1/journal", "registry", BUREAU),
    Op("PUT", "plans/1", "registry", ADMIN, {"title": "x"}),
    Op("POST", "plans", "registry", ADMIN, {"title": "x"}),
    Op("GET", "statistics/certifications", "registry", BUREAU),
    Op("GET", "reports/progress", "registry", BUREAU),
    Op("GET", "reports/progress.pdf", "registry", BUREAU),
    Op("GET", "reports/snapshots/2024", "registry", BUREAU),
    Op("POST", "reports/snapshots", "registry", ADMIN, {"year": 2024}),
    Op("POST", "reports/snapshots/2024/corrections", "registry", ADMIN, {"measure": "x"}),
    # Reserve rounds and cultivation (issue 12): bureau roles; enterprises see only the service
    # notes shared with them, through /me/services.
    Op("GET", "rounds/1", "registry", BUREAU),
    Op("PATCH", "rounds/1", "registry", CURATOR_UP, {"quota": 20}),
    Op("GET", "rounds/1/candidates", "registry", BUREAU),
    Op("POST", "rounds/1/batches", "registry", CURATOR_UP, {"action": "nominate"}),
    Op("GET", "rounds/1/members", "registry", BUREAU),
    Op("GET", "rounds/1/roster", "registry", BUREAU),
    Op("GET", "rounds/1/roster.xlsx", "registry", BUREAU),
    Op("POST", "rounds/1/publication", "registry", CURATOR_UP, {"reason": "x"}),
    Op("GET", "enterprises/{A}/curator", "registry", BUREAU),
    Op("PUT", "enterprises/{A}/curator", "registry", CURATOR_UP, {"curator": "user:x"}),
    Op("GET", "enterprises/{A}/services", "registry", BUREAU),
    Op("POST", "enterprises/{A}/services", "registry", CURATOR_UP, {"kind": "visit"}),
    Op("GET", "enterprises/{A}/services/1", "registry", BUREAU),
    Op("PATCH", "enterprises/{A}/services/1", "registry", CURATOR_UP,
       {"shared_with_firm": True}),
    Op("GET", "enterprises/{A}/shared-services", "registry", BUREAU),
    Op("GET", "enterprises/{A}/shared-problems", "registry", BUREAU),
    Op("GET", "enterprises/{A}/problems", "registry", BUREAU),
    Op("POST", "enterprises/{A}/problems", "registry", CURATOR_UP, {"title": "x"}),
    Op("GET", "enterprises/{A}/problems/1", "registry", BUREAU),
    Op("PATCH", "enterprises/{A}/problems/1", "registry", CURATOR_UP, {"status": "resolved"}),
    # Firms' yearly reports (issue 15): the bureau reads a firm's filings and their evidence
    # files and decides in the review queue; it writes nothing in the firm's name.
    Op("GET", "enterprises/{A}/submissions", "registry", BUREAU),
    Op("POST", "enterprises/{A}/submissions", "registry", NOBODY, {"year": 2025}),
    Op("GET", "enterprises/{A}/submissions/1", "registry", BUREAU),
    Op("PUT", "enterprises/{A}/submissions/1", "registry", NOBODY, {"content": {}}),
    Op("POST", "enterprises/{A}/submissions/1/submit", "registry", NOBODY),
    Op("POST", "enterprises/{A}/submissions/1/evidence", "registry", NOBODY),
    Op("GET", "enterprises/{A}/submissions/1/evidence/1", "registry", BUREAU),
    Op("DELETE", "enterprises/{A}/submissions/1/evidence/1", "registry", NOBODY),
    Op("GET", "submissions", "registry", BUREAU),
    Op("GET", "submissions/1", "registry", BUREAU),
    Op("POST", "submissions/1/review", "registry", CURATOR_UP,
       {"decisions": [{"field": "financials.rd_expense", "outcome": "accept"}]}),
    Op("GET", "submissions/1/evidence/1", "registry", BUREAU),
    Op("GET", f"parking/{JOB}", "notify", ADMIN),
    Op("POST", f"parking/{JOB}/replay", "notify", ADMIN),
    # registry's and scoring's parking ledgers (issue 14 item 6): admins only, like notify's
    Op("GET", f"parking/registry/{JOB}", "registry", ADMIN),
    Op("POST", f"parking/registry/{JOB}/replay", "registry", ADMIN, {"reason": "x"}),
    Op("GET", f"parking/scoring/{JOB}", "scoring", ADMIN),
    Op("POST", f"parking/scoring/{JOB}/replay", "scoring", ADMIN, {"reason": "x"}),
)


@dataclass(frozen=True)
class Page:
    """A server-rendered page (not under /api/v1) and the bureau roles that may open it."""

    method: str
    path: str  # with {A} for the victim's uscc
    allowed: frozenset[str]

    @property
    def url(self) -> str:
        return self.path.format(A=USCC_A)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


#: The bureau's edit pages (issue 12 item 1): viewers read the overview, curators and admins
#: open and post every form, enterprises reach none of them.
WEB_PAGES: tuple[Page, ...] = (
    Page("GET", "/enterprises/{A}/edit", BUREAU),
    Page("GET", "/enterprises/new", CURATOR_UP),
    Page("POST", "/enterprises/new", CURATOR_UP),
    Page("GET", "/enterprises/{A}/edit/basics", CURATOR_UP),
    Page("POST", "/enterprises/{A}/edit/basics", CURATOR_UP),
    *(Page(method, f"/enterprises/{{A}}/edit/{kind}/{key}", CURATOR_UP)
      for kind, key in (("financials", "2024"), *((k, "1") for k in RECORD_KINDS))
      for method in ("GET", "POST")),
    *(Page(method, f"/enterprises/{{A}}/edit/{kind}/new", CURATOR_UP)
      for kind in ("financials", *RECORD_KINDS) for method in ("GET", "POST")),
    *(Page("POST", f"/enterprises/{{A}}/edit/{kind}/{key}/delete", CURATOR_UP)
      for kind, key in (("financials", "2024"), *((k, "1") for k in RECORD_KINDS))),
    Page("GET", "/enterprises/{A}/edit/reviews/new", CURATOR_UP),
    Page("POST", "/enterprises/{A}/edit/reviews/new", CURATOR_UP),
    Page("GET", "/enterprises/{A}/edit/reviews/hnte.expert", CURATOR_UP),
    Page("POST", "/enterprises/{A}/edit/reviews/hnte.expert", CURATOR_UP),
    Page("POST", "/enterprises/{A}/edit/reviews/hnte.expert/delete", CURATOR_UP),
    # Issue 12 item 7: the round desk and service records (viewers read, writers post).
    Page("GET", "/rounds", BUREAU),
    Page("POST", "/rounds", CURATOR_UP),
    Page("GET", "/rounds/1", BUREAU),
    Page("POST", "/rounds/1/batches", CURATOR_UP),
    Page("POST", "/rounds/1/publication", CURATOR_UP),
    Page("POST", "/enterprises/{A}/services", CURATOR_UP),
    Page("POST", "/enterprises/{A}/curator", CURATOR_UP),
    # Issue 12 item 5: problems raised (问题清单) and the worklist's members without a curator.
    Page("POST", "/enterprises/{A}/problems", CURATOR_UP),
    Page("POST", "/enterprises/{A}/problems/1", CURATOR_UP),
    Page("GET", "/worklist", BUREAU),
)


#: The admin pages (issue 14 item 6): admins only; curators, viewers and enterprises are
#: refused before any service is asked.
ACCOUNT = "5d0c1a43-7a1e-4a55-9d6e-0c7d2a9f1e11"
PARAMETER = "agri_leader_municipal.n3_sales.value"
ADMIN_PAGES: tuple[Page, ...] = (
    Page("GET", "/admin/parameters", ADMIN),
    Page("GET", f"/admin/parameters/{PARAMETER}", ADMIN),
    Page("POST", f"/admin/parameters/{PARAMETER}/preview", ADMIN),
    Page("POST", "/admin/reevaluations", ADMIN),
    Page("GET", f"/admin/reevaluations/{JOB}", ADMIN),
    Page("POST", f"/admin/reevaluations/{JOB}/activate", ADMIN),
    Page("POST", f"/admin/reevaluations/{JOB}/again", ADMIN),
    Page("GET", "/admin/parking", ADMIN),
    Page("GET", f"/admin/parking/notify/{JOB}", ADMIN),
    Page("POST", f"/admin/parking/notify/{JOB}/replay", ADMIN),
    Page("POST", "/admin/parking/notify/replay-all", ADMIN),
    Page("GET", f"/admin/parking/registry/{JOB}", ADMIN),
    Page("POST", f"/admin/parking/registry/{JOB}/replay", ADMIN),
    Page("POST", "/admin/parking/registry/replay-all", ADMIN),
    Page("GET", f"/admin/parking/scoring/{JOB}", ADMIN),
    Page("POST", f"/admin/parking/scoring/{JOB}/replay", ADMIN),
    Page("POST", "/admin/parking/scoring/replay-all", ADMIN),
    Page("GET", "/admin/invitations", ADMIN),  # issue 14 item 4
    Page("POST", "/admin/invitations", ADMIN),
    Page("POST", "/admin/invitations/3f2b7c1e-8d4a-4c55-9e61-2a7b0c9d1e22/resend", ADMIN),
    Page("GET", "/admin/accounts", ADMIN),
    Page("POST", "/admin/accounts", ADMIN),
    Page("GET", f"/admin/accounts/{ACCOUNT}", ADMIN),
    Page("POST", f"/admin/accounts/{ACCOUNT}/role", ADMIN),
    Page("POST", f"/admin/accounts/{ACCOUNT}/active", ADMIN),
)


#: The gateway's own account operations (issue 14 item 4): bulk invitations and anyone's
#: sign-in history are for admins; everyone else is refused before any service is asked.
#: (A reset request, its completion and ``/me/sign-ins`` are open to their own callers.)
INVITATION = "3f2b7c1e-8d4a-4c55-9e61-2a7b0c9d1e22"
SIGNED_IN_ACCOUNT = "7a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
OWN_ACCOUNT_OPS: tuple[Op, ...] = (
    Op("GET", "accounts/invitations", "gateway", ADMIN),
    Op("POST", "accounts/invitations", "gateway", ADMIN,
       {"filter": {"pool": "hnte_reserve"}, "reason": "matrix"}),
    Op("GET", f"accounts/invitations/{INVITATION}", "gateway", ADMIN),
    Op("POST", f"accounts/invitations/{INVITATION}/resend", "gateway", ADMIN,
       {"reason": "matrix"}),
    Op("GET", f"accounts/{SIGNED_IN_ACCOUNT}/sign-ins", "gateway", ADMIN),
)
