"""``/api/v1/enterprises/{uscc}/preferences``: channels, language, addresses."""
