"""Queries and stores beyond the ORM: bulk inserts, the sender's delivery store, notice status,
the active policy catalogue, Alembic."""
