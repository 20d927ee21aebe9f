"""``/worklist``: a curator's worklist."""
