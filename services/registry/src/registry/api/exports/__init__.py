"""``/exports``: any filtered enterprise list as XLSX (the list's own filters, streamed)."""
