"""Both SMS providers against a local fake that checks their request signing: accepted
messages answer the provider's message id; throttling is retried, an invalid number, a
rejected template and a refused signature are permanent; parameters fit the provider's limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sms_fake import FakeSmsProvider

from notify.adapters.channels.errors import DeliveryFailed
from notify.adapters.channels.sms.config import SmsSettings
from notify.adapters.channels.sms.config import build_provider
from notify.adapters.channels.sms.provider import SMS_BAD_NUMBER
from notify.adapters.channels.sms.provider import SMS_MISCONFIGURED
from notify.adapters.channels.sms.provider import SMS_TEMPLATE_REJECTED
from notify.adapters.channels.sms.provider import SMS_THROTTLED
from notify.adapters.channels.sms.provider import SmsMessage
from notify.adapters.channels.sms.provider import SmsProvider

pytestmark = pytest.mark.integration
KEY_ID, SECRET, APP = "LTAI-test-key", "s3cret-for-signing", "1400000000"
PROVIDERS = ("aliyun", "tencent")


@pytest.fixture(params=PROVIDERS)
def fake(request: pytest.FixtureRequest) -> Iterator[FakeSmsProvider]:
    server = FakeSmsProvider(request.param, key_id=KEY_ID, secret=SECRET, approved={"T1"},
                             app_id=APP)
    yield server
    server.close()


def provider_for(fake: FakeSmsProvider, secret: str = SECRET) -> SmsProvider:
    provider = build_provider(SmsSettings(
        sms_provider=fake.kind, sms_endpoint=fake.url, sms_access_key_id=KEY_ID,
        sms_access_key_secret=secret, sms_sdk_app_id=APP, sms_timeout_seconds=5))
    assert provider is not None
    return provider


def message(mobile: str = "13800138000", template: str = "T1",
            name: str = "聊城某某轴承有限公司") -> SmsMessage:
    return SmsMessage(mobile=mobile, template_code=template, sign_name="育苗",
                      params=(("name", name), ("subject", "高企认定申报提醒")), out_id="d-1")


def failure(provider: SmsProvider, msg: SmsMessage) -> DeliveryFailed:
    with pytest.raises(DeliveryFailed) as caught:
        provider.send(msg)
    return caught.value


def test_a_signed_request_is_accepted_and_answers_the_message_id(fake: FakeSmsProvider) -> None:
    ref = provider_for(fake).send(message())
    [sent] = fake.sent
    assert sent["ref"] == ref and sent["mobile"] == "13800138000"
    assert sent["template"] == "T1" and sent["sign_name"] == "育苗" and sent["out_id"] == "d-1"


def test_a_wrong_secret_is_refused_and_never_retried(fake: FakeSmsProvider) -> None:
    failed = failure(provider_for(fake, secret="not-the-secret"), message())
    assert failed.permanent and failed.reason == SMS_MISCONFIGURED
    assert fake.sent == [] and fake.refused == ["signature"]


def test_throttling_is_temporary(fake: FakeSmsProvider) -> None:
    fake.throttle["13800138001"] = 1
    provider = provider_for(fake)
    failed = failure(provider, message("13800138001"))
    assert not failed.permanent and failed.reason == SMS_THROTTLED
    assert provider.send(message("13800138001"))  # the retry goes through


@pytest.mark.parametrize(("mobile", "template", "reason"), [
    ("12345678901", "T1", SMS_BAD_NUMBER),
    ("13800138000", "NOT-APPROVED", SMS_TEMPLATE_REJECTED),
])
def test_invalid_numbers_and_rejected_templates_are_permanent(
    fake: FakeSmsProvider, mobile: str, template: str, reason: str
) -> None:
    failed = failure(provider_for(fake), message(mobile, template))
    assert failed.permanent and failed.reason == reason
    assert fake.sent == []


def test_template_parameters_are_cut_to_the_providers_limit(fake: FakeSmsProvider) -> None:
    long_name = ("聊城市东昌府区某某高新技术产业园区精密轴承与数控装备"
                 "及智能制造系统集成研究院股份有限公司")
    provider = provider_for(fake)
    provider.send(message(name=long_name))
    [sent] = fake.sent
    values = list(sent["params"].values()) if isinstance(sent["params"], dict) else sent["params"]
    assert all(len(v) <= provider.max_param_length for v in values)
    assert values[0].endswith("…") and long_name.startswith(values[0][:-1])
