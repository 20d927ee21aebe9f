"""A local fake of Alibaba Cloud's and Tencent Cloud's SendSms, for the SMS channel's tests.

It speaks each API's request shape and checks each one's request signature with the same
secret, computed here independently of notify's code (Alibaba: HMAC-SHA1 over the
canonicalized form, ``POST&%2F&…``; Tencent: TC3-HMAC-SHA256 with the derived key), so a
signing mistake in notify fails the tests. Behaviours the tests script:

* ``throttle[number] = n``: the next ``n`` sends to that number are throttled
  (``isv.BUSINESS_LIMIT_CONTROL`` / ``LimitExceeded.PhoneNumberDailyLimit``);
* a number that is not a mainland mobile, or is in ``invalid``, is an invalid number;
* a template code not in ``approved`` is a rejected template;
* a template parameter longer than the provider's limit is refused.

Accepted messages land in ``sent`` (one entry per accepted request, with its message id).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
from datetime import UTC
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import quote

MOBILE = re.compile(r"1[3-9]\d{9}")
LIMITS = {"aliyun": 35, "tencent": 12}


class FakeSmsProvider:
    def __init__(self, kind: str, *, key_id: str, secret: str, approved: set[str],
                 app_id: str = "1400000000") -> None:
        self.kind, self.key_id, self.secret, self.app_id = kind, key_id, secret, app_id
        self.approved = set(approved)
        self.throttle: dict[str, int] = {}
        self.invalid: set[str] = set()
        self.sent: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        self._serial = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = fake.answer(dict(self.headers.items()), body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def sent_to(self, mobile: str) -> list[dict[str, Any]]:
        with self.lock:
            return [m for m in self.sent if m["mobile"] == mobile]

    # ---- one request -------------------------------------------------------------------

    def answer(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        with self.lock:
            if self.kind == "aliyun":
                return self._aliyun(body)
            return self._tencent({k.lower(): v for k, v in headers.items()}, body)

    def _next_ref(self) -> str:
        self._serial += 1
        return f"{self.kind}-{self._serial:06d}"

    def _verdict(self, mobile: str, template: str, values: list[str]) -> str | None:
        """Which scripted failure applies (a key of the codes tables), or None."""
        if self.throttle.get(mobile, 0) > 0:
            self.throttle[mobile] -= 1
            return "throttled"
        if not MOBILE.fullmatch(mobile) or mobile in self.invalid:
            return "invalid"
        if template not in self.approved:
            return "template"
        if any(len(v) > LIMITS[self.kind] for v in values):
            return "param"
        return None

    def _aliyun(self, body: bytes) -> tuple[int, dict[str, Any]]:
        params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        given = params.pop("Signature", "")

        def enc(v: str) -> str:
            return quote(v, safe="-_.~")

        canonical = "&".join(f"{enc(k)}={enc(params[k])}" for k in sorted(params))
        to_sign = "POST&%2F&" + enc(canonical)
        want = base64.b64encode(hmac.new(f"{self.secret}&".encode(), to_sign.encode(),
                                         hashlib.sha1).digest()).decode()
        if (not hmac.compare_digest(given, want) or params.get("AccessKeyId") != self.key_id
                or params.get("Action") != "SendSms" or params.get("Version") != "2017-05-25"):
            self.refused.append("signature")
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is "
                         "not matched with our calculation.", "RequestId": "r"}
        template_params = json.loads(params["TemplateParam"])
        verdict = self._verdict(params["PhoneNumbers"], params["TemplateCode"],
                                list(template_params.values()))
        code = {"throttled": "isv.BUSINESS_LIMIT_CONTROL",
                "invalid": "isv.MOBILE_NUMBER_ILLEGAL", "template": "isv.SMS_TEMPLATE_ILLEGAL",
                "param": "isv.PARAM_LENGTH_LIMIT"}.get(verdict or "")
        if code:
            self.refused.append(code)
            return 200, {"Code": code, "Message": code, "RequestId": "r"}
        ref = self._next_ref()
        self.sent.append({"mobile": params["PhoneNumbers"], "template": params["TemplateCode"],
                          "sign_name": params["SignName"], "params": template_params,
                          "out_id": params.get("OutId"), "ref": ref})
        return 200, {"Code": "OK", "Message": "OK", "BizId": ref, "RequestId": "r"}

    def _tencent(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, Any]]:
        timestamp = int(headers.get("x-tc-timestamp", "0"))
        day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        host = headers.get("host", "")
        canonical = (f"POST\n/\n\ncontent-type:{headers.get('content-type', '')}\nhost:{host}\n"
                     f"\ncontent-type;host\n{hashlib.sha256(body).hexdigest()}")
        to_sign = (f"TC3-HMAC-SHA256\n{timestamp}\n{day}/sms/tc3_request\n"
                   f"{hashlib.sha256(canonical.encode()).hexdigest()}")

        def mac(key: bytes, msg: str) -> bytes:
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()

        key = mac(mac(mac(f"TC3{self.secret}".encode(), day), "sms"), "tc3_request")
        want = (f"TC3-HMAC-SHA256 Credential={self.key_id}/{day}/sms/tc3_request, "
                f"SignedHeaders=content-type;host, "
                f"Signature={hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()}")
        if (not hmac.compare_digest(headers.get("authorization", ""), want)
                or headers.get("x-tc-action") != "SendSms"
                or headers.get("x-tc-version") != "2021-01-11"):
            self.refused.append("signature")
            return 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                                                "Message": "signature mismatch"},
                                      "RequestId": "r"}}
        request = json.loads(body)
        if request.get("SmsSdkAppId") != self.app_id:
            return 200, {"Response": {"Error": {"Code": "InvalidParameterValue.SdkAppIdNotExist",
                                                "Message": "no such app"}, "RequestId": "r"}}
        [number] = request["PhoneNumberSet"]
        mobile = number.removeprefix("+86")
        verdict = self._verdict(mobile, request["TemplateId"], request["TemplateParamSet"])
        code = {"throttled": "LimitExceeded.PhoneNumberDailyLimit",
                "invalid": "InvalidParameterValue.IncorrectPhoneNumber",
                "template": "FailedOperation.TemplateIncorrectOrUnapproved",
                "param": "InvalidParameterValue.TemplateParameterLengthLimit"}.get(verdict or "")
        if code:
            self.refused.append(code)
            return 200, {"Response": {"SendStatusSet": [{"SerialNo": "", "PhoneNumber": number,
                                                         "Fee": 0, "Code": code,
                                                         "Message": code}], "RequestId": "r"}}
        ref = self._next_ref()
        self.sent.append({"mobile": mobile, "template": request["TemplateId"],
                          "sign_name": request["SignName"], "params": request["TemplateParamSet"],
                          "out_id": request.get("SessionContext"), "ref": ref})
        return 200, {"Response": {"SendStatusSet": [{"SerialNo": ref, "PhoneNumber": number,
                                                     "Fee": 1, "Code": "Ok",
                                                     "Message": "send success"}],
                                  "RequestId": "r"}}

    # ---- receipts the provider would push ----------------------------------------------

    def receipt(self, ref: str, *, delivered: bool = True) -> list[dict[str, Any]]:
        """The receipt batch this provider pushes for message ``ref``."""
        with self.lock:
            [message] = [m for m in self.sent if m["ref"] == ref]
        if self.kind == "aliyun":
            return [{"phone_number": message["mobile"], "send_time": "2026-12-06 08:00:00",
                     "report_time": "2026-12-06 08:00:05", "success": delivered,
                     "err_code": "DELIVERED" if delivered else "MK:0001",
                     "err_msg": "用户接收成功" if delivered else "失败", "sms_size": "1",
                     "biz_id": ref, "out_id": message["out_id"]}]
        return [{"user_receive_time": "2026-12-06 08:00:05", "nationcode": "86",
                 "mobile": message["mobile"], "report_status": "SUCCESS" if delivered else "FAIL",
                 "errmsg": "DELIVRD" if delivered else "MK:0001",
                 "description": "用户短信送达成功", "sid": ref}]
