"""Dependent records of an enterprise (IP, awards, institutions, standards, certifications)."""
