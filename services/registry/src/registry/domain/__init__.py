"""Pure domain code: no Flask, no Session. The pipeline state machine, tiers, size, towns."""
