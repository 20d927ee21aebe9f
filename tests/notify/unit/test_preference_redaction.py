"""What the preference audit shows of a webhook URL: passwords and token-like values hidden."""

from __future__ import annotations

import pytest

from notify.preferences import diff
from notify.preferences import redact_url


@pytest.mark.parametrize(("url", "shown"), [
    ("https://hooks.example.com/in", "https://hooks.example.com/in"),
    ("http://u:p@h:8080/x?a=1", "http://u:[redacted]@h:8080/x?a=1"),
    ("http://u@h/x", "http://u@h/x"),
    ("https://h/x?api_key=K&Signature=S&page=2&flag", "https://h/x?api_key=[redacted]&"
                                                       "Signature=[redacted]&page=2&flag"),
    ("https://h/x?access%5Ftoken=T#frag", "https://h/x?access%5Ftoken=[redacted]#frag"),
])
def test_webhook_url_redaction(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_diff_lists_only_changed_fields_and_redacts_the_secret() -> None:
    before = {"language": "en", "channels": ["inapp"], "webhook_secret": "s" * 20}
    after = before | {"channels": ["inapp", "webhook"], "webhook_secret": "t" * 20}
    assert diff(before, after) == {
        "channels": {"before": ["inapp"], "after": ["inapp", "webhook"]},
        "webhook_secret": {"before": "[redacted]", "after": "[redacted]"},
    }
