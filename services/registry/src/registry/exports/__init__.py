"""Export of any filtered enterprise list to XLSX (the list's own filters, streamed)."""
