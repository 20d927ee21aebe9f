"""What every SMS provider offers the sender, and how its answers are classified.

A provider sends one templated message (template code, signature name, template parameters)
to one mainland number and answers the provider's message id (Alibaba ``BizId``, Tencent
``SerialNo``), which the delivery receipt names later. Failures are ``DeliveryFailed``:
throttling and provider outages are temporary (retried on the back-off ladder); an invalid
number, a rejected template or signature, a refused signature (our keys) are permanent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from typing import Protocol

import certifi
import urllib3

from notify.adapters.channels.errors import DeliveryFailed

SMS_THROTTLED = "投递失败：短信发送受限，稍后重试 / delivery failed: SMS throttled, retried later"
SMS_BAD_NUMBER = "投递失败：手机号无效 / delivery failed: invalid mobile number"
SMS_TEMPLATE_REJECTED = ("投递失败：短信模板或签名未通过审核 / "
                         "delivery failed: SMS template or signature rejected")
SMS_UNAVAILABLE = "投递失败：短信服务暂不可用 / delivery failed: SMS service unavailable"
SMS_MISCONFIGURED = ("投递失败：短信服务配置有误 / delivery failed: SMS service misconfigured")
SMS_CAPPED = "未发送：已达今日短信上限 / not sent: today's SMS cap reached"


@dataclass(frozen=True)
class SmsMessage:
    """One message: the number (11 digits), the approved template and its parameters."""

    mobile: str
    template_code: str
    sign_name: str
    #: (name, value) in template order: Alibaba names them, Tencent takes the values in order.
    params: tuple[tuple[str, str], ...]
    #: Our delivery id, echoed back by the provider (Alibaba ``OutId``, Tencent
    #: ``SessionContext``) so a receipt can be matched even without the message id.
    out_id: str


class SmsProvider(Protocol):
    """One cloud's SendSms."""

    name: str
    #: The most characters one template parameter may carry at this provider.
    max_param_length: int

    def send(self, message: SmsMessage) -> str:
        """Send ``message``; returns the provider's message id or raises ``DeliveryFailed``."""
        ...


def fit_params(params: tuple[tuple[str, str], ...], limit: int) -> tuple[tuple[str, str], ...]:
    """Parameters cut to the provider's per-parameter length (an ellipsis marks the cut)."""
    return tuple((name, value if len(value) <= limit else value[: limit - 1] + "…")
                 for name, value in params)


class ProviderRefused(DeliveryFailed):
    """The provider answered and sent nothing (as opposed to no answer: maybe sent)."""


def classify(code: str, *, throttled: frozenset[str], bad_number: frozenset[str],
             rejected: frozenset[str], misconfigured: frozenset[str]) -> ProviderRefused:
    """The failure a provider's error code means (unknown codes are retried)."""
    detail = f"provider error {code}"
    if code in throttled:
        return ProviderRefused(SMS_THROTTLED, permanent=False, detail=detail)
    if code in bad_number:
        return ProviderRefused(SMS_BAD_NUMBER, permanent=True, detail=detail)
    if code in rejected:
        return ProviderRefused(SMS_TEMPLATE_REJECTED, permanent=True, detail=detail)
    if code in misconfigured:
        return ProviderRefused(SMS_MISCONFIGURED, permanent=True, detail=detail)
    return ProviderRefused(SMS_UNAVAILABLE, permanent=False, detail=detail)


def http_pool() -> urllib3.PoolManager:
    """Keep-alive HTTPS with verified certificates (the providers' public endpoints)."""
    return urllib3.PoolManager(cert_reqs="CERT_REQUIRED", ca_certs=certifi.where(), retries=False)


def post_json(pool: urllib3.PoolManager, provider: str, url: str, *, body: bytes,
              headers: dict[str, str], timeout: float) -> tuple[int, dict[str, Any]]:
    """POST and parse a JSON object; unreachable, 5xx or garbage are temporary failures."""
    try:
        response = pool.request("POST", url, body=body, headers=headers,
                                timeout=urllib3.Timeout(total=timeout), redirect=False)
    except urllib3.exceptions.HTTPError as exc:
        raise DeliveryFailed(SMS_UNAVAILABLE, permanent=False,
                             detail=f"{provider} unreachable: {type(exc).__name__}") from exc
    if response.status >= 500:
        raise DeliveryFailed(SMS_UNAVAILABLE, permanent=False,
                             detail=f"{provider} HTTP {response.status}")
    try:
        document = json.loads(response.data)
    except ValueError as exc:
        raise DeliveryFailed(SMS_UNAVAILABLE, permanent=False,
                             detail=f"{provider} HTTP {response.status}: not JSON") from exc
    if not isinstance(document, dict):
        raise DeliveryFailed(SMS_UNAVAILABLE, permanent=False,
                             detail=f"{provider} HTTP {response.status}: not an object")
    return response.status, document
