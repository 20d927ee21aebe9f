"""Process lifecycle for notify's pika workers (the sender): connect, run, reconnect.

pika's split: the worker object lives for one connection; this loop is the retry policy
(capped, jittered back-off from ``yumiao_common.messaging.backoff``). A channel the broker
closes (argument mismatch, access refused) is not transient: exit 1 and let the
orchestrator restart the process with the reason in the log. SIGTERM/SIGINT stop cleanly
after the batch in hand.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any
from typing import Protocol

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError
from pika.exceptions import ChannelClosedByBroker
from sqlalchemy.orm import Session
from sqlalchemy.orm import sessionmaker

from notify.settings import Settings
from yumiao_common.db.engine import make_engine
from yumiao_common.db.engine import make_session_factory
from yumiao_common.logging import configure_logging
from yumiao_common.messaging.backoff import Backoff
from yumiao_common.messaging.topology import ConsumerQueue
from yumiao_common.messaging.topology import declare_consumer_queue

log = logging.getLogger("notify.adapters.worker")


class Worker(Protocol):
    def run(self, channel: BlockingChannel, stop: threading.Event) -> None: ...


def install_stop(stop: threading.Event) -> None:
    def handle(_signum: int, _frame: Any) -> None:
        stop.set()

    try:
        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)
    except ValueError:  # not the main thread (tests run workers in threads)
        pass


def run_forever(
    settings: Settings, name: str, factory: Callable[[sessionmaker[Session]], Worker], *,
    queues: Iterable[ConsumerQueue], stop: threading.Event | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> int:
    configure_logging(f"notify.{name}", settings.log_level, json_format=settings.log_json)
    sessions = sessions or make_session_factory(make_engine(settings.database_url))
    worker = factory(sessions)
    stop = stop or threading.Event()
    install_stop(stop)
    backoff = Backoff()
    while not stop.is_set():
        try:
            connection = pika.BlockingConnection(pika.URLParameters(settings.amqp_url))
        except AMQPError as exc:
            log.warning("%s: broker unavailable: %s", name, exc)
            stop.wait(backoff.next())
            continue
        try:
            channel = connection.channel()
            for queue in queues:
                declare_consumer_queue(channel, queue)
            backoff.reset()
            worker.run(channel, stop)
        except ChannelClosedByBroker as exc:
            log.error("%s: channel closed by broker, exiting: %s", name, exc)
            return 1
        except AMQPError as exc:
            log.warning("%s: connection lost: %s", name, exc)
            stop.wait(backoff.next())
        finally:
            if connection.is_open:
                try:
                    connection.close()
                except AMQPError:
                    pass
    return 0
