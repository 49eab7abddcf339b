#!/usr/bin/env bash
# A project-owned RabbitMQ cluster of three nodes, beside the machine's own broker (rabbit@localhost
# on 5672, which this never touches): planledger-rabbit1..3@localhost, AMQP on 127.0.0.1:5701–5703,
# Erlang distribution on 25701–25703 (the CLI's own on 35701–35703), no plugins. Node 1 forms the
# cluster; nodes 2 and 3 join it on their first start and rejoin by themselves after that. Quorum
# queues declared on it get a member on every node. Everything is under <repo>/.data/rabbitmq-cluster/
# (config, mnesia/, log/, pid files per node).
#
# The nodes use the machine broker's Erlang cookie: when run as root on a machine with a `rabbitmq`
# user they run as that user (HOME is its home, where the cookie is), so `rabbitmqctl -n
# planledger-rabbit1@localhost …` works as it does for the machine broker. Elsewhere they run as the
# caller with a cookie of their own under .data/rabbitmq-cluster/home.
#
# Usage: scripts/rabbitmq-cluster.sh start|stop|status|kill PORT|pause PORT|resume PORT|restart PORT|reset|ctl PORT ARGS…
#   start          starts the nodes that are not running, forms or rejoins the cluster, waits
#   stop           stops every node cleanly
#   status         exit 0 only when all three run and are clustered
#   kill PORT      SIGKILL the node with AMQP port PORT (5701–5703)
#   pause PORT     SIGSTOP that node (hung: connections stay open, nothing answers); resume PORT: SIGCONT
#   restart PORT   starts that node again (after kill or stop) and waits until it is clustered
#   reset          stops everything and removes its data
#   ctl PORT ARGS  runs rabbitmqctl ARGS against that node
# Environment: RABBITMQ_CLUSTER_START_TIMEOUT (seconds per wait, default 90)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.data/rabbitmq-cluster"
DATA_DIR="$DIR"
USAGE_LINES=2,23p
BIN=/usr/lib/rabbitmq/bin
PORTS=(5701 5702 5703)
TIMEOUT="${RABBITMQ_CLUSTER_START_TIMEOUT:-90}"

say() { echo "rabbitmq-cluster: $*"; }
die() { echo "rabbitmq-cluster: $*" >&2; exit 1; }

# shellcheck source=lib/clusterNodes.sh
source "$ROOT/scripts/lib/clusterNodes.sh"

[[ -x "$BIN/rabbitmq-server" ]] || die "RabbitMQ is not installed ($BIN/rabbitmq-server missing)"

node_name() { echo "planledger-rabbit$(($1 - 5700))@localhost"; }

# Who runs the nodes and the CLI, with which HOME (where Erlang finds its cookie).
if [[ $(id -u) == 0 ]] && id rabbitmq >/dev/null 2>&1; then
  RUN_AS=rabbitmq
  RUN_HOME="$(getent passwd rabbitmq | cut -d: -f6)"
  RUNNER=(runuser -u rabbitmq -- env HOME="$RUN_HOME")
else
  RUN_AS=""
  RUN_HOME="$DIR/home"
  RUNNER=(env HOME="$RUN_HOME")
fi

# The environment every node and CLI call sees: our files, never /etc/rabbitmq's.
common_env() {
  echo "RABBITMQ_CONF_ENV_FILE=$DIR/rabbitmq-env.conf"
  echo "RABBITMQ_CTL_DIST_PORT_MIN=35701"
  echo "RABBITMQ_CTL_DIST_PORT_MAX=35703"
}

ctl() {
  local port="$1"; shift
  local -a envs
  mapfile -t envs < <(common_env)
  "${RUNNER[@]}" "${envs[@]}" "$BIN/rabbitmqctl" -n "$(node_name "$port")" "$@"
}

prepare() {
  mkdir -p "$DIR" "$RUN_HOME"
  : >"$DIR/rabbitmq-env.conf"
  echo '[].' >"$DIR/enabled_plugins"
  local port
  for port in "${PORTS[@]}"; do
    mkdir -p "$DIR/$port/log" "$DIR/$port/mnesia"
    cat >"$DIR/$port/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$port
loopback_users.guest = true
cluster_partition_handling = pause_minority
disk_free_limit.absolute = 50MB
log.file.level = warning
log.console = false
# Quorum queues keep their Raft write-ahead log in memory until it rolls over (512 MiB by
# default). The 10-minute soak at ~23 writes/s wrote ~50 KB/s of WAL per node: rolled over at
# 64 MiB a node's memory still grew 36 MiB in 10 minutes; at 8 MiB it rolls over every few
# minutes and a node's memory stays flat.
raft.wal_max_size_bytes = 8388608
EOF
  done
  if [[ -n "$RUN_AS" ]]; then chown -R "$RUN_AS:" "$DIR"; fi
}

