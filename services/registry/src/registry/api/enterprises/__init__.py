"""Enterprises: create, read, update, list with filters; profile, audit log, memberships."""
