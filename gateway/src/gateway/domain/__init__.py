"""Pure rules of the gateway: who is calling, who may reach which path, where a redirect may
go, what a password must be, what a token asserts (no Flask request, no Session, no I/O)."""
