"""Yumiao's messaging semantics, identical in every service: the one AMQP path.

``outbox`` + ``relay`` publish what a transaction committed (at-least-once, confirmed);
``inbox`` + ``consumer`` apply each message's effect once (dedupe in the effect's transaction,
ack after commit; a consumer with its own state check, like notify's sender, plugs a batch
handler into the same base); ``parking`` is how a failed message is set aside, inspected and
replayed; ``topology`` declares the exchange and every queue both sides rely on. No pika
connection is opened outside this package (benchmarks' bare-pika baselines aside).
"""
