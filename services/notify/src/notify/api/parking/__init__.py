"""``/api/v1/parking``: messages that could not be processed, for the bureau to act on."""
