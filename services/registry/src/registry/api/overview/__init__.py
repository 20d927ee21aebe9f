"""``/enterprises/{uscc}/overview``: the bureau's enterprise page in one read (issue 16)."""
