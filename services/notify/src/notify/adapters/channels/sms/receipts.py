"""Delivery receipts (状态回执) as each provider pushes them, read into one shape.

Alibaba pushes a JSON array of ``{"biz_id", "out_id", "success", "err_code", "report_time",
"phone_number", …}`` and wants ``{"code": 0, "msg": "成功"}`` back; Tencent pushes a JSON
array of ``{"sid", "report_status": "SUCCESS"|"FAIL", "errmsg", "mobile",
"user_receive_time", "ext", …}`` and wants ``{"result": 0, "errmsg": "OK"}``. Receipts name
the message by the provider's id (``BizId``/``SerialNo``) that the send answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ACK: dict[str, dict[str, Any]] = {
    "aliyun": {"code": 0, "msg": "成功"},
    "tencent": {"result": 0, "errmsg": "OK"},
}


@dataclass(frozen=True)
class Receipt:
    provider_ref: str
    delivered: bool
    #: The operator's status code (``DELIVERED``, ``DELIVRD``, ``MK:0001`` …).
    code: str
    #: Our delivery id as the send gave it (Alibaba echoes ``OutId``; Tencent does not).
    out_id: str | None = None


class ReceiptProblem(ValueError):
    """The body is not a receipt batch of this provider."""


def read_receipts(provider: str, document: Any) -> list[Receipt]:
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise ReceiptProblem("回执须为 JSON 数组 / a receipt batch is a JSON array of objects")
    out = []
    for row in document:
        out_id = None
        if provider == "aliyun":
            ref, ok, code = row.get("biz_id"), row.get("success"), row.get("err_code")
            delivered = ok is True or ok == "true"
            out_id = row.get("out_id") if isinstance(row.get("out_id"), str) else None
        else:
            ref, code = row.get("sid"), row.get("errmsg")
            delivered = row.get("report_status") == "SUCCESS"
        if not isinstance(ref, str) or not ref or len(ref) > 64:
            raise ReceiptProblem("回执缺少消息编号 / a receipt without its message id")
        out.append(Receipt(ref, delivered, str(code or "")[:60], out_id))
    return out
