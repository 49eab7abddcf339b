#!/usr/bin/env bash
# A Redis Cluster of 3 masters + 3 replicas for the cluster topology: six project-owned
# redis-server processes on 127.0.0.1:7001–7006, each with AOF (appendfsync always) and
# cluster-node-timeout 2000, data/pid/log under <repo>/.data/redis-cluster/<port>/. The cluster
# is created once (redis-cli --cluster create … --cluster-replicas 1); later starts reuse each
# node's nodes.conf, so a node that was failed over rejoins as a replica.
#
# Usage: scripts/redis-cluster.sh start|stop|status|kill PORT|restart PORT|reset
#   start        start the nodes not running, create the cluster if new, wait until healthy
#   stop         stop every node of ours (SIGTERM, then SIGKILL)
#   status       exit 0 only when all six answer, cluster_state is ok and all 16384 slots are ok
#   kill PORT    SIGKILL that node (by its pidfile), as a crash would
#   restart PORT start that node again (after kill or stop) and wait until the cluster is healthy
#   reset        stop, delete every node's data, start a new cluster
#
# Environment:
#   REDIS_CLUSTER_START_TIMEOUT  seconds to wait for a node's PING and for a healthy cluster (default 30)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="$ROOT/.data/redis-cluster"
PORTS=(7001 7002 7003 7004 7005 7006)
TIMEOUT="${REDIS_CLUSTER_START_TIMEOUT:-30}"

say() { echo "redis-cluster: $*"; }
die() { echo "redis-cluster: $*" >&2; exit 1; }
cli() { local port="$1"; shift; redis-cli -h 127.0.0.1 -p "$port" "$@"; }
answers() { [[ "$(cli "$1" ping 2>/dev/null)" == "PONG" ]]; }
pid_file() { echo "$BASE/$1/redis.pid"; }
ours() { [[ -f "$(pid_file "$1")" ]] && kill -0 "$(cat "$(pid_file "$1")")" 2>/dev/null; }
info_field() { cli "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n "s/^$2://p"; }
known_port() {
  local port
  for port in "${PORTS[@]}"; do [[ "$port" == "${1:-}" ]] && return 0; done
  die "unknown node '${1:-}' (one of ${PORTS[*]})"
}

start_node() {
  local port="$1" dir="$BASE/$1"
  if answers "$port"; then return 0; fi
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
    --appendonly yes --appendfsync always --save "" \
    --daemonize yes --pidfile "$(pid_file "$port")" --logfile "$dir/redis.log"
  local started=$SECONDS
  until answers "$port"; do
    if (( SECONDS - started > TIMEOUT )); then
      tail -n 20 "$dir/redis.log" >&2 || true
      die "node $port: no answer within ${TIMEOUT}s"
    fi
    sleep 0.1
  done
  until [[ "$(cli "$port" info persistence | tr -d '\r' | sed -n 's/^loading://p')" == "0" ]]; do sleep 0.1; done
}

stop_node() {
  local port="$1" file; file="$(pid_file "$1")"
  if ! ours "$port"; then rm -f "$file"; return 0; fi
  local pid; pid="$(cat "$file")"
  kill -TERM "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$file"
}

# Healthy: every node answers and sees cluster_state:ok with all slots ok, 3 masters and 3 replicas, each replica in sync.
healthy() {
  local port
  for port in "${PORTS[@]}"; do
    answers "$port" || return 1
    [[ "$(info_field "$port" cluster_state)" == "ok" ]] || return 1
    [[ "$(info_field "$port" cluster_slots_ok)" == "16384" ]] || return 1
    [[ "$(info_field "$port" cluster_known_nodes)" == "6" ]] || return 1
  done
  local roles; roles="$(cli "${PORTS[0]}" cluster nodes | awk '$3 !~ /fail/ && $8 == "connected" { split($3, f, ","); print f[length(f)] }')"
  [[ "$(grep -c '^master$' <<<"$roles")" == "3" && "$(grep -c '^slave$' <<<"$roles")" == "3" ]] || return 1
  # Every replica is in sync with its master (a restarted node may still be loading or resyncing).
  for port in "${PORTS[@]}"; do
    local replication; replication="$(cli "$port" info replication | tr -d '\r')"
    if grep -q '^role:slave' <<<"$replication"; then grep -q '^master_link_status:up' <<<"$replication" || return 1; fi
  done
}

wait_healthy() {
  local started=$SECONDS
  until healthy; do
    (( SECONDS - started > TIMEOUT )) && die "cluster not healthy within ${TIMEOUT}s"
    sleep 0.2
  done
}

start() {
  command -v redis-server >/dev/null || die "redis-server not found; install Redis 7 (e.g. apt-get install redis-server)"
  local started=$SECONDS port
  for port in "${PORTS[@]}"; do start_node "$port"; done
  if [[ "$(info_field "${PORTS[0]}" cluster_known_nodes)" == "1" && "$(info_field "${PORTS[0]}" cluster_slots_assigned)" == "0" ]]; then
    local nodes=()
    for port in "${PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$BASE/create.log" 2>&1 ||
      { cat "$BASE/create.log" >&2; die "cluster create failed"; }
  fi
  wait_healthy
  say "ready on 127.0.0.1:${PORTS[0]}–${PORTS[-1]} (3 masters + 3 replicas, AOF appendfsync always) in $((SECONDS - started))s"
}

stop() {
  local port
  for port in "${PORTS[@]}"; do stop_node "$port"; done
  say "stopped"
}

status() {
  if healthy; then say "healthy on 127.0.0.1:${PORTS[0]}–${PORTS[-1]}"; return 0; fi
  local port
  for port in "${PORTS[@]}"; do
    if answers "$port"; then say "$port up, cluster_state:$(info_field "$port" cluster_state)"; else say "$port down"; fi
  done
  return 1
}

kill_node() {
  known_port "$1"
  local file; file="$(pid_file "$1")"
  ours "$1" || die "node $1 is not running (no live pidfile)"
  kill -KILL "$(cat "$file")"
  while kill -0 "$(cat "$file")" 2>/dev/null; do sleep 0.05; done
  rm -f "$file"
  say "killed $1"
}

restart_node() {
  known_port "$1"
  start_node "$1"
  wait_healthy
  say "restarted $1"
}

reset() {
  stop
  rm -rf "$BASE"
  start
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill) kill_node "${2:-}" ;;
  restart) restart_node "${2:-}" ;;
  reset) reset ;;
  *) echo "usage: $0 start|stop|status|kill PORT|restart PORT|reset" >&2; exit 2 ;;
esac
