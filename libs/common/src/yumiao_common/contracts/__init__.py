"""Versioned wire contracts (pydantic), shared by producers and consumers.

Only add fields within a schema version; a breaking change is version 2 published beside 1.
Golden samples in tests/contracts/ must keep parsing.
"""
