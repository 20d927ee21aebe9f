"""``/imports``: bulk import of enterprises with their annual figures from XLSX or CSV, as a job.

Flow: the route checks the file (type, size, header) at once and answers 4xx for a bad
file; a job row records progress while a background thread (``handlers.imports``)
stream-parses and validates every row (``adapters.files.row_validation``), and — unless it is a
dry run — writes everything in one transaction (``handlers.import_writing``: COPY on
PostgreSQL, Core executemany elsewhere) with audit rows and ``registry.enterprise.changed``
outbox rows. Any row error means nothing is written.
"""
