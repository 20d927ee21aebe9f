"""/api/v1/me: who am I; an enterprise's own data is forwarded by ``gateway.api.proxy``."""
