#!/usr/bin/env bash
# Local Elasticsearch 7.17.29 for development and CI, without Docker.
#
# The node runs from Maven Central jars (see docker/elasticsearch-local/) through a small
# Java launcher that embeds org.elasticsearch.node.Node. Everything it writes is under
# <repo>/.data/elasticsearch (jars, compiled launcher, data, logs, pid file).
#
# Usage: scripts/es.sh install|start|stop|restart|status|logs
#
# Environment:
#   ES_PORT            HTTP port (default 9200, or the port of ES_URL when only that is set)
#   ES_URL             URL to check/wait on (default http://127.0.0.1:$ES_PORT)
#   ES_TRANSPORT_PORT  transport port (default 9300)
#   ES_HEAP            JVM heap, -Xms and -Xmx (default 2g; see below)
#   ES_JAVA_OPTS       extra JVM options
#   ES_START_TIMEOUT   seconds to wait for health on start (default 120)
#   ES_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL on stop (default 30)
#   ES_INSTALL_DIR     jars, launcher, data, logs and pid file (default <repo>/.data/elasticsearch)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ES_SAY=elasticsearch
# The indexing buffer is a tenth of the heap. Once a node's writes fill it, the node refreshes
# the largest shard to free it, which cuts a segment and rebuilds the join field's global
# ordinals over the whole index (~400 ms each on a 600,000-document index): with 512m that
# happened every few seconds under 500 POST/s and cost 1.3-1.6 ms of Elasticsearch CPU per POST;
# with 2g none did in a 30 s run, and it cost 0.8-0.9 ms (bench cpuPerWrite, from a fresh node).
ES_HEAP="${ES_HEAP:-2g}"
# shellcheck source=lib/elasticsearch.sh
source "$ROOT/scripts/lib/elasticsearch.sh"
PID_FILE="$ES_DIR/es.pid"
LOCK_FILE="$ES_DIR/.lock"
LOG_DIR="$ES_DIR/logs"
LOG_FILE="$LOG_DIR/stdout.log"

if [[ -z "${ES_PORT:-}" && -n "${ES_URL:-}" && "$ES_URL" =~ :([0-9]+)/*$ ]]; then
  ES_PORT="${BASH_REMATCH[1]}"
fi
ES_PORT="${ES_PORT:-9200}"
ES_URL="${ES_URL:-http://127.0.0.1:$ES_PORT}"
ES_URL="${ES_URL%/}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300}"

node_pid() { our_pid "$PID_FILE" "-Dplanledger.es.home=$ES_DIR"; }

do_start() {
  need java curl
  if es_answers "$ES_URL"; then
    say "already running at $ES_URL"
    return 0
  fi
  local code
  code="$(http_code "$ES_URL")"
  if [[ "$code" != 000 ]]; then
    die "$ES_URL answers (HTTP $code) but is not Elasticsearch; set ES_PORT to a free port"
  fi
  take_lock "$LOCK_FILE"
  if es_answers "$ES_URL"; then # another es.sh started it while we waited for the lock
    say "already running at $ES_URL"
    return 0
  fi
  local t0 pid
  t0=$(now_ms)
  if pid="$(node_pid)"; then
    local port
    port="$(pid_port "$pid")"
    if [[ -n "$port" && "$port" != "$ES_PORT" ]]; then
      die "this checkout's node (pid $pid) already runs on port $port, not $ES_PORT; run 'ES_PORT=$port scripts/es.sh stop' first"
    fi
    say "node (pid $pid) is starting, waiting for it"
  else
    rm -f "$PID_FILE"
    do_install
    t0=$(now_ms)
    launch_node "$PID_FILE" "$ES_DIR" "$ES_PORT" "$ES_TRANSPORT_PORT"
    pid="$(node_pid)" || {
      tail -n 40 "$LOG_FILE" 2>/dev/null || true
      die "the java process exited right away (log: $LOG_FILE)"
    }
  fi
  while (($(now_ms) - t0 < ES_START_TIMEOUT * 1000)); do
    if healthy "$ES_URL"; then
      say "ready at $ES_URL in $(elapsed "$t0") (pid $pid)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "--- last 40 lines of $LOG_FILE ---" >&2
      tail -n 40 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      die "the node exited during startup"
    fi
    sleep 0.25
  done
  echo "--- last 40 lines of $LOG_FILE ---" >&2
  tail -n 40 "$LOG_FILE" >&2 || true
  terminate "$pid" 10
  rm -f "$PID_FILE"
  die "not healthy at $ES_URL after ${ES_START_TIMEOUT}s; stopped pid $pid"
}

do_stop() {
  take_lock "$LOCK_FILE"
  local pid
  if pid="$(node_pid)"; then
    local t0
    t0=$(now_ms)
    terminate "$pid" "$ES_STOP_TIMEOUT"
    rm -f "$PID_FILE"
    say "stopped (pid $pid) in $(elapsed "$t0")"
  else
    if [[ -f "$PID_FILE" ]]; then
      rm -f "$PID_FILE"
      say "removed stale pid file"
    fi
    if es_answers "$ES_URL"; then
      say "not started by this script; leaving the node at $ES_URL alone"
    else
      say "not running"
    fi
  fi
}

do_status() {
  local pid
  if pid="$(node_pid)"; then
    if es_answers "$ES_URL"; then
      say "running at $ES_URL (pid $pid, started by scripts/es.sh)"
    else
      say "started by scripts/es.sh (pid $pid, http port $(pid_port "$pid")) but nothing answers at $ES_URL (yet)"
    fi
    return 0
  fi
  if es_answers "$ES_URL"; then
    say "running at $ES_URL (not started by scripts/es.sh)"
    return 0
  fi
  say "not running at $ES_URL"
  return 3
}

usage() {
  sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  install)
    need java javac
    take_lock "$LOCK_FILE"
    if is_installed; then say "already installed (${ES_DIR#"$ROOT"/})"; else do_install; fi
    ;;
  start) do_start ;;
  stop) do_stop ;;
  restart) do_stop; do_start ;;
  status) do_status ;;
  logs) tail -n "${2:-100}" "$LOG_FILE" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
