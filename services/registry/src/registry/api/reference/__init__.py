"""Reference data clients need to build forms: towns, tiers, pools and the pipeline."""
