"""E-mail over SMTP: one message per delivery, carrying the idempotency key as a header.

Classification follows SMTP itself: a 5xx reply (unknown mailbox, refused sender) will not get
better by retrying and is permanent; a 4xx reply, a refused or dropped connection or a timeout
is temporary. Acceptance by the SMTP server is "sent": mail has no delivery receipt. The
enterprise reads only a coarse reason; the SMTP reply goes to the bureau's ``detail``.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate
from email.utils import make_msgid

from notify.adapters.channels.errors import MAIL_REFUSED
from notify.adapters.channels.errors import MAIL_UNAVAILABLE
from notify.adapters.channels.errors import DeliveryFailed


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


class SmtpChannel:
    """Keeps one SMTP session open across a batch; reconnects when the server drops it."""

    def __init__(self, host: str, port: int, sender: str, timeout: float) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout
        self._smtp: smtplib.SMTP | None = None

    def _client(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        return self._smtp

    def send(self, *, to: str, subject: str, body: str, delivery_id: str) -> None:
        msg = build_message(sender=self.sender, to=to, subject=subject, body=body,
                            delivery_id=delivery_id)
        try:
            self._client().send_message(msg)
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
