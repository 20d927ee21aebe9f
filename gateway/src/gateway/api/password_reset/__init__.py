"""Self-service password reset and one-time set-password links (public)."""
