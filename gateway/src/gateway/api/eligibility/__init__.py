"""The anonymous eligibility self-check."""
