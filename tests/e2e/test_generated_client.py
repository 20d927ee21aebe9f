"""A Python client generated from the gateway's OpenAPI document drives the whole stack.

The document is fetched from the running stack, ``openapi-python-client`` (a dev requirement,
installed from PyPI; no network at generation time: no post-hooks) writes the package into the
test's tmp dir, and the test imports it and uses only what it generated — typed request
models, typed responses, the ``Error`` model for refusals. A bureau journey (sign in, list and
read enterprises, read evaluations and a ranking, nominate a firm to a pool and move it a
stage) and an enterprise journey (sign in, read its own evaluations and notices, be refused a
foreign firm) prove the document describes what the stack really does: an undocumented status
or a body that does not parse fails the test (``raise_on_unexpected_status``).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import requests
from e2e_stack import Stack
from e2e_stack import poll

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
PACKAGE = "yumiao_generated_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
CONFIG = f"""\
project_name_override: yumiao-generated-client
package_name_override: {PACKAGE}
post_hooks: []
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
"""
EVENT_TIMEOUT = 90.0


@pytest.fixture(scope="module")
def generated(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package, imported (and removed from ``sys.modules`` afterwards)."""
    doc = requests.get(f"{stack.base_url}/api/v1/openapi.json", timeout=60).json()
    assert doc["x-yumiao-unavailable"] == [], doc["x-yumiao-unavailable"]
    work = tmp_path_factory.mktemp("generated-client")
    (work / "openapi.json").write_text(json.dumps(doc), encoding="utf-8")
    (work / "config.yaml").write_text(CONFIG, encoding="utf-8")
    run = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(work / "openapi.json"),
         "--output-path", str(work / PACKAGE), "--meta", "none",
         "--config", str(work / "config.yaml")],
        capture_output=True, text=True, timeout=300, check=False)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    # Every operation became a function and every component a model.
    assert "will not be generated" not in report and "Unable to" not in report, report
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def op(name: str) -> Any:
    """A generated operation module, e.g. ``op("auth.post_auth_login")``."""
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def models() -> Any:
    return importlib.import_module(f"{PACKAGE}.models")


def sign_in(generated: ModuleType, stack: Stack, username: str) -> Any:
    anonymous = generated.Client(base_url=stack.base_url, raise_on_unexpected_status=True,
                                 timeout=60.0)
    tokens = op("auth.post_auth_login").sync(
        client=anonymous, body=models().LoginIn(username=username, password=stack.password))
    assert isinstance(tokens, models().TokensOut), tokens
    return generated.AuthenticatedClient(base_url=stack.base_url, token=tokens.access_token,
                                         raise_on_unexpected_status=True, timeout=60.0)


def _nominate_somewhere(client: Any, usccs: list[str]) -> tuple[str, str, Any]:
    """Nominate a listed firm to a pool it is not in yet: (pool, uscc, membership)."""
    pools = op("pools.get_pools").sync(client=client)  # a page, as every list
    assert pools.items, "the demo registry has pools"
    for pool in pools.items:
        for uscc in usccs:
            made = op("pools.post_pools_by_pool_members").sync(
                pool.key, client=client,
                body=models().Nominate(uscc=uscc, reason="生成客户端提名 / generated client"))
            if isinstance(made, models().Membership):
                return pool.key, uscc, made
            assert isinstance(made, models().Error), made  # refused in the documented shape
    pytest.fail("no firm could be nominated to any pool", pytrace=False)


def test_the_bureau_journey_through_the_generated_client(
    generated: ModuleType, stack: Stack
) -> None:
    client = sign_in(generated, stack, "curator")
    me = op("me.get_me").sync(client=client)
    assert me.role == "curator"

    page = op("enterprises.get_enterprises").sync(client=client, limit=5)
    assert isinstance(page, models().EnterprisePage) and 0 < len(page.items) <= 5
    assert page.total is None or page.total >= len(page.items)
    if page.next_cursor:
        following = op("enterprises.get_enterprises").sync(client=client, limit=5,
                                                           cursor=page.next_cursor)
        assert {e.uscc for e in following.items}.isdisjoint({e.uscc for e in page.items})
    uscc = stack.enterprises[0]
    one = op("enterprises.get_enterprises_by_uscc").sync(uscc, client=client)
    assert one.uscc == uscc and one.name

    evaluations = poll(lambda: _evaluated(client, uscc), timeout=EVENT_TIMEOUT,
                       what="scoring's evaluations of a demo firm")
    assert {e.tier for e in evaluations.evaluations} >= {"tech_sme"}
    ranking = op("rankings.get_rankings_by_tier").sync("tech_sme", client=client, limit=10)
    assert isinstance(ranking, models().RankingPage)

    pool, nominee, membership = _nominate_somewhere(client, [e.uscc for e in page.items])
    assert membership.allowed_moves, membership.to_dict()
    target = membership.allowed_moves[0]
    moved = op("pools.post_pools_by_pool_members_by_uscc_moves").sync(
        pool, nominee, client=client, body=models().Move(
            to_stage=models().MoveToStage(target), reason="生成客户端推进 / generated client",
            version=membership.version))
    assert isinstance(moved, models().Membership), moved
    assert moved.stage == target and moved.version > membership.version
    history = op("pools.get_pools_by_pool_members_by_uscc_moves").sync(pool, nominee,
                                                                       client=client)
    assert [m.to_stage for m in history.items][-1] == target


def _evaluated(client: Any, uscc: str) -> Any:
    body = op("evaluations.get_enterprises_by_uscc_evaluations").sync(uscc, client=client)
    return body if isinstance(body, models().EnterpriseEvaluations) and body.evaluations else None


def test_the_enterprise_journey_through_the_generated_client(
    generated: ModuleType, stack: Stack
) -> None:
    mine, other = stack.enterprises[0], stack.enterprises[1]
    client = sign_in(generated, stack, mine)
    me = op("me.get_me").sync(client=client)
    assert me.uscc == mine and me.kind == "enterprise"

    evaluations = poll(lambda: _my_evaluations(client), timeout=EVENT_TIMEOUT,
                       what="the enterprise's own evaluations")
    assert evaluations.uscc == mine
    assert all(e.verdict for e in evaluations.evaluations)
    enterprise = op("me.me_get_enterprise").sync(client=client)
    assert enterprise.uscc == mine

    notices = op("me.me_get_notices").sync(client=client, limit=20)
    assert isinstance(notices, models().NoticePage)
    assert all(n.uscc == mine for n in notices.items)

    refused = op("enterprises.get_enterprises_by_uscc").sync_detailed(other, client=client)
    assert refused.status_code == 403
    assert isinstance(refused.parsed, models().Error)
    assert refused.parsed.error.code == "enterprise_scope" and other not in refused.content.decode()


def _my_evaluations(client: Any) -> Any:
    body = op("me.me_get_evaluations").sync(client=client)
    return body if isinstance(body, models().EnterpriseEvaluations) and body.evaluations else None
