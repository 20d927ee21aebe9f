"""Yumiao gateway: the one front door (accounts, auth, tenancy, rate limits, proxy, OpenAPI)."""
