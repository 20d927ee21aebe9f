"""What touches the outside: ``http`` (pooled clients of registry, scoring and notify),
``ratelimit`` (counters in Redis or memory), ``password_hashing`` (argon2id, bounded per
process)."""
