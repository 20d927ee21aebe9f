"""Account and API-key management (admin only)."""
