"""Schemas of the SMS delivery-receipt callback (each provider's own push format)."""

from __future__ import annotations

from marshmallow import INCLUDE
from marshmallow import Schema
from marshmallow import fields
from marshmallow import validate


class ReceiptArgs(Schema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={
        "description": "回调地址中配置的令牌 (NOTIFY_SMS_RECEIPT_TOKEN) / the token configured "
                       "in the callback address"})


class ReceiptIn(Schema):
    """One receipt: Alibaba's fields (biz_id, success, err_code …) or Tencent's (sid,
    report_status, errmsg …); others are kept as the provider sends them."""

    class Meta:
        unknown = INCLUDE

    biz_id = fields.String(validate=validate.Length(max=64))
    out_id = fields.String(validate=validate.Length(max=64))
    success = fields.Raw()
    err_code = fields.String(validate=validate.Length(max=200))
    sid = fields.String(validate=validate.Length(max=64))
    report_status = fields.String(validate=validate.Length(max=20))
    errmsg = fields.String(validate=validate.Length(max=200))


class ReceiptAck(Schema):
    """The provider's own acknowledgement (``{"code": 0, …}`` / ``{"result": 0, …}``)."""

    class Meta:
        unknown = INCLUDE

    code = fields.Integer()
    msg = fields.String()
    result = fields.Integer()
    errmsg = fields.String()
