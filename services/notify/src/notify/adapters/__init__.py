"""What touches the outside: SQL beyond the ORM (``sql/``), the push channels (``channels/``),
notify's queue topology and the parking ledger's broker side."""
