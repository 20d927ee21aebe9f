"""Cultivation pools, their members and pipeline moves."""
