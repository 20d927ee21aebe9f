"""The SMS channel: one provider interface, two providers (Alibaba Cloud, Tencent Cloud).

``provider.SmsProvider`` is what the sender calls; ``aliyun`` and ``tencent`` speak each
cloud's SendSms request shape and signing; ``receipts`` reads their delivery reports;
``config`` holds the settings (``NOTIFY_SMS_*``) that choose the provider and hold its keys.
"""
