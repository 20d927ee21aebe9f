"""Scoring consumer benchmark: how fast ``python -m scoring.consumer`` drains profile snapshots.

The province-scale drain (bench/scale.py, issue 16) is bound by the scoring consumer; this
bench isolates it. It makes its own PostgreSQL database and RabbitMQ vhost (``yb_scons_…``,
dropped at the end), migrates the database as ``make up`` does, publishes N
``registry.enterprise.changed`` events (profiles of bench/scoring.py ``make_profile``, as the
registry's relay publishes them: persistent, ``message_id`` = event id, correlation id), then
runs the real consumer process until its queue is quiet (``--idle-exit``).

Measured in the same run, as the house rule asks:

* the drain: the first inbox claim → the last evaluation or outbox row written (database
  clocks of the consumer's own rows, so process start-up and the idle wait are left out);
* the baseline: the scoring engine alone, in this process, validating and evaluating the same
  stored profiles (bench/scale.py ``engine_alone``).

The last line is ``scoring_consumer: events=N drain_s=D events_per_s=E engine_s=B
drain_ratio=R evaluations=… outbox=… evaluation_mb=… digest=…``; the digest (stored
verdicts, keys, answers as PostgreSQL reads their JSON, and the outbox events' payloads) must
not move when only the consumer's speed changes.
``--updates`` then measures what follows an import at province scale (~2.2 events per firm):
once the N firms are drained it publishes a second snapshot of each, registry version + 1,
with one realistic change (a certification or an IP item added, in the shapes of
``make_profile``), runs the consumer again and prints a ``scoring_consumer_updates:`` line:
the update drain (first inbox claim after the first drain → last row written), its ratio to
the same engine-alone baseline, the size of the ``evaluation`` table with its TOAST and
indexes (``evaluation_mb``: what rewritten answers leave behind), and the digest of what is
stored after it.
``--profile FILE`` runs the consumer under cProfile (slower; for finding costs, not figures).

    .venv/bin/python bench/scoring_consumer.py --n 5000
    .venv/bin/python bench/scoring_consumer.py --n 3000 --updates
    .venv/bin/python bench/scoring_consumer.py --n 5000 --replicas 2   # two consumers, one queue
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import time
import uuid
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pika
import psycopg

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# bench/scoring.py would shadow the scoring package: the packages first, bench's file by path.
# Imported by another bench (which has ordered sys.path already), the path is left as it is.
if __name__ == "__main__":
    sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
from scoring.handlers.evaluations import evaluate_profile  # noqa: E402
from yumiao_common.contracts.profile import Profile  # noqa: E402
from yumiao_common.contracts.registry import EnterpriseChanged  # noqa: E402
from yumiao_common.contracts.registry import EnterpriseChangedPayload  # noqa: E402
from yumiao_common.messaging.topology import EXCHANGE  # noqa: E402
from yumiao_common.messaging.topology import consumer_queue  # noqa: E402
from yumiao_common.messaging.topology import declare_consumer_queue  # noqa: E402

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
QUEUE = "scoring.profiles"
POOLS = ("innovative_sme", "tech_sme", "srdi_sme", "hnte")
TOWNS = ("371502001", "371502002", "371502100", "371503001")


def load_make_profile() -> Any:
    """bench/scoring.py's ``make_profile``, loaded by path (its name would shadow the scoring
    package): the realistic profiles every scoring bench draws from."""
    spec = importlib.util.spec_from_file_location("bench_scoring", ROOT / "bench/scoring.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_profile


def make_events(n: int, seed: int) -> list[EnterpriseChanged]:
    """N snapshots of distinct firms, as an import's first publication of each."""
    make_profile, rng = load_make_profile(), random.Random(seed)
    events, seen = [], set()
    for i in range(n * 2):
        profile = make_profile(rng, i)
        uscc = profile["enterprise"]["uscc"]
        if uscc in seen:
            continue
        seen.add(uscc)
        pools = tuple(p for p in POOLS if rng.random() < 0.3)
        payload = EnterpriseChangedPayload(profile=profile, change="imported", version=1,
                                           town_code=rng.choice(TOWNS), pools=pools)
        events.append(EnterpriseChanged(id=uuid.UUID(int=rng.getrandbits(128)),
                                        correlation_id=f"bench-{i}", payload=payload))
        if len(events) == n:
            break
    return events


#: What an update adds: a certification (the import of certificates) or an IP item (then IP).
_CERTIFICATIONS = ("innovative_sme", "tech_sme", "srdi_sme", "hnte")
_KINDS = ("invention_patent", "utility_model", "software_copyright", "design_patent")


