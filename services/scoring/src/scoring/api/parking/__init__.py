"""``/api/v1/parking/scoring``: scoring's parked messages, for the bureau to inspect
and replay."""
