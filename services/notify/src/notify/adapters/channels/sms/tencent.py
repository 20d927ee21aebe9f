"""Tencent Cloud SMS (API version 2021-01-11): ``SendSms`` signed with TC3-HMAC-SHA256.

The request is a JSON POST to ``/`` with ``X-TC-Action: SendSms``, ``X-TC-Version``,
``X-TC-Timestamp`` and ``X-TC-Region``. The signature: the canonical request (method, ``/``,
empty query, the ``content-type`` and ``host`` headers, their names, the payload's SHA-256)
is hashed into the string to sign (``TC3-HMAC-SHA256``, timestamp, ``<date>/sms/tc3_request``,
hash); the key is derived ``HMAC("TC3"+SecretKey, date)`` → ``sms`` → ``tc3_request``.
The answer carries a ``SendStatusSet`` (one entry per number: ``Code`` ``Ok`` and a
``SerialNo``, or ``LimitExceeded.PhoneNumberDailyLimit``, ``InvalidParameterValue.
IncorrectPhoneNumber``, …) or, for the whole request, ``Response.Error``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC
from datetime import datetime
from urllib.parse import urlsplit

from notify.adapters.channels.sms.provider import SmsMessage
from notify.adapters.channels.sms.provider import classify
from notify.adapters.channels.sms.provider import fit_params
from notify.adapters.channels.sms.provider import http_pool
from notify.adapters.channels.sms.provider import post_json

API_VERSION = "2021-01-11"
SERVICE = "sms"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
THROTTLED = frozenset({
    "LimitExceeded.PhoneNumberDailyLimit", "LimitExceeded.PhoneNumberThirtySecondLimit",
    "LimitExceeded.PhoneNumberOneHourLimit", "LimitExceeded.DailyLimit",
    "RequestLimitExceeded", "LimitExceeded.DeliveryFrequencyLimit",
})
BAD_NUMBER = frozenset({"InvalidParameterValue.IncorrectPhoneNumber",
                        "FailedOperation.PhoneNumberInBlacklist",
                        "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber"})
REJECTED = frozenset({"FailedOperation.TemplateIncorrectOrUnapproved",
                      "FailedOperation.SignatureIncorrectOrUnapproved",
                      "InvalidParameterValue.TemplateParameterFormatError",
                      "InvalidParameterValue.TemplateParameterLengthLimit",
                      "FailedOperation.MissingTemplateToModify"})
MISCONFIGURED = frozenset({"AuthFailure.SignatureFailure", "AuthFailure.SecretIdNotFound",
                           "AuthFailure.SignatureExpire",
                           "FailedOperation.InsufficientBalanceInSmsPackage",
                           "InvalidParameterValue.SdkAppIdNotExist"})
#: Tencent's limit for one template variable of a notification template (non-enterprise
#: accounts: 12 characters; we keep to it so either account kind sends).
MAX_PARAM_LENGTH = 12


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def tc3_signature(*, secret_key: str, host: str, payload: bytes, timestamp: int,
                  service: str = SERVICE) -> str:
    """The hex TC3-HMAC-SHA256 signature of a POST of ``payload`` to ``host`` (``service`` is
    the product's name in the credential scope: ``sms`` here)."""
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join([
        "POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n", "content-type;host",
        hashlib.sha256(payload).hexdigest(),
    ])
    to_sign = "\n".join([ALGORITHM, str(timestamp), f"{day}/{service}/tc3_request",
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def authorization(*, secret_id: str, secret_key: str, host: str, payload: bytes,
                  timestamp: int) -> str:
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    sig = tc3_signature(secret_key=secret_key, host=host, payload=payload, timestamp=timestamp)
    return (f"{ALGORITHM} Credential={secret_id}/{day}/{SERVICE}/tc3_request, "
            f"SignedHeaders=content-type;host, Signature={sig}")


class TencentSms:
    """``SendSms`` against ``endpoint`` (``https://sms.tencentcloudapi.com/``)."""

    name = "tencent"
    max_param_length = MAX_PARAM_LENGTH

    def __init__(self, *, endpoint: str, secret_id: str, secret_key: str, sdk_app_id: str,
                 region: str = "ap-guangzhou", timeout: float = 10.0) -> None:
        self.endpoint, self.region, self.timeout = endpoint, region, timeout
        self.host = urlsplit(endpoint).netloc
        self._id, self._key, self.sdk_app_id = secret_id, secret_key, sdk_app_id
        self.http = http_pool()

    def request(self, message: SmsMessage, *, timestamp: int | None = None
                ) -> tuple[bytes, dict[str, str]]:
        """The JSON body and signed headers of one SendSms call."""
        timestamp = timestamp or int(time.time())
        payload = json.dumps({
            "PhoneNumberSet": [f"+86{message.mobile}"],
            "SmsSdkAppId": self.sdk_app_id,
            "SignName": message.sign_name,
            "TemplateId": message.template_code,
            "TemplateParamSet": [v for _, v in fit_params(message.params, MAX_PARAM_LENGTH)],
            "SessionContext": message.out_id,
        }, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            "Content-Type": CONTENT_TYPE, "Host": self.host, "X-TC-Action": "SendSms",
            "X-TC-Version": API_VERSION, "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": self.region,
            "Authorization": authorization(secret_id=self._id, secret_key=self._key,
                                           host=self.host, payload=payload,
                                           timestamp=timestamp),
        }
        return payload, headers

    def send(self, message: SmsMessage) -> str:
        payload, headers = self.request(message)
        status, answer = post_json(self.http, self.name, self.endpoint, body=payload,
                                   headers=headers, timeout=self.timeout)
        response = answer.get("Response") or {}
        error = response.get("Error") if isinstance(response, dict) else None
        if isinstance(error, dict):
            code = str(error.get("Code", ""))
        else:
            statuses = response.get("SendStatusSet") or [{}]
            first = statuses[0] if isinstance(statuses[0], dict) else {}
            code = str(first.get("Code", ""))
            if code == "Ok" and first.get("SerialNo"):
                return str(first["SerialNo"])
        raise classify(code or f"HTTP {status}", throttled=THROTTLED,
                       bad_number=BAD_NUMBER, rejected=REJECTED, misconfigured=MISCONFIGURED)