node_pid() {
  local file="$DIR/$1/rabbit.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx -- "RABBITMQ_NODENAME=$(node_name "$1")" || return 1
  echo "$pid"
}

launch() {
  local port="$1" node
  node="$(node_name "$port")"
  local -a envs
  mapfile -t envs < <(common_env)
  rm -f "$DIR/$port/rabbit.pid"
  # setsid: its own session, so a Ctrl-C in the calling terminal does not reach the node. In the
  # foreground (no -detached) the node writes its pid file itself.
  nohup setsid "${RUNNER[@]}" "${envs[@]}" \
    RABBITMQ_NODENAME="$node" \
    RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT="$((port + 20000))" \
    RABBITMQ_CONFIG_FILE="$DIR/$port/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$DIR/$port/mnesia" \
    RABBITMQ_LOG_BASE="$DIR/$port/log" \
    RABBITMQ_PID_FILE="$DIR/$port/rabbit.pid" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    "$BIN/rabbitmq-server" </dev/null >>"$DIR/$port/log/start.log" 2>&1 9>&- &
}

# Waits until the node's application runs (the CLI can reach it only once it registered).
await_node() {
  local t0=$SECONDS
  until ctl "$1" -q -t 5 await_startup >/dev/null 2>&1; do
    if (( SECONDS - t0 >= TIMEOUT )); then
      tail -n 30 "$DIR/$1/log/start.log" >&2 2>/dev/null || true
      die "$(node_name "$1") did not start within ${TIMEOUT}s (logs in ${DIR#"$ROOT"/}/$1/log)"
    fi
    sleep 0.5
  done
}

# The running members the node sees (one per line).
running_nodes() {
  ctl "$1" -q cluster_status --formatter json 2>/dev/null | jq -r '.running_nodes[]' 2>/dev/null
}
members() {
  ctl "$1" -q cluster_status --formatter json 2>/dev/null | jq -r '.disk_nodes[]' 2>/dev/null
}

join_if_alone() {
  local port="$1" first
  first="$(node_name "${PORTS[0]}")"
  [[ "$port" == "${PORTS[0]}" ]] && return 0
  if members "$port" | grep -qx "$first"; then return 0; fi
  say "$(node_name "$port") joins $first"
  ctl "$port" -q stop_app >/dev/null
  ctl "$port" -q join_cluster "$first" >/dev/null
  ctl "$port" -q start_app >/dev/null
}

clustered() {
  local n
  n="$(running_nodes "${PORTS[0]}" | grep -c '^planledger-rabbit' || true)"
  [[ "$n" == "${#PORTS[@]}" ]]
}

wait_clustered() {
  local t0=$SECONDS
  until clustered; do
    (( SECONDS - t0 < TIMEOUT )) || die "the nodes did not form one cluster within ${TIMEOUT}s"
    sleep 0.5
  done
}

start_nodes() {
  local port started=()
  for port in "$@"; do
    if node_pid "$port" >/dev/null; then continue; fi
    launch "$port"
    started+=("$port")
  done
  # All at once: a node restarting after a full stop waits for its peers' tables.
  for port in "${started[@]}"; do await_node "$port"; done
  for port in "$@"; do join_if_alone "$port"; done
}

take_lock() { mkdir -p "$ROOT/.data"; exec 9>"$DIR.lock"; flock 9; }

do_start() {
  take_lock
  local t0=$SECONDS
  prepare
  start_nodes "${PORTS[@]}"
  wait_clustered
  say "3 nodes clustered on 127.0.0.1:${PORTS[0]}–${PORTS[2]} in $((SECONDS - t0))s"
}

stop_node() {
  local port="$1" pid i
  pid="$(node_pid "$port")" || return 0
  ctl "$port" -q stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

do_stop() {
  local port
  # The first node last: it is the one the others joined.
  for port in "${PORTS[2]}" "${PORTS[1]}" "${PORTS[0]}"; do
    if node_pid "$port" >/dev/null; then stop_node "$port"; say "stopped $(node_name "$port")"; fi
  done
}

do_status() {
  local port down=0
  for port in "${PORTS[@]}"; do
    if pid=$(node_pid "$port"); then say "$(node_name "$port") running (pid $pid, amqp 127.0.0.1:$port)"; else say "$(node_name "$port") not running"; down=1; fi
  done
  ((down == 0)) || return 3
  if clustered; then say "clustered"; else say "not one cluster (yet)"; return 3; fi
}

do_restart() {
  take_lock
  prepare
  stop_node "$1"
  start_nodes "$1"
  wait_clustered
  say "$(node_name "$1") is back in the cluster"
}

if [[ "${1:-}" == ctl ]]; then
  check_port "${2:-}"
  port="$2"
  shift 2
  ctl "$port" "$@"
else
  cluster_command "$@"
fi
