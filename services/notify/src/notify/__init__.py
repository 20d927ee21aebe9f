"""Yumiao notify: the policy catalogue and the notices an enterprise must not miss.

Consumes eligibility, expiry and pipeline events; decides which notices are owed; stores each
exactly once in the in-app inbox; and pushes it by e-mail or signed webhook through a durable
delivery queue (see ``sender``).
"""
