"""``/api/v1/policies``: the bureau's policy catalogue."""
