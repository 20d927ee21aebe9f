"""Yumiao scoring service: rulebook verdicts as an HTTP what-if, a read model and rankings.

The pure rule engine lives in ``scoring.domain`` (no Flask, no Session); this package wraps it
with storage (profiles fed by registry events, evaluations, parameter overrides, re-evaluation
jobs), the HTTP API (port 8002) and the workers (``scoring.consumer``, ``scoring.relay``).
"""
