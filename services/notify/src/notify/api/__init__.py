"""notify's HTTP API (flask-smorest): policies, notices, preferences, parking."""
