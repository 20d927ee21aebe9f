"""``/enterprises/{uscc}/curator|services|shared-services|problems``: cultivation."""
