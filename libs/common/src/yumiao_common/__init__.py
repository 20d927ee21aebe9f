"""Yumiao's shared code: only what must be identical in every service to be correct.

Wire contracts, outbox/inbox and broker semantics, the HTTP error shape, the settings base,
the log format and the health/metrics endpoints. No service's models or business rules.
"""
