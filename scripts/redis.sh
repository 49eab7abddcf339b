#!/usr/bin/env bash
# The event log's Redis: a project-owned redis-server with AOF (appendfsync always), its data
# under <repo>/.data/redis. Not used when REDIS_URL names another Redis.
#
# Usage: scripts/redis.sh start|stop|status
#
# Environment:
#   REDIS_PORT           port of the project-owned Redis (default 6380; 6379 is the machine's own)
#   REDIS_START_TIMEOUT  seconds to wait for PING on start (default 20)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.data/redis"
PID_FILE="$DIR/redis.pid"
REDIS_PORT="${REDIS_PORT:-6380}"
TIMEOUT="${REDIS_START_TIMEOUT:-20}"

say() { echo "redis: $*"; }
die() { echo "redis: $*" >&2; exit 1; }
cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
answers() { [[ "$(cli ping 2>/dev/null)" == "PONG" ]]; }
ours() { [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

start() {
  command -v redis-server >/dev/null || die "redis-server not found; install Redis 7 (e.g. apt-get install redis-server) or set REDIS_URL"
  if answers; then
    say "already running on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  mkdir -p "$DIR"
  local started=$SECONDS
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR" \
    --appendonly yes --appendfsync always --save "" \
    --daemonize yes --pidfile "$PID_FILE" --logfile "$DIR/redis.log"
  until answers; do
    if (( SECONDS - started > TIMEOUT )); then
      tail -n 20 "$DIR/redis.log" >&2 || true
      die "no answer on 127.0.0.1:$REDIS_PORT within ${TIMEOUT}s"
    fi
    sleep 0.1
  done
  # AOF replay on start answers LOADING until done.
  until [[ "$(cli info persistence | tr -d '\r' | sed -n 's/^loading://p')" == "0" ]]; do sleep 0.1; done
  say "ready on 127.0.0.1:$REDIS_PORT with AOF (appendfsync always) in $((SECONDS - started))s"
}

stop() {
  if ! ours; then
    rm -f "$PID_FILE"
    say "not running (nothing of ours to stop)"
    return 0
  fi
  local pid; pid="$(cat "$PID_FILE")"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$PID_FILE"
  say "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if answers; then say "running on 127.0.0.1:$REDIS_PORT"; else say "not running"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
