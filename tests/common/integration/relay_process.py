"""A relay in its own process, for the chaos test (SIGKILL needs a real process).

Usage: ``python relay_process.py DB_URL AMQP_URL QUEUE EXCHANGE [--once]``.
"""

from __future__ import annotations

import sys

from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_metadata
from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.outbox import define_outbox_table
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.messaging.topology import ConsumerQueue


def main(argv: list[str]) -> int:
    db_url, amqp_url, queue, exchange = argv[:4]
    outbox = define_outbox_table(make_metadata())
    sink = ConsumerQueue(queue, ("registry.pipeline.moved",), retry_delays=(0.1, 0.2),
                         exchange=exchange)
    config = RelayConfig(batch_size=100, poll_interval=0.05, once="--once" in argv,
                         exchange=exchange)
    return run_relay(amqp_url, make_engine(db_url), outbox, config, registry=[sink],
                     backoff=Backoff(base=0.2, cap=2.0))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
