"""notify's use cases, one module per topic: notices (events in), policies, preferences, parking.

Keyword-only, taking a Session; they write the audit and outbox rows and never commit."""
