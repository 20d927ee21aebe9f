"""``/api/v1/parking/registry``: registry's parked messages, for the bureau to inspect
and replay."""
