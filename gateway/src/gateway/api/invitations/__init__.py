"""Bulk invitations of enterprise accounts (admin)."""
