"""E-mail over SMTP: one message per delivery, carrying the idempotency key as a header.

Classification follows SMTP itself: a 5xx reply (unknown mailbox, refused sender) will not get
better by retrying and is permanent; a 4xx reply, a refused or dropped connection or a timeout
is temporary. Acceptance by the SMTP server is "sent": mail has no delivery receipt. The
enterprise reads only a coarse reason; the SMTP reply goes to the bureau's ``detail``.

A real relay wants TLS and a login. The session is secured before anything is sent: STARTTLS
(or implicit TLS, SMTPS) with the certificate and host name verified, then AUTH when an account
is configured. A relay that offers no STARTTLS, refuses it, presents a certificate that does not
verify, or refuses the login is the bureau's configuration to fix: the delivery fails
permanently with :data:`MAIL_MISCONFIGURED` (parked, the reason in ``detail``), never falls
back to plain text and never hammers the relay with wrong credentials.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from dataclasses import field
from email.message import EmailMessage
from email.utils import formatdate
from email.utils import make_msgid
from typing import TYPE_CHECKING

from notify.adapters.channels.errors import MAIL_MISCONFIGURED
from notify.adapters.channels.errors import MAIL_REFUSED
from notify.adapters.channels.errors import MAIL_UNAVAILABLE
from notify.adapters.channels.errors import DeliveryFailed

if TYPE_CHECKING:
    from notify.settings import Settings


def build_message(*, sender: str, to: str, subject: str, body: str,
                  delivery_id: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=delivery_id, domain="yumiao.local")
    # Receivers (or a mail gateway) can drop a second copy with the same key.
    msg["X-Yumiao-Delivery"] = delivery_id
    msg.set_content(body, charset="utf-8")
    return msg


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the relay (``NOTIFY_SMTP_*``)."""

    host: str
    port: int
    sender: str
    timeout: float = 10.0
    starttls: bool = True
    implicit_tls: bool = False
    ca_file: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def of(cls, settings: Settings) -> SmtpConfig:
        password = settings.smtp_password
        return cls(host=settings.smtp_host, port=settings.smtp_port,
                   sender=settings.smtp_sender, timeout=settings.smtp_timeout_seconds,
                   starttls=settings.smtp_starttls, implicit_tls=settings.smtp_ssl,
                   ca_file=settings.smtp_ca_file, username=settings.smtp_username,
                   password=password.get_secret_value() if password is not None else None)

    def tls_context(self) -> ssl.SSLContext:
        """Certificate and host name verified; a private relay's CA from ``ca_file``."""
        return ssl.create_default_context(cafile=self.ca_file)


class SmtpChannel:
    """Keeps one SMTP session open across a batch; reconnects when the server drops it."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.sender = config.sender
        self._smtp: smtplib.SMTP | None = None

    def _client(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

    def _connect(self) -> smtplib.SMTP:
        """A session ready to send: connected, secured (TLS), logged in (when configured)."""
        cfg = self.config
        smtp: smtplib.SMTP
        try:
            if cfg.implicit_tls:
                smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                        context=cfg.tls_context())
            else:
                smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        except ssl.SSLCertVerificationError as exc:
            raise _misconfigured(f"SMTPS certificate not trusted: {exc.verify_message}") from exc
        try:
            if cfg.starttls:
                self._starttls(smtp)
            if cfg.username:
                self._login(smtp, cfg.username, cfg.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _starttls(self, smtp: smtplib.SMTP) -> None:
        smtp.ehlo()
        if not smtp.has_extn("starttls"):
            raise _misconfigured("SMTP server offers no STARTTLS (NOTIFY_SMTP_STARTTLS=true): "
                                 "nothing sent in plain text")
        try:
            smtp.starttls(context=self.config.tls_context())
        except smtplib.SMTPResponseException as exc:
            raise _misconfigured(
                f"STARTTLS refused: SMTP {exc.smtp_code} {exc.smtp_error!r}") from exc
        except ssl.SSLCertVerificationError as exc:
            raise _misconfigured(f"STARTTLS certificate not trusted: {exc.verify_message}") from exc

    @staticmethod
    def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
        try:
            smtp.login(username, password)
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:  # 454: temporary authentication failure
                raise DeliveryFailed(MAIL_UNAVAILABLE, permanent=False,
                                     detail=f"SMTP AUTH failed for now: {exc.smtp_code} "
                                            f"{exc.smtp_error!r}") from exc
            raise _misconfigured(
                f"SMTP AUTH refused: {exc.smtp_code} {exc.smtp_error!r}") from exc
        except smtplib.SMTPException as exc:  # no AUTH offered, or no common mechanism
            raise _misconfigured(f"SMTP AUTH impossible: {exc}") from exc

    def send(self, *, to: str, subject: str, body: str, delivery_id: str) -> None:
        msg = build_message(sender=self.sender, to=to, subject=subject, body=body,
                            delivery_id=delivery_id)
        try:
            self._client().send_message(msg)
        except DeliveryFailed:
            self.close()
            raise
        except smtplib.SMTPResponseException as exc:
            self.close()
            permanent = 500 <= exc.smtp_code < 600
            raise DeliveryFailed(MAIL_REFUSED if permanent else MAIL_UNAVAILABLE,
                                 permanent=permanent,
                                 detail=f"SMTP {exc.smtp_code} {exc.smtp_error!r}") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            codes = [code for code, _ in exc.recipients.values()]
            permanent = all(500 <= c < 600 for c in codes)
            raise DeliveryFailed(MAIL_REFUSED if permanent else MAIL_UNAVAILABLE,
                                 permanent=permanent,
                                 detail=f"SMTP recipients refused {codes}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise DeliveryFailed(MAIL_UNAVAILABLE, permanent=False,
                                 detail=f"SMTP unavailable: {exc}") from exc

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def _misconfigured(detail: str) -> DeliveryFailed:
    return DeliveryFailed(MAIL_MISCONFIGURED, permanent=True, detail=detail)
