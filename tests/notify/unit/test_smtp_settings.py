"""The SMTP settings refuse what would send badly: both TLS modes at once, a password in
plain text. Empty variables are unset. The password never shows in a repr."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from notify.adapters.channels.email import SmtpConfig
from notify.settings import Settings


@pytest.mark.parametrize(("fields", "says"), [
    ({"smtp_starttls": True, "smtp_ssl": True}, "exclude each other"),
    ({"smtp_starttls": False, "smtp_ssl": False, "smtp_username": "u", "smtp_password": "p"},
     "plain text"),
    ({"smtp_port": 0}, "smtp_port"),
    ({"smtp_timeout_seconds": 0}, "smtp_timeout_seconds"),
])
def test_inconsistent_smtp_settings_are_refused(fields: dict[str, Any], says: str) -> None:
    with pytest.raises(ValidationError, match=says):
        Settings(**fields)


@pytest.mark.parametrize("fields", [
    {},  # STARTTLS by default, no login
    {"smtp_starttls": False, "smtp_ssl": True, "smtp_port": 465, "smtp_username": "u",
     "smtp_password": "p"},
    {"smtp_starttls": True, "smtp_username": "u", "smtp_password": "p"},
    {"smtp_starttls": False},  # a demo sink (Mailpit)
    # compose's Mailpit: no account (empty), the .env password placeholder unused
    {"smtp_starttls": False, "smtp_username": "", "smtp_password": "change-me"},
])
def test_consistent_smtp_settings_load(fields: dict[str, Any]) -> None:
    Settings(**fields)


def test_the_password_reaches_the_channel_and_no_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_SMTP_USERNAME", "sender@bureau.example")
    monkeypatch.setenv("NOTIFY_SMTP_PASSWORD", "s3cret-relay-pass")
    settings = Settings()
    assert "s3cret-relay-pass" not in repr(settings)
    config = SmtpConfig.of(settings)
    assert (config.username, config.password) == ("sender@bureau.example", "s3cret-relay-pass")
    assert config.starttls and not config.implicit_tls
    assert "s3cret-relay-pass" not in repr(config)


def test_without_a_username_there_is_no_login() -> None:
    config = SmtpConfig.of(Settings(smtp_username="", smtp_password="unused", smtp_ca_file=""))
    assert (config.username, config.ca_file) == (None, None)
