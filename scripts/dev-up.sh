#!/usr/bin/env bash
# `make up`: the whole Yumiao stack on this machine with demo data.
# SQLite files under var/ (one per service), the local RabbitMQ, every service under gunicorn
# with its relays and workers. Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
VAR=$(realpath -m "${YUMIAO_VAR_DIR:-var}")  # absolute: it goes into SQLite URLs
LOGS="$VAR/logs"
mkdir -p "$VAR" "$LOGS"

AMQP_URL=${YUMIAO_AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/%2F}
AMQP_HOSTPORT=$(python3 -c 'import sys,urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p.hostname or "127.0.0.1", p.port or 5672)' "$AMQP_URL")

broker_answers() { timeout 3 bash -c "exec 3<>/dev/tcp/${AMQP_HOSTPORT% *}/${AMQP_HOSTPORT#* }" 2>/dev/null; }

if ! broker_answers; then
  if command -v rabbitmq-server >/dev/null 2>&1; then
    echo "RabbitMQ 未运行，正在启动 / RabbitMQ is down, starting the local one…"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do broker_answers && break; sleep 1; done
  fi
fi
if ! broker_answers; then
  cat >&2 <<EOF
无法连接 RabbitMQ / No RabbitMQ answers at ${AMQP_HOSTPORT/ /:}.
Yumiao's services exchange events through it. Get one with either:
  rabbitmq-server -detached                      # Debian package rabbitmq-server
  docker compose up -d rabbitmq                  # from this repository's docker-compose.yml
or point YUMIAO_AMQP_URL at a reachable broker, then run 'make up' again.
EOF
  exit 1
fi

# Secrets for this machine only: generated once, kept out of the repository (var/ is ignored).
SECRETS="$VAR/secrets.env"
if [ ! -f "$SECRETS" ]; then
  umask 077
  {
    echo "YUMIAO_INTERNAL_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
    echo "GATEWAY_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
  } > "$SECRETS"
fi
# shellcheck disable=SC1090
source "$SECRETS"

export YUMIAO_DEMO_PASSWORD=${YUMIAO_DEMO_PASSWORD:-yumiao-demo}
export GATEWAY_DEMO_MODE=true GATEWAY_SECRET_KEY
for svc in REGISTRY SCORING NOTIFY GATEWAY; do
  lower=$(echo "$svc" | tr 'A-Z' 'a-z')
  db_var="${svc}_DATABASE_URL"
  export "$db_var=${!db_var:-sqlite:///$VAR/$lower.db}"
  export "${svc}_AMQP_URL=$AMQP_URL"
  export "${svc}_INTERNAL_TOKEN=$YUMIAO_INTERNAL_TOKEN"
  export "${svc}_LOG_JSON=false"
done
export GATEWAY_REGISTRY_URL=http://127.0.0.1:8001 GATEWAY_SCORING_URL=http://127.0.0.1:8002 \
       GATEWAY_NOTIFY_URL=http://127.0.0.1:8003
# notices link to the portal as a reader of the dev stack reaches it
export NOTIFY_PUBLIC_URL=${NOTIFY_PUBLIC_URL:-http://127.0.0.1:8000}
# invitation and password-reset links point at the same address
export GATEWAY_PUBLIC_URL=${GATEWAY_PUBLIC_URL:-http://127.0.0.1:8000}
# Firms' evidence files (yearly reports) beside the SQLite files, not in the work tree.
export REGISTRY_EVIDENCE_DIR=${REGISTRY_EVIDENCE_DIR:-$VAR/evidence}

PIDS=()
stop_all() {
  trap - INT TERM EXIT
  echo; echo "正在停止 / Stopping…"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "已停止 / Stopped."
}
trap stop_all INT TERM EXIT

start() {  # start NAME CMD...: run in the background, log to var/logs/NAME.log
  local name=$1; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  PIDS+=("$!")
}

wait_http() {  # wait_http URL: until it answers 200, or fail after 60 s
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "$1 did not come up; see $LOGS/" >&2
  return 1
}

echo "== 数据库迁移 / Migrating =="
for app in registry scoring notify gateway; do
  $BIN/flask --app "$app.app" migrate
done
echo "== 演示数据 / Demo data =="
$BIN/flask --app registry.app seed-demo   # a plugin command of tools/demo (yumiao-demo)
$BIN/flask --app notify.app seed-policies

echo "== 启动服务 / Starting services =="
start registry        $BIN/gunicorn -c services/registry/gunicorn.conf.py
start registry-relay  $BIN/python -m registry.relay
start registry-jobs   $BIN/python -m registry.jobs
start registry-consumer $BIN/python -m registry.consumer
start scoring         $BIN/gunicorn -c services/scoring/gunicorn.conf.py
start scoring-consumer $BIN/python -m scoring.consumer
# The scoring consumer is the drain of an import (issue 16): on PostgreSQL a second replica on
# the one queue, as prod runs two (k8s/overlays/prod), drains twice as fast on two cores
# (bench/scoring_consumer.py --replicas 2); on SQLite, one writer at a time, it would only
# wait for the first one's lock. SCORING_CONSUMER_REPLICAS overrides.
if [[ -z "${SCORING_CONSUMER_REPLICAS:-}" ]]; then
  [[ "$SCORING_DATABASE_URL" == sqlite* ]] && SCORING_CONSUMER_REPLICAS=1 || SCORING_CONSUMER_REPLICAS=2
fi
for replica in $(seq 2 "$SCORING_CONSUMER_REPLICAS"); do
  start "scoring-consumer-$replica" $BIN/python -m scoring.consumer
done
start scoring-relay   $BIN/python -m scoring.relay
start scoring-jobs    $BIN/python -m scoring.jobs
start notify          $BIN/gunicorn -c services/notify/gunicorn.conf.py
start notify-consumer $BIN/python -m notify.consumer
start notify-relay    $BIN/python -m notify.relay
start notify-sender   $BIN/python -m notify.sender
start gateway         $BIN/gunicorn -c gateway/gunicorn.conf.py
for port in 8001 8002 8003 8000; do wait_http "http://127.0.0.1:$port/healthz"; done
$BIN/flask --app registry.app emit-expiry-reminders
$BIN/flask --app registry.app run-pipeline-lifecycle
$BIN/flask --app notify.app emit-window-reminders
$BIN/flask --app gateway.app create-demo-accounts

cat <<EOF

育苗 Yumiao is running / 已启动:
  Web UI (gateway)   http://127.0.0.1:8000/
  API + OpenAPI      http://127.0.0.1:8000/api/v1/openapi.json   (docs: /api/docs)
  registry           http://127.0.0.1:8001   scoring http://127.0.0.1:8002   notify http://127.0.0.1:8003
  (internal services accept only calls through the gateway)
Logs: $LOGS/   Data: $VAR/*.db
Demo password for every demo account above: $YUMIAO_DEMO_PASSWORD
按 Ctrl-C 停止 / Press Ctrl-C to stop.
EOF
wait -n "${PIDS[@]}" || true
echo "a process exited; see $LOGS/ — stopping the rest" >&2
