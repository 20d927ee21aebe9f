"""``/rounds``: yearly reserve rounds."""
