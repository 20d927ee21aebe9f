"""The gateway's use cases (keyword-only, given a Session, never committing): ``sessions``
(sign-in, tokens, browser sessions) and ``accounts`` (accounts and API keys)."""
