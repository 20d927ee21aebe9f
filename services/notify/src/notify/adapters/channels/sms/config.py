"""The SMS settings (``NOTIFY_SMS_*``, mixed into ``notify.settings.Settings``) and the
provider they choose.

``NOTIFY_SMS_PROVIDER`` is ``none`` (the default: no SMS; contacts are reached by e-mail
only), ``aliyun`` or ``tencent``. Keys are secrets (k8s: ``notify-secrets``). The template
codes are the provider's approved templates per notice kind; a kind without one is not sent
by SMS (the delivery fails permanently, saying so).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from pydantic import Field
from pydantic import SecretStr
from pydantic import field_validator

from notify.adapters.channels.sms.aliyun import AliyunSms
from notify.adapters.channels.sms.provider import SmsProvider
from notify.adapters.channels.sms.tencent import TencentSms

DEFAULT_ENDPOINTS = {"aliyun": "https://dysmsapi.aliyuncs.com/",
                     "tencent": "https://sms.tencentcloudapi.com/"}
DEFAULT_REGIONS = {"aliyun": "cn-hangzhou", "tencent": "ap-guangzhou"}


class SmsSettings(BaseModel):
    """The SMS fields of notify's settings."""

    #: ``none`` (no SMS), ``aliyun`` (Alibaba Cloud dysmsapi) or ``tencent`` (Tencent Cloud).
    sms_provider: Literal["none", "aliyun", "tencent"] = "none"
    #: The provider's API address; unset = its public endpoint (tests point it at a fake).
    sms_endpoint: str | None = None
    #: The provider's region; unset = cn-hangzhou (Alibaba) or ap-guangzhou (Tencent).
    sms_region: str | None = None
    #: Alibaba AccessKeyId or Tencent SecretId. A secret.
    sms_access_key_id: SecretStr | None = None
    #: Alibaba AccessKeySecret or Tencent SecretKey (signs every request). A secret.
    sms_access_key_secret: SecretStr | None = None
    #: Tencent's SmsSdkAppId (the SMS application); unused by Alibaba.
    sms_sdk_app_id: str | None = None
    #: The approved signature name (签名) printed in 【】 before every message.
    sms_sign_name: str = "育苗"
    #: Approved template code (Alibaba ``SMS_…``) or id (Tencent) per notice kind (kinds:
    #: ``eligibility``, ``renewal``, ``welcome``, ``window``, ``review``; a kind without one is
    #: not sent by SMS and the delivery is parked, saying so), e.g.
    #: ``{"eligibility": "SMS_1", "renewal": "SMS_2", "welcome": "SMS_3"}``. Parameters:
    #: ``name`` (enterprise), ``subject`` (the notice's subject), in that order. The gateway's
    #: account messages bring their own: ``account_invitation`` (``name``, ``link``) and
    #: ``password_reset`` (``code``, ``minutes`` for a code; ``name``, ``link`` for a link).
    sms_templates: dict[str, str] = Field(default_factory=dict)
    #: SMS messages sent per day (China Standard Time) in all; beyond it notices stay in-app.
    sms_daily_cap: int = Field(default=2000, ge=0)
    #: SMS messages one mobile number receives per day.
    sms_per_number_daily_cap: int = Field(default=3, ge=0)
    #: Seconds to wait for the provider's answer before the send is retried.
    sms_timeout_seconds: float = Field(default=10.0, gt=0)
    #: The token delivery receipts must carry (``?token=`` on the callback address the
    #: provider is given); unset = receipts are refused. A secret.
    sms_receipt_token: SecretStr | None = None

    @field_validator("sms_access_key_id", "sms_access_key_secret", "sms_receipt_token",
                     "sms_endpoint", "sms_region", "sms_sdk_app_id", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """An empty variable (compose's ``${NOTIFY_SMS_ACCESS_KEY_ID:-}``) means unset."""
        return None if value == "" else value


def build_provider(settings: SmsSettings) -> SmsProvider | None:
    """The configured provider, or None when SMS is off."""
    name = settings.sms_provider
    if name == "none":
        return None
    key_id = settings.sms_access_key_id.get_secret_value() if settings.sms_access_key_id else ""
    secret = (settings.sms_access_key_secret.get_secret_value()
              if settings.sms_access_key_secret else "")
    endpoint = settings.sms_endpoint or DEFAULT_ENDPOINTS[name]
    region = settings.sms_region or DEFAULT_REGIONS[name]
    if name == "aliyun":
        return AliyunSms(endpoint=endpoint, access_key_id=key_id, access_key_secret=secret,
                         region=region, timeout=settings.sms_timeout_seconds)
    return TencentSms(endpoint=endpoint, secret_id=key_id, secret_key=secret,
                      sdk_app_id=settings.sms_sdk_app_id or "", region=region,
                      timeout=settings.sms_timeout_seconds)
