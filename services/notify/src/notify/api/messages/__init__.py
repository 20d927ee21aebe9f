"""Account messages: the gateway's one-time links and codes, sent through notify's sender."""
