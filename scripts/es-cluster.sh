#!/usr/bin/env bash
# A local Elasticsearch 7.17 cluster of three nodes from the same jars and launcher as es.sh (see
# scripts/lib/elasticsearch.sh): HTTP 127.0.0.1:9201–9203, transport 9301–9303, every node
# master-eligible and a data node (three, so losing any one keeps a master quorum), 512 MB heap
# each. Data, logs and pid file of each node under <repo>/.data/es-cluster/<http port>/.
#
# Usage: scripts/es-cluster.sh start|stop|status|kill PORT|pause PORT|resume PORT|restart PORT|reset
#   start          installs if needed, starts the nodes that are not running, waits for all three and yellow
#   stop           stops every node (SIGTERM, clean close)
#   status         exit 0 only when all three joined one cluster and its health is green or yellow
#   kill PORT      SIGKILL the node with HTTP port PORT (9201–9203)
#   pause PORT     SIGSTOP that node (hung: connections stay open, nothing answers); resume PORT: SIGCONT
#   restart PORT   starts that node again (after kill or stop) and waits until it rejoined
#   reset          stops everything and removes its data
# Environment: ES_INSTALL_DIR (jars and launcher, default <repo>/.data/elasticsearch), ES_HEAP
# (default 512m), ES_JAVA_OPTS, ES_START_TIMEOUT (default 120 s), ES_STOP_TIMEOUT (default 30 s)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ES_SAY=es-cluster
# shellcheck source=lib/elasticsearch.sh
source "$ROOT/scripts/lib/elasticsearch.sh"
# shellcheck source=lib/clusterNodes.sh
source "$ROOT/scripts/lib/clusterNodes.sh"
CLUSTER_DIR="$ROOT/.data/es-cluster"
DATA_DIR="$CLUSTER_DIR"
USAGE_LINES=2,16p
PORTS=(9201 9202 9203)
CLUSTER_NAME=planledger-cluster

node_name() { echo "planledger-es-$1"; }
node_pid() { our_pid "$CLUSTER_DIR/$1/es.pid" "-Dplanledger.es.data=$CLUSTER_DIR/$1/data"; }
url_of() { echo "http://127.0.0.1:$1"; }

launch() {
  local port="$1" seeds="" masters="" p
  for p in "${PORTS[@]}"; do
    seeds+="${seeds:+,}127.0.0.1:$((p + 100))"
    masters+="${masters:+,}$(node_name "$p")"
  done
  launch_node "$CLUSTER_DIR/$port/es.pid" "$CLUSTER_DIR/$port" "$port" "$((port + 100))" \
    "-Dplanledger.es.data=$CLUSTER_DIR/$port/data" "-Dplanledger.es.logs=$CLUSTER_DIR/$port/logs" \
    "-Dplanledger.es.node.name=$(node_name "$port")" "-Dplanledger.es.cluster.name=$CLUSTER_NAME" \
    -- discovery.type=zen "discovery.seed_hosts=$seeds" "cluster.initial_master_nodes=$masters"
}

# How many nodes the node at $1 sees in its cluster (0 when it does not answer).
nodes_seen() {
  curl -s -m 3 "$(url_of "$1")/_cluster/health" 2>/dev/null | sed -n 's/.*"number_of_nodes":\([0-9]*\).*/\1/p' | grep . || echo 0
}

all_joined() {
  local p
  for p in "${PORTS[@]}"; do
    [[ "$(nodes_seen "$p")" == "${#PORTS[@]}" ]] || return 1
  done
  healthy "$(url_of "${PORTS[0]}")" yellow
}

wait_joined() {
  local t0="$1" p
  while (($(now_ms) - t0 < ES_START_TIMEOUT * 1000)); do
    if all_joined; then return 0; fi
    for p in "${PORTS[@]}"; do
      if [[ -f "$CLUSTER_DIR/$p/es.pid" ]] && ! node_pid "$p" >/dev/null; then
        tail -n 40 "$CLUSTER_DIR/$p/logs/stdout.log" >&2 2>/dev/null || true
        die "$(node_name "$p") exited during startup (log: ${CLUSTER_DIR#"$ROOT"/}/$p/logs/stdout.log)"
      fi
    done
    sleep 0.25
  done
  die "the nodes did not form one healthy cluster within ${ES_START_TIMEOUT}s"
}

start_nodes() {
  local p code
  for p in "$@"; do
    node_pid "$p" >/dev/null && continue
    code="$(http_code "$(url_of "$p")")"
    [[ "$code" == 000 ]] || die "something else answers on port $p (HTTP $code)"
    launch "$p"
  done
}

do_start() {
  need java curl
  take_lock "$CLUSTER_DIR/.lock"
  do_install
  local t0
  t0=$(now_ms)
  start_nodes "${PORTS[@]}"
  wait_joined "$t0"
  say "3 nodes joined at $(url_of "${PORTS[0]}")–${PORTS[2]} in $(elapsed "$t0")"
}

stop_node() {
  local pid
  pid="$(node_pid "$1")" || return 0
  terminate "$pid" "$ES_STOP_TIMEOUT"
  rm -f "$CLUSTER_DIR/$1/es.pid"
  say "stopped $(node_name "$1") (pid $pid)"
}

do_stop() {
  take_lock "$CLUSTER_DIR/.lock"
  local p
  for p in "${PORTS[@]}"; do stop_node "$p"; done
}

do_status() {
  local p pid down=0
  for p in "${PORTS[@]}"; do
    if pid="$(node_pid "$p")"; then say "$(node_name "$p") running (pid $pid, $(url_of "$p"), sees $(nodes_seen "$p") nodes)"; else say "$(node_name "$p") not running"; down=1; fi
  done
  ((down == 0)) && all_joined || return 3
  say "one cluster, health $(curl -s -m 3 "$(url_of "${PORTS[0]}")/_cluster/health" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')"
}

do_restart() {
  need java curl
  take_lock "$CLUSTER_DIR/.lock"
  do_install
  stop_node "$1"
  local t0
  t0=$(now_ms)
  start_nodes "$1"
  wait_joined "$t0"
  say "$(node_name "$1") rejoined in $(elapsed "$t0")"
}

cluster_command "$@"
