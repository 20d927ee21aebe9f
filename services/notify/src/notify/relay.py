"""``python -m notify.relay``: publishes notify's outbox (delivery requests), confirmed.

The shared relay, told to declare notify's own ``notify.deliveries`` queue too, so a delivery
request is never returned as unroutable because the sender has not started yet.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from notify.adapters.queues import RELAY_QUEUES
from notify.models.messaging import outbox_table
from notify.settings import Settings
from yumiao_common.db.engine import engine_from_settings
from yumiao_common.logging import configure_logging
from yumiao_common.messaging.relay import RelayConfig
from yumiao_common.messaging.relay import run_relay
from yumiao_common.observability.worker_server import start_worker_observability


def main(argv: Sequence[str] | None = None) -> int:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="notify.relay")
    parser.add_argument("--once", action="store_true", help="drain the outbox, then exit")
    parser.add_argument("--batch-size", type=int, default=RelayConfig.batch_size)
    parser.add_argument("--poll-interval", type=float, default=RelayConfig.poll_interval)
    args = parser.parse_args(argv)
    configure_logging("notify.relay", settings.log_level, json_format=settings.log_json)
    config = RelayConfig(batch_size=args.batch_size, poll_interval=args.poll_interval,
                         once=args.once, exchange=settings.exchange)
    engine = engine_from_settings(settings)
    probe = start_worker_observability(settings, "notify.relay")  # /metrics, /healthz
    try:
        return run_relay(settings.amqp_url, engine, outbox_table, config, registry=RELAY_QUEUES,
                         probe=probe)
    finally:
        probe.close()


if __name__ == "__main__":
    raise SystemExit(main())
