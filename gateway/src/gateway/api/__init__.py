"""The gateway's own HTTP API (flask-smorest): auth, accounts, me, eligibility check."""
