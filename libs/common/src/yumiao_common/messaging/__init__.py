"""Yumiao's messaging semantics, identical in every service.

``outbox`` + ``relay`` publish what a transaction committed (at-least-once, confirmed);
``inbox`` + ``consumer`` apply each message's effect once (dedupe in the effect's transaction,
ack after commit); ``topology`` declares the exchange and every queue both sides rely on.
"""
