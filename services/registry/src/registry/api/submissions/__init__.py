"""Firms' yearly reports and the bureau's review (issue 15)."""
