"""``/enterprises/{uscc}/contacts``."""
