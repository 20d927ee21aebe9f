"""The one pagination dialect: bounded ``limit``, opaque cursors that are never trusted."""

from __future__ import annotations

import base64
import json

import pytest
from marshmallow import ValidationError

from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.pagination import PageQuerySchema
from yumiao_common.web.pagination import decode_cursor
from yumiao_common.web.pagination import encode_cursor


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_a_cursor_round_trips_and_is_opaque_url_safe_text() -> None:
    cursor = encode_cursor({"tier": "hnte", "uscc": "91371502MA3DHUQR57"})
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert decode_cursor(cursor, {"tier": str, "uscc": str}) == {
        "tier": "hnte", "uscc": "91371502MA3DHUQR57"}
    assert decode_cursor(None, {"id": int}) is None


@pytest.mark.parametrize("cursor", [
    "%%%", "not base64!", _b64([1, 2]), _b64({"id": "7"}), _b64({"id": True}),
    _b64({"id": 2**70}), _b64({"id": 1, "extra": 2}), _b64({}), "",
    base64.urlsafe_b64encode(b"\xff\xfe").decode(),
])
def test_a_forged_or_broken_cursor_is_a_422_naming_cursor(cursor: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(cursor, {"id": int})
    assert list(caught.value.fields) == ["cursor"]


@pytest.mark.parametrize("query", [{"limit": "0"}, {"limit": "201"}, {"limit": "x"},
                                   {"cursor": "c" * 513}, {"cursor": ""}, {"page": "2"}])
def test_limit_and_cursor_are_bounded_and_page_numbers_are_refused(query: dict[str, str]
                                                                    ) -> None:
    with pytest.raises(ValidationError):
        PageQuerySchema().load(query)


def test_defaults_are_the_first_page_of_fifty() -> None:
    assert PageQuerySchema().load({}) == {"limit": 50, "cursor": None}
    assert PageQuerySchema().load({"limit": "200"})["limit"] == 200


def test_a_catalogue_held_in_memory_pages_in_the_same_dialect() -> None:
    from yumiao_common.web.pagination import sequence_page

    towns = [{"code": f"3715020{i:02d}", "name": f"镇{i}"} for i in range(7)]
    seen: list[str] = []
    cursor = None
    while True:
        page = sequence_page(towns, key=lambda t: t["code"], kind=str, limit=3, cursor=cursor)
        assert set(page) == {"items", "next_cursor", "total"} and page["total"] == 7
        seen += [t["code"] for t in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == [t["code"] for t in towns]
    for forged in (encode_cursor({"after": "nowhere"}), encode_cursor({"after": 3}), "%%%"):
        with pytest.raises(ValidationFailed) as caught:
            sequence_page(towns, key=lambda t: t["code"], kind=str, limit=3, cursor=forged)
        assert list(caught.value.fields) == ["cursor"]
