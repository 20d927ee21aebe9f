"""Bulk import of enterprises with their annual figures from XLSX or CSV, run as a job.

Flow: the route checks the file (type, size, header) at once and answers 4xx for a bad
file; a job row records progress while a background thread stream-parses and validates every
row (``validation``), and — unless it is a dry run — writes everything in one transaction
(``writer``: COPY on PostgreSQL, Core executemany elsewhere) with audit rows and
``registry.enterprise.changed`` outbox rows. Any row error means nothing is written.
"""