def update_events(first: list[EnterpriseChanged], seed: int) -> list[EnterpriseChanged]:
    """The second snapshot of every firm of ``first``: version + 1, one item added."""
    rng, out = random.Random(seed + 1), []
    for i, event in enumerate(first):
        profile = json.loads(json.dumps(event.payload.profile))
        if i % 2 == 0:
            profile["certifications"] = [*profile.get("certifications", []), {
                "tier": rng.choice(_CERTIFICATIONS), "issued_on": "2025-03-01",
                "expires_on": "2028-02-29"}]
            change = "certification.created"
        else:
            profile["ip"] = [*profile.get("ip", []), {
                "kind": rng.choice(_KINDS), "number": f"ZLU{i}", "granted_on": "2024-11-01",
                "acquired_by": "self_developed", "related_to_main_product": True,
                "high_value": rng.random() < 0.1}]
            change = "ip.created"
        payload = event.payload.model_copy(update={
            "profile": profile, "change": change, "version": event.payload.version + 1})
        out.append(EnterpriseChanged(id=uuid.UUID(int=rng.getrandbits(128)),
                                     correlation_id=f"bench-update-{i}", payload=payload))
    return out


def publish(amqp: str, events: list[EnterpriseChanged]) -> None:
    """Declare the consumer's queue (as the relay does) and publish the events, confirmed."""
    connection = pika.BlockingConnection(pika.URLParameters(amqp))
    try:
        channel = connection.channel()
        declare_consumer_queue(channel, consumer_queue(QUEUE))
        channel.confirm_delivery()
        for event in events:
            properties = pika.BasicProperties(
                content_type="application/json", delivery_mode=2, message_id=str(event.id),
                type=event.type, correlation_id=event.correlation_id)
            channel.basic_publish(EXCHANGE, event.type, event.model_dump_json().encode(),
                                  properties, mandatory=True)
    finally:
        connection.close()


class Run:
    """The database and vhost of one run, dropped at the end."""

    def __init__(self) -> None:
        self.tag = f"yb_scons_{int(time.time()) % 10**6}_{secrets.token_hex(2)}"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{self.tag}"
        self.dsn = f"postgresql://postgres@127.0.0.1:5432/{self.tag}"
        self.amqp = f"amqp://guest:guest@127.0.0.1:5672/{self.tag}"
        self.env = {**os.environ, "SCORING_DATABASE_URL": self.url, "SCORING_AMQP_URL": self.amqp,
                    "SCORING_LOG_JSON": "false", "SCORING_LOG_LEVEL": "WARNING",
                    "SCORING_WORKER_METRICS_PORT": "0",
                    "SCORING_INTERNAL_TOKEN": secrets.token_urlsafe(24)}

    def create(self) -> None:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.tag}"')
        _ctl("add_vhost", self.tag)
        _ctl("set_permissions", "-p", self.tag, "guest", ".*", ".*", ".*")
        subprocess.run([str(BIN / "flask"), "--app", "scoring.app", "migrate"], env=self.env,
                       cwd=ROOT, check=True, capture_output=True, timeout=600)

    def drop(self) -> None:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.tag}" WITH (FORCE)')
        subprocess.run(["rabbitmqctl", "-q", "delete_vhost", self.tag], check=False,
                       timeout=120, capture_output=True)

    def consume(self, idle_exit: float, profile: str | None,
                batch_size: int | None, replicas: int = 1) -> tuple[float, float]:
        """Run the consumer (``replicas`` processes on the one queue, as a deployment scales
        it) until its queue has been quiet ``idle_exit`` s; their wall and CPU seconds (the
        rest of the drain is the database's work and waiting)."""
        command = [sys.executable, *(["-m", "cProfile", "-o", profile] if profile else []),
                   "-m", "scoring.consumer", "--idle-exit", str(idle_exit)]
        if batch_size:
            command += ["--batch-size", str(batch_size)]
        started, before = time.perf_counter(), _children_cpu()
        processes = [subprocess.Popen(command if i == 0 or not profile else
                                      [c.replace(profile, f"{profile}.{i}") for c in command],
                                      env=self.env, cwd=ROOT) for i in range(replicas)]
        for process in processes:
            if process.wait(timeout=3600) != 0:
                raise subprocess.CalledProcessError(process.returncode, command)
        return time.perf_counter() - started, _children_cpu() - before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _ctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, timeout=60, capture_output=True)


