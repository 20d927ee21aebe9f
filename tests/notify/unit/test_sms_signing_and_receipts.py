"""The providers' request signing reproduces each cloud's documented example, and their
receipt pushes read into one shape (a malformed batch is refused, naming why)."""

from __future__ import annotations

from typing import Any

import pytest

from notify.adapters.channels.sms.aliyun import signature
from notify.adapters.channels.sms.aliyun import string_to_sign
from notify.adapters.channels.sms.provider import fit_params
from notify.adapters.channels.sms.receipts import Receipt
from notify.adapters.channels.sms.receipts import ReceiptProblem
from notify.adapters.channels.sms.receipts import read_receipts
from notify.adapters.channels.sms.tencent import tc3_signature

#: Alibaba Cloud's RPC signature example (DescribeRegions, AccessKeySecret ``testsecret``).
ALIYUN_EXAMPLE = {
    "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
}


def test_alibaba_signature_matches_the_documented_example() -> None:
    assert string_to_sign("GET", ALIYUN_EXAMPLE).startswith(
        "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions")
    assert "Timestamp%3D2016-02-23T12%253A46%253A24Z" in string_to_sign("GET", ALIYUN_EXAMPLE)
    assert signature("testsecret", "GET", ALIYUN_EXAMPLE) == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_tencent_tc3_signature_matches_the_documented_example() -> None:
    payload = (b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], '
               b'"Name": "instance-name"}]}')
    assert tc3_signature(secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                         host="cvm.tencentcloudapi.com", payload=payload,
                         timestamp=1551113065, service="cvm") == (
        "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")


def test_parameters_keep_within_the_limit() -> None:
    assert fit_params((("name", "一二三四五"), ("s", "ab")), 4) == (("name", "一二三…"),
                                                                    ("s", "ab"))


def test_receipts_of_both_providers_read_alike() -> None:
    aliyun = [{"biz_id": "900^0", "success": True, "err_code": "DELIVERED"},
              {"biz_id": "901^0", "success": False, "err_code": "MK:0001"}]
    tencent = [{"sid": "s-1", "report_status": "SUCCESS", "errmsg": "DELIVRD"},
               {"sid": "s-2", "report_status": "FAIL", "errmsg": "MK:0001"}]
    assert read_receipts("aliyun", aliyun) == [Receipt("900^0", True, "DELIVERED"),
                                               Receipt("901^0", False, "MK:0001")]
    assert read_receipts("tencent", tencent) == [Receipt("s-1", True, "DELIVRD"),
                                                 Receipt("s-2", False, "MK:0001")]


@pytest.mark.parametrize("body", [{"biz_id": "1"}, ["x"], [{"success": True}],
                                  [{"biz_id": "x" * 65}]])
def test_a_malformed_batch_is_refused(body: Any) -> None:
    with pytest.raises(ReceiptProblem):
        read_receipts("aliyun", body)
