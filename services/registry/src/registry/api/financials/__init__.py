"""``/enterprises/{uscc}/financials``: annual figures, one entry per fiscal year."""
