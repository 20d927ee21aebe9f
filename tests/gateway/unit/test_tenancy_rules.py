"""Routing by DEVELOPING.md's path table and the role rules, as pure functions."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import MethodNotAllowed

from gateway.domain.principal import ANONYMOUS
from gateway.domain.principal import Principal
from gateway.domain.tenancy import authorize
from gateway.domain.tenancy import resolve_me
from gateway.domain.tenancy import service_for
from yumiao_common.web.errors import DomainError
from yumiao_common.web.errors import Forbidden
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import Unauthorized

A = "913715006140714791"
ENTERPRISE = Principal("enterprise", A, "enterprise", A)
ROLES = {r: Principal("user", r, r) for r in ("viewer", "curator", "admin")}


@pytest.mark.parametrize(("path", "service"), [
    ("enterprises", "registry"), (f"enterprises/{A}/profile", "registry"),
    (f"enterprises/{A}/audit", "registry"), ("pools/x/members", "registry"),
    ("imports/7", "registry"), ("exports/enterprises.xlsx", "registry"),
    ("reference/towns", "registry"), ("plans/1", "registry"),
    ("statistics/certifications", "registry"), ("reports/progress.pdf", "registry"),
    ("rounds", "registry"), ("rounds/3/candidates", "registry"), ("worklist", "registry"),
    (f"enterprises/{A}/services", "registry"), (f"enterprises/{A}/problems/1", "registry"),
    ("evaluate", "scoring"), (f"enterprises/{A}/evaluations", "scoring"),
    ("rankings/hnte", "scoring"), ("rulebooks", "scoring"), ("parameters/p", "scoring"),
    ("reevaluations", "scoring"),
    ("policies", "notify"), ("notices/1", "notify"), (f"enterprises/{A}/notices", "notify"),
    (f"enterprises/{A}/preferences", "notify"), ("parking", "notify"),
    (f"parking/{A}", "notify"), ("parking/registry", "registry"),
    ("parking/registry/x/replay", "registry"), ("parking/scoring/x", "scoring"),
    ("submissions", "registry"), ("submissions/7/review", "registry"),
    (f"enterprises/{A}/overview", "registry"),
    ("submissions/7/evidence/9", "registry"), (f"enterprises/{A}/submissions/7", "registry"),
])
def test_each_path_goes_to_its_owning_service(path: str, service: str) -> None:
    assert service_for(path) == service


@pytest.mark.parametrize("path", ["nothing", "enterprisesX", "", "enterprises/../accounts",
                                  "enterprises//x", "./enterprises"])
def test_unknown_or_climbing_paths_are_404(path: str) -> None:
    with pytest.raises(NotFound):
        service_for(path)


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("GET", f"enterprises/{A}", {"viewer", "curator", "admin"}),
    ("PATCH", f"enterprises/{A}", {"curator", "admin"}),
    ("POST", f"pools/hnte_reserve/members/{A}/moves", {"curator", "admin"}),
    ("POST", "imports", {"curator", "admin"}),
    ("GET", "imports", {"viewer", "curator", "admin"}),
    ("PUT", "parameters/x", {"admin"}),
    ("GET", "parameters/x", {"viewer", "curator", "admin"}),
    ("GET", "parking", {"admin"}),
    ("GET", "parking/registry", {"admin"}), ("POST", "parking/scoring/x/replay", {"admin"}),
    ("POST", "evaluate", {"viewer", "curator", "admin", "enterprise"}),
    ("GET", "reference/towns", {"viewer", "curator", "admin", "enterprise", "anonymous"}),
    ("POST", "reference/towns", {"curator", "admin"}),
    ("GET", "reports/progress", {"viewer", "curator", "admin"}),
    ("GET", "reports/progress.xlsx", {"viewer", "curator", "admin"}),
    ("POST", "reports/snapshots", {"admin"}),
    ("POST", "reports/snapshots/2024/corrections", {"admin"}),
    ("GET", "plans", {"viewer", "curator", "admin"}),
    ("POST", "plans", {"admin"}),
    ("PUT", "plans/1", {"admin"}),
    ("GET", "statistics/stages", {"viewer", "curator", "admin"}),
    ("GET", "rounds", {"viewer", "curator", "admin"}),
    ("POST", "rounds", {"curator", "admin"}),
    ("POST", "rounds/1/batches", {"curator", "admin"}),
    ("GET", "rounds/1/roster.xlsx", {"viewer", "curator", "admin"}),
    ("GET", "worklist", {"viewer", "curator", "admin"}),
    ("GET", f"enterprises/{A}/services", {"viewer", "curator", "admin"}),
    ("POST", f"enterprises/{A}/services", {"curator", "admin"}),
    ("GET", f"enterprises/{A}/shared-services", {"viewer", "curator", "admin"}),
    ("PATCH", f"enterprises/{A}/problems/1", {"curator", "admin"}),
    # Issue 15: the review queue — every bureau role reads, curators and admins decide.
    ("GET", "submissions", {"viewer", "curator", "admin"}),
    ("GET", "submissions/7", {"viewer", "curator", "admin"}),
    ("GET", "submissions/7/evidence/9", {"viewer", "curator", "admin"}),
    ("POST", "submissions/7/review", {"curator", "admin"}),
    # A firm's filing is its own: the bureau reads it but files, saves, submits, attaches
    # and removes nothing in the firm's name (and the firm itself only through /me).
    ("GET", f"enterprises/{A}/submissions", {"viewer", "curator", "admin"}),
    ("GET", f"enterprises/{A}/submissions/7/evidence/9", {"viewer", "curator", "admin"}),
    ("POST", f"enterprises/{A}/submissions", set()),
    ("PUT", f"enterprises/{A}/submissions/7", set()),
    ("POST", f"enterprises/{A}/submissions/7/submit", set()),
    ("POST", f"enterprises/{A}/submissions/7/evidence", set()),
    ("DELETE", f"enterprises/{A}/submissions/7/evidence/9", set()),
    # Issue 16: the firm's overview (the bureau's enterprise page in one read) is read by
    # every bureau role, as each of its parts is, and written by nobody.
    ("GET", f"enterprises/{A}/overview", {"viewer", "curator", "admin"}),
    ("POST", f"enterprises/{A}/overview", set()),
    ("PUT", f"enterprises/{A}/overview", set()),
])
def test_role_rules(method: str, path: str, allowed: set[str]) -> None:
    principals = {**ROLES, "enterprise": ENTERPRISE, "anonymous": ANONYMOUS}
    passed = set()
    for name, principal in principals.items():
        try:
            authorize(principal, method, path)
        except DomainError:
            continue
        passed.add(name)
    assert passed == allowed


def test_anonymous_gets_401_and_enterprise_403() -> None:
    with pytest.raises(Unauthorized):
        authorize(ANONYMOUS, "GET", f"enterprises/{A}")
    with pytest.raises(Forbidden):
        authorize(ENTERPRISE, "GET", f"enterprises/{A}")


@pytest.mark.parametrize(("method", "sub", "expected"), [
    ("GET", "profile", ("registry", f"enterprises/{A}/profile")),
    ("GET", "evaluations", ("scoring", f"enterprises/{A}/evaluations")),
    ("PATCH", "notices/abc-1", ("notify", f"enterprises/{A}/notices/abc-1")),
    ("PUT", "preferences", ("notify", f"enterprises/{A}/preferences")),
    ("POST", "evaluate", ("scoring", "evaluate")),
    ("GET", "services", ("registry", f"enterprises/{A}/shared-services")),
    ("GET", "problems", ("registry", f"enterprises/{A}/shared-problems")),
    ("GET", "submissions", ("registry", f"enterprises/{A}/submissions")),
    ("POST", "submissions", ("registry", f"enterprises/{A}/submissions")),
    ("GET", "submissions/7", ("registry", f"enterprises/{A}/submissions/7")),
    ("PUT", "submissions/7", ("registry", f"enterprises/{A}/submissions/7")),
    ("POST", "submissions/7/submit", ("registry", f"enterprises/{A}/submissions/7/submit")),
    ("POST", "submissions/7/evidence", ("registry", f"enterprises/{A}/submissions/7/evidence")),
    ("GET", "submissions/7/evidence/0b7e6a52-52c1-4b43-9a36-3f6f0d0d0c01",
     ("registry", f"enterprises/{A}/submissions/7/evidence/0b7e6a52-52c1-4b43-9a36-3f6f0d0d0c01")),
    ("DELETE", "submissions/7/evidence/9",
     ("registry", f"enterprises/{A}/submissions/7/evidence/9")),
])
def test_me_is_rewritten_to_the_callers_own_uscc(
    method: str, sub: str, expected: tuple[str, str]
) -> None:
    assert resolve_me(ENTERPRISE, method, sub) == expected


@pytest.mark.parametrize(("method", "sub"), [
    ("GET", "notices/../../x"), ("GET", "notices/a/b"), ("GET", "audit"),
    # no review of one's own report, no other firm's evidence by a longer path
    ("POST", "submissions/7/review"), ("GET", f"submissions/7/evidence/9/{A}"),
    ("GET", "submissions/7/evidence/a.b"), ("GET", "submissions/" + "x" * 65),
])
def test_me_refuses_anything_not_in_the_table(method: str, sub: str) -> None:
    with pytest.raises(NotFound):
        resolve_me(ENTERPRISE, method, sub)


@pytest.mark.parametrize(("method", "sub", "allowed"), [
    ("PUT", "profile", ["GET"]), ("DELETE", "preferences", ["GET", "PUT"]),
    ("POST", "certifications", ["GET"]),
    ("POST", "services", ["GET"]),
    ("DELETE", "submissions/7", ["GET", "PUT"]), ("GET", "submissions/7/submit", ["POST"]),
    ("PUT", "submissions/7/evidence/9", ["DELETE", "GET"]),
])
def test_me_paths_refuse_other_methods_with_405_naming_the_allowed_ones(
    method: str, sub: str, allowed: list[str]
) -> None:
    with pytest.raises(MethodNotAllowed) as refused:
        resolve_me(ENTERPRISE, method, sub)
    assert refused.value.valid_methods == allowed


def test_me_is_for_enterprise_accounts_only() -> None:
    with pytest.raises(Forbidden):
        resolve_me(ROLES["admin"], "GET", "profile")
    with pytest.raises(Unauthorized):
        resolve_me(ANONYMOUS, "GET", "profile")
