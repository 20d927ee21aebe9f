"""What touches the outside beyond the ORM: ``sql`` (bulk reads and writes), ``files`` (XLSX)."""
