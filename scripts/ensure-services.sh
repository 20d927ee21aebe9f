#!/usr/bin/env bash
# Start the local PostgreSQL and RabbitMQ when they are down, then wait until both answer.
# Uses the commands this kind of machine documents; safe to run when both already run.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
amqp_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }

if ! pg_up; then
  echo "PostgreSQL is down; starting it" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! amqp_up; then
  echo "RabbitMQ is down; starting it" >&2
  rabbitmq-server -detached || true
fi
for _ in $(seq 1 90); do
  if pg_up && amqp_up && rabbitmqctl -q await_startup >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "PostgreSQL or RabbitMQ did not come up within 90 s" >&2
pg_up || echo "  PostgreSQL: not answering on 127.0.0.1:5432" >&2
amqp_up || echo "  RabbitMQ: not answering on 127.0.0.1:5672" >&2
exit 1