def drained(dsn: str, since: datetime | None = None) -> dict[str, Any]:
    """The drain's span and counts from the consumer's own rows, and a digest of its effects;
    ``since``: the drain of the messages claimed after it (the updates)."""
    with psycopg.connect(dsn) as conn:
        first = conn.execute("SELECT min(received_at) FROM inbox WHERE received_at > %s",
                             (since or datetime.min.replace(tzinfo=UTC),)).fetchone()[0]  # type: ignore[index]
        last = conn.execute("SELECT greatest((SELECT max(evaluated_at) FROM evaluation), "
                            "(SELECT max(created_at) FROM outbox))").fetchone()[0]  # type: ignore[index]
        digest = hashlib.sha256()
        rows = conn.execute("SELECT uscc, tier, verdict, route, score_milli, failing, rank_group,"
                            " rank_a, rank_b, rulebook_version, uses_local_parameter,"
                            " profile_hash, result::jsonb::text"  # the JSON, not its spacing
                            " FROM evaluation ORDER BY uscc, tier")
        evaluations = 0
        for row in rows:
            digest.update(repr(row).encode())
            evaluations += 1
        events = sorted(json.dumps([r[0], r[1], r[2]["payload"]], sort_keys=True)
                        for r in conn.execute("SELECT type, correlation_id, payload FROM outbox"))
        for event in events:
            digest.update(event.encode())
        inbox = conn.execute("SELECT count(*) FROM inbox").fetchone()[0]  # type: ignore[index]
        size = conn.execute("SELECT pg_total_relation_size('evaluation')").fetchone()[0]  # type: ignore[index]
    return {"seconds": (last - first).total_seconds(), "last": last, "evaluations": evaluations,
            "outbox": len(events), "inbox": inbox, "digest": digest.hexdigest()[:16],
            "evaluation_mb": size / 2**20}


def engine_alone(dsn: str) -> float:
    """The scoring engine alone: validate and evaluate every stored profile, in process. The
    one baseline of the drain ratios (this bench's and bench/scale.py's), so both compare with
    the same work."""
    with psycopg.connect(dsn) as conn:
        snapshots = [row[0] for row in conn.execute("SELECT profile FROM enterprise_profile")]
        overrides: dict[str, Any] = dict(conn.execute(
            "SELECT parameter_id, value FROM parameter_override").fetchall())
    started = time.perf_counter()
    for snapshot in snapshots:
        evaluate_profile(Profile.model_validate(snapshot), overrides=overrides)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--idle-exit", type=float, default=3.0)
    parser.add_argument("--batch-size", type=int, default=None,
                        help="the consumer's --batch-size (default: its own)")
    parser.add_argument("--replicas", type=int, default=1,
                        help="consumer processes on the one queue (a deployment's replicas)")
    parser.add_argument("--profile", default=None, help="cProfile output file of the consumer")
    parser.add_argument("--updates", action="store_true",
                        help="then a second snapshot of every firm (version + 1, one item "
                             "added), its drain timed too")
    args = parser.parse_args()
    events = make_events(args.n, args.seed)
    updates = update_events(events, args.seed) if args.updates else []
    run = Run()
    try:
        run.create()
        publish(run.amqp, events)
        wall, cpu = run.consume(args.idle_exit, args.profile, args.batch_size, args.replicas)
        found = drained(run.dsn)
        if updates:
            publish(run.amqp, updates)
            update_wall, update_cpu = run.consume(args.idle_exit, None, args.batch_size,
                                                   args.replicas)
            again = drained(run.dsn, since=found["last"])
        engine_s = engine_alone(run.dsn)
    finally:
        run.drop()
    if found["inbox"] != len(events):
        raise SystemExit(f"consumed {found['inbox']} of {len(events)} events")
    _print_drain("scoring_consumer", "consumer", len(events), found, engine_s, wall, cpu,
                 args.idle_exit)
    if updates:
        if again["inbox"] != 2 * len(updates):
            raise SystemExit(f"consumed {again['inbox']} of {2 * len(updates)} events")
        _print_drain("scoring_consumer_updates", "update consumer", len(updates), again,
                     engine_s, update_wall, update_cpu, args.idle_exit)


def _print_drain(name: str, process: str, events: int, found: dict[str, Any], engine_s: float,
                 wall: float, cpu: float, idle_exit: float) -> None:
    """A drain's two lines: the consumer process's wall and CPU, then the figures line."""
    drain_s = found["seconds"]
    print(f"{process} process: wall {wall:.1f} s, CPU {cpu:.1f} s (start-up and "
          f"{idle_exit:.0f} s idle included)")
    print(f"{name}: events={events} drain_s={drain_s:.2f} "
          f"events_per_s={events / drain_s:.0f} engine_s={engine_s:.2f} "
          f"drain_ratio={drain_s / engine_s:.2f} evaluations={found['evaluations']} "
          f"outbox={found['outbox']} evaluation_mb={found['evaluation_mb']:.0f} "
          f"digest={found['digest']}")


if __name__ == "__main__":
    main()
