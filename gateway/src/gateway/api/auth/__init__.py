"""Sign-in: bearer tokens with rotating refresh tokens, and the browser session cookie."""
