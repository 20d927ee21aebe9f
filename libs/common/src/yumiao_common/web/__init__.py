"""HTTP policy every service shares: app wiring (request ids, errors, probes, internal
token), the one error shape, OpenAPI, pagination, stale-write conflicts, field types and the
gunicorn request watchdog."""
