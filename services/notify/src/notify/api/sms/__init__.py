"""``/api/v1/sms/receipts/{provider}``."""
