"""One-time secrets: what a person receives and what the database keeps of it."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from gateway.domain import one_time

KEY = "k" * 40


def test_a_code_is_six_digits_and_only_its_keyed_hash_is_kept() -> None:
    codes = {one_time.new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes) and len(codes) > 150
    stored = one_time.code_hash(KEY, "row-1", "012345")
    assert "012345" not in stored
    assert one_time.same_code(KEY, "row-1", " 012345 ", stored)  # spaces typed around it
    assert not one_time.same_code(KEY, "row-2", "012345", stored)  # bound to its row
    assert not one_time.same_code("another-key" * 4, "row-1", "012345", stored)


def test_links_are_unguessable_and_point_at_the_configured_site() -> None:
    token = one_time.new_link_token()
    assert len(token) >= 43 and one_time.new_link_token() != token
    link = one_time.set_password_link("https://yumiao.example.gov.cn/", token)
    assert link == f"https://yumiao.example.gov.cn/account/set-password?token={token}"
    assert one_time.link_hash(KEY, token) != one_time.link_hash(KEY, token + "x")


def test_messages_read_in_chinese_first_with_english_and_beijing_time() -> None:
    expires = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
    text = one_time.invitation_text(name="聊城测试有限公司", uscc="913715006140714791",
                                    link="https://y.test/x", expires_at=expires)
    assert text.body.index("请在") < text.body.index("Set its password")
    assert "2026-12-09 18:00" in text.body and "https://y.test/x" in text.body
    assert " / " in text.subject and text.sms_params["link"] == "https://y.test/x"
    code = one_time.reset_code_text(name="x", uscc="913715006140714791", code="123456",
                                    minutes=10)
    assert code.sms_params == {"code": "123456", "minutes": "10"}
    assert "10 分钟" in code.body and "10 minutes" in code.body
