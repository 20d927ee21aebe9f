#!/usr/bin/env bash
# Start the local PostgreSQL, RabbitMQ and Redis when they are down, then wait until both answer.
# Uses the commands this kind of machine documents; safe to run when both already run.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
amqp_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
# A broker can accept TCP yet never answer the AMQP protocol header (seen after a killed run
# left rabbitmqctl calls hung on it): ask for Connection.Start, not just for a socket.
amqp_answers() {
  timeout 15 bash -c 'exec 3<>/dev/tcp/127.0.0.1/5672 && printf "AMQP\x00\x00\x09\x01" >&3 \
    && [ "$(head -c 1 <&3 | od -An -tx1 | tr -d " ")" = "01" ]' 2>/dev/null
}

# RabbitMQ 3.10 counts every socket and every queue file against one file-handle budget (90 %
# of its open-files limit). At the 1024 a broker started through `su rabbitmq` gets, a full run's
# quorum queues used it up and every new connection then waited forever in its handshake (seen
# in CI). The broker's environment file raises the limit to the hard one (20000 here).
ENV_CONF=/etc/rabbitmq/rabbitmq-env.conf
if [ -w "$ENV_CONF" ] && ! grep -q "yumiao: file handles" "$ENV_CONF"; then
  printf '\n# yumiao: file handles (scripts/ensure-services.sh)\nulimit -S -n "$(ulimit -H -n)" 2>/dev/null || true\n' >> "$ENV_CONF"
fi
broker_handle_limit() {
  timeout 30 rabbitmqctl -q eval \
    'proplists:get_value(total_limit, file_handle_cache:info([total_limit])).' 2>/dev/null || echo 0
}

if ! pg_up; then
  echo "PostgreSQL is down; starting it" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if ! amqp_up; then
  echo "RabbitMQ is down; starting it" >&2
  rabbitmq-server -detached || true
fi
# A broker that accepts TCP but answers no handshake is booting (recovering its quorum queues can
# take minutes) or wedged: wait for it, then kill and start it, and as the last resort start it
# on a fresh data directory (the wedged one is kept beside it). This machine's broker holds only
# test state; the suite creates its own vhosts and queues each run.
broker_answers_within() {
  local seconds=$1
  for _ in $(seq 1 $((seconds / 15))); do amqp_answers && return 0; sleep 1; done
  return 1
}
if amqp_up && ! broker_answers_within 120; then
  echo "RabbitMQ answers no AMQP handshake after 2 min; killing and restarting it" >&2
  pkill -9 -f beam.smp || true  # the node and every rabbitmqctl hung on it
  sleep 2
  rabbitmq-server -detached || true
  sleep 5
  if ! broker_answers_within 120; then
    wedged="/var/lib/rabbitmq/mnesia.wedged-$(date +%Y%m%d%H%M%S)"
    echo "RabbitMQ still answers no handshake: starting it on a fresh data directory" \
      "(the old one kept as $wedged)" >&2
    pkill -9 -f beam.smp || true
    sleep 2
    mv /var/lib/rabbitmq/mnesia "$wedged" || true
    rabbitmq-server -detached || true
  fi
fi
if ! redis_up; then
  echo "Redis is down; starting it (the gateway's shared rate-limit store is tested on it)" >&2
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
fi
for _ in $(seq 1 90); do
  if pg_up && amqp_up && redis_up && timeout 60 rabbitmqctl -q await_startup >/dev/null 2>&1 \
      && amqp_answers; then
    if [ "$(broker_handle_limit)" -lt 4000 ]; then
      echo "RabbitMQ runs with a small file-handle budget; restarting it with the raised limit" >&2
      timeout 60 rabbitmqctl -q stop >/dev/null 2>&1 || pkill -9 -f beam.smp || true
      sleep 2
      rabbitmq-server -detached || true
      continue
    fi
    # Quorum queues with dead-lettering need the broker's rabbit_fifo_dlx_sup. Restarting the
    # broker's app many times over (the chaos tests do, and engineers running suites side by
    # side did) once left it dead, and every such queue then answered 541 INTERNAL_ERROR:
    # bring it back instead of failing the whole run.
    if [ "$(rabbitmqctl -q eval 'is_pid(whereis(rabbit_fifo_dlx_sup)).' 2>/dev/null)" != "true" ]; then
      echo "RabbitMQ lost rabbit_fifo_dlx_sup; restarting it" >&2
      rabbitmqctl -q eval 'supervisor:restart_child(rabbit_sup, rabbit_fifo_dlx_sup).' >&2 || true
    fi
    # Test vhosts (yt_*) that a killed run left behind: every one holds quorum queues the
    # broker keeps replicating; removed one at a time (parallel rabbitmqctl calls collide).
    for vhost in $(timeout 30 rabbitmqctl -q list_vhosts 2>/dev/null | grep '^yt_' || true); do
      timeout 30 rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
    done
    exit 0
  fi
  sleep 1
done
echo "PostgreSQL, RabbitMQ or Redis did not come up within 90 s" >&2
redis_up || echo "  Redis: not answering on 127.0.0.1:6379" >&2
pg_up || echo "  PostgreSQL: not answering on 127.0.0.1:5432" >&2
amqp_up || echo "  RabbitMQ: not answering on 127.0.0.1:5672" >&2
exit 1
