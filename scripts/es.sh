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
#   ES_HEAP            JVM heap, -Xms and -Xmx (default 512m)
#   ES_JAVA_OPTS       extra JVM options
#   ES_START_TIMEOUT   seconds to wait for health on start (default 120)
#   ES_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL on stop (default 30)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC_DIR="$ROOT/docker/elasticsearch-local"
ES_DIR="$ROOT/.data/elasticsearch"
LIB_DIR="$ES_DIR/lib"
CLASSES_DIR="$ES_DIR/classes"
PID_FILE="$ES_DIR/es.pid"
LOCK_FILE="$ES_DIR/.lock"
LOG_DIR="$ES_DIR/logs"
LOG_FILE="$LOG_DIR/stdout.log"
LAUNCHER_CLASS="PlanledgerElasticsearch"
LAUNCHER_SRC="$SRC_DIR/src/$LAUNCHER_CLASS.java"
POM="$SRC_DIR/pom.xml"
LOG4J_CONF="$SRC_DIR/config/log4j2.properties"

if [[ -z "${ES_PORT:-}" && -n "${ES_URL:-}" && "$ES_URL" =~ :([0-9]+)/*$ ]]; then
  ES_PORT="${BASH_REMATCH[1]}"
fi
ES_PORT="${ES_PORT:-9200}"
ES_URL="${ES_URL:-http://127.0.0.1:$ES_PORT}"
ES_URL="${ES_URL%/}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300}"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ES_STOP_TIMEOUT="${ES_STOP_TIMEOUT:-30}"

say() { echo "elasticsearch: $*"; }

now_ms() {
  if [[ -n "${EPOCHREALTIME:-}" ]]; then
    local t="${EPOCHREALTIME/[.,]/}"
    echo $((10#$t / 1000))
  else
    echo $(($(date +%s) * 1000))
  fi
}
# Seconds since $1 (from now_ms), one decimal.
elapsed() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100))
}
die() { echo "elasticsearch: $*" >&2; exit 1; }

need() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found on PATH (needs Java 17 JDK, Maven, curl)"
  done
}

# One es.sh at a time per checkout (parallel `start`s must not launch two nodes).
# fd 9 is closed for the java child, so the lock is released when this script exits.
take_lock() {
  mkdir -p "$ES_DIR"
  exec 9>"$LOCK_FILE"
  flock 9
}

hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }
# Jars depend on the pom only; the compiled launcher and config on the sources, the JDK and the jars.
lib_hash() { hash_of "$POM"; }
classes_hash() { { cat "$LAUNCHER_SRC" "$LOG4J_CONF"; javac -version 2>&1; lib_hash; } | hash_of; }

lib_ok() {
  [[ -f "$LIB_DIR/.stamp" && -f "$LIB_DIR/elasticsearch-7.17.29.jar" &&
    "$(cat "$LIB_DIR/.stamp")" == "$(lib_hash)" ]]
}
classes_ok() {
  [[ -f "$CLASSES_DIR/.stamp" && -f "$CLASSES_DIR/$LAUNCHER_CLASS.class" &&
    -f "$ES_DIR/config/log4j2.properties" && "$(cat "$CLASSES_DIR/.stamp")" == "$(classes_hash)" ]]
}
is_installed() { lib_ok && classes_ok; }

do_install() {
  need java javac
  if is_installed; then
    return 0
  fi
  local t0=$SECONDS tmp_lib="$ES_DIR/lib.tmp" tmp_classes="$ES_DIR/classes.tmp"
  mkdir -p "$ES_DIR"
  if ! lib_ok; then
    need mvn
    say "fetching jars from Maven (first run only)…"
    rm -rf "$tmp_lib"
    if ! mvn -B -q -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp_lib" >"$ES_DIR/mvn.log" 2>&1; then
      cat "$ES_DIR/mvn.log" >&2
      die "mvn dependency:copy-dependencies failed (is Maven Central reachable?)"
    fi
    lib_hash >"$tmp_lib/.stamp"
    rm -rf "$LIB_DIR"
    mv "$tmp_lib" "$LIB_DIR"
  fi
  say "compiling the launcher…"
  rm -rf "$tmp_classes"
  mkdir -p "$tmp_classes" "$ES_DIR/config"
  javac -nowarn -encoding UTF-8 -d "$tmp_classes" -cp "$LIB_DIR/*" "$LAUNCHER_SRC"
  cp "$LOG4J_CONF" "$ES_DIR/config/log4j2.properties"
  classes_hash >"$tmp_classes/.stamp"
  rm -rf "$CLASSES_DIR"
  mv "$tmp_classes" "$CLASSES_DIR"
  say "installed into ${ES_DIR#"$ROOT"/} in $((SECONDS - t0))s"
}

# True when an Elasticsearch node (any, not only ours) answers on ES_URL.
es_answers() {
  local headers
  headers="$(curl -s -m 3 -o /dev/null -D - "$ES_URL/" 2>/dev/null || true)"
  grep -qi '^x-elastic-product: *Elasticsearch' <<<"$headers"
}

# HTTP status of ES_URL/ ("000" when nothing listens).
http_code() {
  curl -s -m 3 -o /dev/null -w '%{http_code}' "$ES_URL/" 2>/dev/null || true
}

# Pid from the pid file when it is a live java process running our launcher for this checkout.
our_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *java* && "$cmdline" == *" $LAUNCHER_CLASS"* && "$cmdline" == *"-Dplanledger.es.home=$ES_DIR "* ]] || return 1
  echo "$pid"
}

# HTTP port that the running node with pid $1 was started with.
pid_port() {
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | sed -n 's/^-Dplanledger\.es\.http\.port=//p' | head -n 1
}

healthy() {
  local code
  code="$(curl -s -m 5 -o /dev/null -w '%{http_code}' \
    "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null || true)"
  [[ "$code" == 200 ]]
}

# SIGTERM, wait up to $2 seconds, then SIGKILL.
terminate() {
  local pid="$1" wait_s="$2" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < wait_s * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "pid $pid still alive after ${wait_s}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}

launch() {
  mkdir -p "$LOG_DIR" "$ES_DIR/data" "$ES_DIR/tmp"
  if [[ -f "$LOG_FILE" ]]; then mv -f "$LOG_FILE" "$LOG_FILE.1"; fi
  local -a jvm=(
    "-Xms$ES_HEAP" "-Xmx$ES_HEAP" -Xss1m
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError
    -Dfile.encoding=UTF-8 -Djava.awt.headless=true -Djna.nosys=true
    "-Djava.io.tmpdir=$ES_DIR/tmp"
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true
    -Dio.netty.recycler.maxCapacityPerThread=0
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true
    "-Dplanledger.es.home=$ES_DIR"
    "-Dplanledger.es.http.port=$ES_PORT"
    "-Dplanledger.es.transport.port=$ES_TRANSPORT_PORT"
  )
  if [[ -n "${ES_JAVA_OPTS:-}" ]]; then
    local -a extra
    read -r -a extra <<<"$ES_JAVA_OPTS"
    jvm+=("${extra[@]}")
  fi
  # setsid: own session, so a Ctrl-C in the calling terminal does not reach the node.
  # The inner bash writes its pid and execs java, so the pid file names the java process.
  # shellcheck disable=SC2016
  nohup setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' es-launch "$PID_FILE" \
    java "${jvm[@]}" -cp "$CLASSES_DIR:$LIB_DIR/*" "$LAUNCHER_CLASS" \
    </dev/null >"$LOG_FILE" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
}

do_start() {
  need java curl
  if es_answers; then
    say "already running at $ES_URL"
    return 0
  fi
  local code
  code="$(http_code)"
  if [[ "$code" != 000 ]]; then
    die "$ES_URL answers (HTTP $code) but is not Elasticsearch; set ES_PORT to a free port"
  fi
  take_lock
  if es_answers; then # another es.sh started it while we waited for the lock
    say "already running at $ES_URL"
    return 0
  fi
  local t0 pid
  t0=$(now_ms)
  if pid="$(our_pid)"; then
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
    launch
    pid="$(our_pid)" || {
      tail -n 40 "$LOG_FILE" 2>/dev/null || true
      die "the java process exited right away (log: $LOG_FILE)"
    }
  fi
  while (($(now_ms) - t0 < ES_START_TIMEOUT * 1000)); do
    if healthy; then
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
  take_lock
  local pid
  if pid="$(our_pid)"; then
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
    if es_answers; then
      say "not started by this script; leaving the node at $ES_URL alone"
    else
      say "not running"
    fi
  fi
}

do_status() {
  local pid
  if pid="$(our_pid)"; then
    if es_answers; then
      say "running at $ES_URL (pid $pid, started by scripts/es.sh)"
    else
      say "started by scripts/es.sh (pid $pid, http port $(pid_port "$pid")) but nothing answers at $ES_URL (yet)"
    fi
    return 0
  fi
  if es_answers; then
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
    take_lock
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
