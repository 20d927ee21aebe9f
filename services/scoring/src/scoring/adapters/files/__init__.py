"""Files scoring writes: the XLSX export of a ranking."""
