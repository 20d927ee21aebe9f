"""The SMS channel the sender pushes through: template per notice kind, caps, provider.

Before a message leaves, the day's caps are reserved in notify's database (the total and the
number's own, ``adapters.sql.sms_usage``); a refused reservation fails the delivery
permanently with the reason, and the notice stays readable in the in-app inbox. A message
the provider refused (throttled, invalid number …) gives its slot back. Numbers never
reach a log line whole.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.adapters.channels.errors import DeliveryFailed
from notify.adapters.channels.sms.config import SmsSettings
from notify.adapters.channels.sms.config import build_provider
from notify.adapters.channels.sms.provider import SMS_CAPPED
from notify.adapters.channels.sms.provider import ProviderRefused
from notify.adapters.channels.sms.provider import SmsMessage
from notify.adapters.channels.sms.provider import SmsProvider
from notify.adapters.sql.sms_usage import release
from notify.adapters.sql.sms_usage import reserve
from yumiao_common.personal_data import mask_mobile
from yumiao_common.personal_data import normalise_mobile

log = logging.getLogger("notify.sms")

SMS_OFF = "未发送：未开通短信服务 / not sent: no SMS provider configured"
NO_TEMPLATE = "未发送：此类通知无短信模板 / not sent: no SMS template for this kind of notice"
BAD_NUMBER = "投递失败：手机号无效 / delivery failed: invalid mobile number"


class SmsChannel:
    """One provider (thread-safe HTTP pool) shared by the sender's push threads."""

    def __init__(self, settings: SmsSettings, sessions: sessionmaker[Session],
                 provider: SmsProvider | None = None) -> None:
        self.settings, self.sessions = settings, sessions
        self.provider = provider if provider is not None else build_provider(settings)

    def send(self, *, mobile: str, kind: str, params: tuple[tuple[str, str], ...],
             delivery_id: str, now: datetime) -> str:
        """Send one notice by SMS; returns the provider's message id."""
        if self.provider is None:
            raise DeliveryFailed(SMS_OFF, permanent=True, detail="NOTIFY_SMS_PROVIDER=none")
        template = self.settings.sms_templates.get(kind)
        if not template:
            raise DeliveryFailed(NO_TEMPLATE, permanent=True,
                                 detail=f"NOTIFY_SMS_TEMPLATES has no {kind!r}")
        number = normalise_mobile(mobile)
        if number is None:
            raise DeliveryFailed(BAD_NUMBER, permanent=True, detail="not a mainland mobile")
        with self.sessions() as session:
            refused = reserve(session, mobile=number, now=now,
                              daily_cap=self.settings.sms_daily_cap,
                              per_number_cap=self.settings.sms_per_number_daily_cap)
            if refused:
                session.rollback()
                raise DeliveryFailed(SMS_CAPPED, permanent=True, detail=f"{refused} SMS cap")
            session.commit()
        try:
            ref = self.provider.send(SmsMessage(mobile=number, template_code=template,
                                                sign_name=self.settings.sms_sign_name,
                                                params=params, out_id=delivery_id))
        except ProviderRefused:  # nothing went out: the slot is free again
            with self.sessions.begin() as session:
                release(session, mobile=number, now=now)
            raise
        log.info("sms %s to %s accepted by %s as %s", delivery_id, mask_mobile(number),
                 self.provider.name, ref)
        return ref
