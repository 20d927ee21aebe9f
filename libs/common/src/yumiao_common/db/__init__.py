"""SQL plumbing every service shares: engines and sessions, naming conventions, and the
Alembic helpers the migrations run through."""
