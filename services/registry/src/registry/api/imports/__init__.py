"""``/imports``: bulk import of enterprises with their annual figures from XLSX or CSV, as a job.

Flow: the route checks the file (type, size, header) at once and answers 4xx for a bad
file; otherwise it stores the file with a queued job row and answers 202. The jobs worker
(``python -m registry.jobs``, ``handlers.imports.run_queued``) records progress while it
stream-parses and validates every row (``adapters.files.row_validation``), and — unless it is a
dry run — writes everything in one transaction (``handlers.import_writing``: COPY on
PostgreSQL, Core executemany elsewhere) with audit rows and ``registry.enterprise.changed``
outbox rows. Any row error means nothing is written.
"""
