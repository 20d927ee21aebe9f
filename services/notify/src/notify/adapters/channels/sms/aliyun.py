"""Alibaba Cloud SMS (dysmsapi, API version 2017-05-25): ``SendSms`` in the RPC style.

Every parameter (the common ones and SendSms's ``PhoneNumbers``, ``SignName``,
``TemplateCode``, ``TemplateParam`` as a JSON object, ``OutId``) is signed: the parameters
sorted by name and percent-encoded (RFC 3986), joined as ``k=v&…``; the string to sign is
``POST&%2F&`` + that query, percent-encoded again; the signature is base64 of HMAC-SHA1 with
``AccessKeySecret + "&"``. The answer's ``Code`` is ``OK`` with the message's ``BizId``, or
an error code (``isv.BUSINESS_LIMIT_CONTROL`` throttling, ``isv.MOBILE_NUMBER_ILLEGAL``, …).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import UTC
from datetime import datetime
from urllib.parse import quote
from urllib.parse import urlencode

from notify.adapters.channels.sms.provider import SmsMessage
from notify.adapters.channels.sms.provider import classify
from notify.adapters.channels.sms.provider import fit_params
from notify.adapters.channels.sms.provider import http_pool
from notify.adapters.channels.sms.provider import post_json

API_VERSION = "2017-05-25"
THROTTLED = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "Throttling.User", "Throttling",
                       "isv.DAY_LIMIT_CONTROL"})
BAD_NUMBER = frozenset({"isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT",
                        "isv.BLACK_KEY_CONTROL_LIMIT"})
REJECTED = frozenset({"isv.SMS_TEMPLATE_ILLEGAL", "isv.SMS_SIGNATURE_ILLEGAL",
                      "isv.TEMPLATE_MISSING_PARAMETERS", "isv.INVALID_PARAMETERS",
                      "isv.PARAM_LENGTH_LIMIT", "isv.TEMPLATE_PARAMS_ILLEGAL"})
MISCONFIGURED = frozenset({"SignatureDoesNotMatch", "InvalidAccessKeyId.NotFound",
                           "IncompleteSignature", "isv.ACCOUNT_NOT_EXISTS",
                           "isv.AMOUNT_NOT_ENOUGH", "isv.OUT_OF_SERVICE"})
#: Alibaba's variable limit for a notification template's name/text variables.
MAX_PARAM_LENGTH = 35


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Alibaba's RPC signature wants it (``~`` kept, space ``%20``)."""
    return quote(value, safe="-_.~")


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(params[k])}"
                         for k in sorted(params))
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"


def signature(secret: str, method: str, params: Mapping[str, str]) -> str:
    """Base64 HMAC-SHA1 of the string to sign with ``secret + "&"``."""
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(),
                      hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms:
    """``SendSms`` against ``endpoint`` (``https://dysmsapi.aliyuncs.com/``)."""

    name = "aliyun"
    max_param_length = MAX_PARAM_LENGTH

    def __init__(self, *, endpoint: str, access_key_id: str, access_key_secret: str,
                 region: str = "cn-hangzhou", timeout: float = 10.0) -> None:
        self.endpoint, self.region, self.timeout = endpoint, region, timeout
        self._key_id, self._secret = access_key_id, access_key_secret
        self.http = http_pool()

    def request_params(self, message: SmsMessage, *, nonce: str | None = None,
                       now: datetime | None = None) -> dict[str, str]:
        """The signed form body of one SendSms call."""
        now = now or datetime.now(UTC)
        params = {
            "AccessKeyId": self._key_id, "Action": "SendSms", "Format": "JSON",
            "RegionId": self.region, "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex, "SignatureVersion": "1.0",
            "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": API_VERSION,
            "PhoneNumbers": message.mobile, "SignName": message.sign_name,
            "TemplateCode": message.template_code,
            "TemplateParam": json.dumps(dict(fit_params(message.params, MAX_PARAM_LENGTH)),
                                        ensure_ascii=False, separators=(",", ":")),
            "OutId": message.out_id,
        }
        params["Signature"] = signature(self._secret, "POST", params)
        return params

    def send(self, message: SmsMessage) -> str:
        body = urlencode(self.request_params(message), quote_via=quote).encode()
        status, answer = post_json(
            self.http, self.name, self.endpoint, body=body, timeout=self.timeout,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                     "Accept": "application/json"})
        code = str(answer.get("Code", ""))
        if code == "OK" and answer.get("BizId"):
            return str(answer["BizId"])
        raise classify(code or f"HTTP {status}", throttled=THROTTLED,
                       bad_number=BAD_NUMBER, rejected=REJECTED, misconfigured=MISCONFIGURED)
