"""``/api/v1/notices`` (bureau) and ``/api/v1/enterprises/{uscc}/notices`` (the enterprise)."""
