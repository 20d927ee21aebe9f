"""SQL beyond the ORM unit of work: bulk writes, keyset queries, conditional upserts."""
