"""What the preference audit shows of a webhook URL: its scheme and host, nothing after."""

from __future__ import annotations

import pytest

from notify.handlers.preferences import diff
from notify.handlers.preferences import redact


@pytest.mark.parametrize(("url", "shown"), [
    ("https://hooks.example.com/in", "https://hooks.example.com/…"),
    ("http://u:p@h:8080/x?a=1", "http://h:8080/…"),
    ("http://u@h/x", "http://h/…"),
    ("https://h/x?api_key=K&Signature=S&page=2&flag", "https://h/…"),
    ("https://h/x?access%5Ftoken=T#frag", "https://h/…"),
])
def test_webhook_url_redaction(url: str, shown: str) -> None:
    assert redact({"webhook_url": url})["webhook_url"] == shown


def test_diff_lists_only_changed_fields_and_redacts_the_secret() -> None:
    before = {"language": "en", "channels": ["inapp"], "webhook_secret": "s" * 20}
    after = before | {"channels": ["inapp", "webhook"], "webhook_secret": "t" * 20}
    assert diff(before, after) == {
        "channels": {"before": ["inapp"], "after": ["inapp", "webhook"]},
        "webhook_secret": {"before": "[redacted]", "after": "[redacted]"},
    }
