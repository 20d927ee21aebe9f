"""Every list in every service speaks the one pagination dialect, and cannot stop doing so.

Walks each service's OpenAPI document (registry, scoring, notify, as deployed with a token):
a GET answering a bare JSON array, or an ``items`` list without ``next_cursor``/``total``,
``limit`` (1–200) and ``cursor``, fails here. A bare array once returned a pool's whole stage
history and a policy's whole audit trail, which grow without limit. The few aggregate
documents that do not page are listed in ``openapi_walk.AGGREGATES`` and each is explained in
DEVELOPING.md. (The gateway's merged document is walked in
``tests/gateway/integration/test_openapi_and_docs.py``.)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from openapi_walk import AGGREGATES  # noqa: E402
from openapi_walk import unpaged_lists  # noqa: E402
from service_apps import SERVICES  # noqa: E402
from service_apps import migrated_service_apps  # noqa: E402

pytestmark = pytest.mark.integration
TOKEN = "every-list-pages-internal-token-0123"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def apps(make_sqlite_url: Callable[[str], str]) -> dict[str, Flask]:
    return migrated_service_apps(make_sqlite_url, prefix="lists", token=TOKEN,
                                 log_level="CRITICAL")


def _document(app: Flask) -> dict[str, Any]:
    resp = app.test_client().get("/api/v1/openapi.json", headers={"X-Internal-Token": TOKEN})
    assert resp.status_code == 200
    return dict(resp.json)


@pytest.mark.parametrize("service", SERVICES)
def test_no_get_answers_a_list_outside_the_dialect(apps: dict[str, Flask], service: str
                                                   ) -> None:
    assert unpaged_lists(_document(apps[service])) == []


def test_the_walk_catches_a_bare_array_and_a_list_without_paging() -> None:
    """The guard itself: the two shapes that used to ship are both caught."""
    array = {"type": "array", "items": {"type": "object"}}
    half = {"type": "object", "properties": {"items": array, "total": {"type": "integer"}}}
    doc = {"paths": {
        "/api/v1/pools/{pool}/members/{uscc}/moves": {"get": {"responses": {"200": {
            "content": {"application/json": {"schema": array}}}}}},
        "/api/v1/rulebooks": {"get": {"responses": {"200": {
            "content": {"application/json": {"schema": half}}}}}},
        "/api/v1/statistics/stages": {"get": {"responses": {"200": {
            "content": {"application/json": {"schema": array}}}}}},
    }, "components": {"schemas": {}}}
    found = unpaged_lists(doc)
    assert any("moves: answers a bare JSON array" in f for f in found)
    assert any("rulebooks: a list without next_cursor" in f for f in found)
    assert any("rulebooks: a list without cursor" in f for f in found)
    assert not any("statistics" in f for f in found)


def test_every_document_that_does_not_page_is_explained_in_developing_md() -> None:
    text = (ROOT / "DEVELOPING.md").read_text("utf-8")
    section = text.split("## Pagination", 1)[1].split("\n## ", 1)[0]
    for path in AGGREGATES:
        assert f"`{path}`" in section, path
