"""``POST /api/v1/sms/receipts/{provider}``: the providers' delivery receipts come in here.

The provider is given this address with ``?token=<NOTIFY_SMS_RECEIPT_TOKEN>`` (neither cloud
signs its receipt pushes, so the shared secret in the address is the proof, compared in
constant time; without a configured token every receipt is refused). The gateway forwards
the path unauthenticated; the token is checked here. Each receipt moves its delivery to
``delivered`` or ``failed`` in the notice's lifecycle.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import abort
from flask import current_app
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from notify.adapters.channels.sms.receipts import ACK
from notify.adapters.channels.sms.receipts import ReceiptProblem
from notify.adapters.channels.sms.receipts import read_receipts
from notify.adapters.sql.receipts import apply_receipts
from notify.api.sms.schemas import ReceiptAck
from notify.api.sms.schemas import ReceiptArgs
from notify.api.sms.schemas import ReceiptIn
from notify.settings import Settings
from yumiao_common.clock import utcnow
from yumiao_common.db.engine import get_session
from yumiao_common.web.errors import Forbidden
from yumiao_common.web.errors import NotFound
from yumiao_common.web.errors import ValidationFailed
from yumiao_common.web.errors import error_response
from yumiao_common.web.openapi import ErrorSchema

blp = Blueprint("sms", __name__, url_prefix="/api/v1/sms",
                description="短信回执 / SMS delivery receipts")
PROVIDERS = tuple(ACK)
RETRY_AFTER_SECONDS = 5


@blp.route("/receipts/<provider>")
class Receipts(MethodView):
    @blp.arguments(ReceiptArgs, location="query")
    @blp.arguments(ReceiptIn(many=True), location="json")
    @blp.response(200, ReceiptAck)
    @blp.alt_response(403, schema=ErrorSchema, description=(
        "令牌不符或未配置回执令牌 / token refused, or no receipt token configured"))
    @blp.alt_response(503, schema=ErrorSchema, description=(
        "部分回执早于发送记录，请稍后重推 / some receipts overtook their send: push again "
        "later (the others are recorded)"))
    def post(self, args: dict[str, Any], _rows: list[dict[str, Any]], provider: str
             ) -> dict[str, Any]:
        """Record a batch of delivery receipts pushed by ``aliyun`` or ``tencent``."""
        if provider not in PROVIDERS:
            raise NotFound("未知的短信服务商 / Unknown SMS provider",
                           details={"known": list(PROVIDERS)})
        settings: Settings = current_app.extensions["notify.settings"]
        expected = settings.sms_receipt_token
        if expected is None or not hmac.compare_digest(
                args["token"].encode(), expected.get_secret_value().encode()):
            raise Forbidden("回执令牌无效 / Receipt token refused", code="receipt_token")
        try:
            receipts = read_receipts(provider, request.get_json())
        except ReceiptProblem as exc:
            raise ValidationFailed(fields={"body": [str(exc)]}) from exc
        session = get_session()
        _changed, early = apply_receipts(session, receipts, utcnow())
        session.commit()
        if early:  # the shared error shape, with the Retry-After the providers honour
            response, status = error_response(
                503, code="receipts_early", details={"early": early},
                message="回执早于发送记录，请稍后重推 / Receipts overtook their send; push again")
            response.status_code = status
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            abort(response)
        return ACK[provider]
