# Shared by es.sh (one node) and es-cluster.sh (three): installing the Maven Central jars and the
# launcher (docker/elasticsearch-local/), launching a node detached, finding our own node's pid,
# health checks, stopping. Source it after setting ROOT; do not run it.
#
# ES_INSTALL_DIR  where the jars, compiled launcher and log4j config live
#                 (default <repo>/.data/elasticsearch; one copy serves every node)

SRC_DIR="$ROOT/docker/elasticsearch-local"
ES_DIR="${ES_INSTALL_DIR:-$ROOT/.data/elasticsearch}"
LIB_DIR="$ES_DIR/lib"
CLASSES_DIR="$ES_DIR/classes"
LAUNCHER_CLASS="PlanledgerElasticsearch"
LAUNCHER_SRC="$SRC_DIR/src/$LAUNCHER_CLASS.java"
POM="$SRC_DIR/pom.xml"
LOG4J_CONF="$SRC_DIR/config/log4j2.properties"
ES_HEAP="${ES_HEAP:-512m}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ES_STOP_TIMEOUT="${ES_STOP_TIMEOUT:-30}"

say() { echo "$ES_SAY: $*"; }
die() { echo "$ES_SAY: $*" >&2; exit 1; }

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

need() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' not found on PATH (needs Java 17 JDK, Maven, curl)"
  done
}

# One script at a time per lock file (parallel `start`s must not launch two nodes).
# fd 9 is closed for the java child, so the lock is released when the script exits.
take_lock() {
  mkdir -p "$(dirname "$1")"
  exec 9>"$1"
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

# True when an Elasticsearch node (any, not only ours) answers at URL $1.
es_answers() {
  local headers
  headers="$(curl -s -m 3 -o /dev/null -D - "$1/" 2>/dev/null || true)"
  grep -qi '^x-elastic-product: *Elasticsearch' <<<"$headers"
}

# HTTP status of $1/ ("000" when nothing listens).
http_code() {
  curl -s -m 3 -o /dev/null -w '%{http_code}' "$1/" 2>/dev/null || true
}

# Pid from pid file $1 when it is a live java process running our launcher with the JVM option $2
# (the option that names this node: its home for es.sh, its data directory for a cluster node).
our_pid() {
  [[ -f "$1" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmdline" == *java* && "$cmdline" == *" $LAUNCHER_CLASS"* && "$cmdline" == *"$2 "* ]] || return 1
  echo "$pid"
}

# HTTP port that the running node with pid $1 was started with.
pid_port() {
  tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | sed -n 's/^-Dplanledger\.es\.http\.port=//p' | head -n 1
}

# True when the cluster at URL $1 is at least as healthy as $2 (yellow or green).
healthy() {
  local code
  code="$(curl -s -m 5 -o /dev/null -w '%{http_code}' \
    "$1/_cluster/health?wait_for_status=${2:-yellow}&timeout=1s" 2>/dev/null || true)"
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

# launch_node PID_FILE NODE_DIR HTTP_PORT TRANSPORT_PORT [JVM options…] [-- node settings key=value…]
# Starts a node detached with its data, logs and tmp under NODE_DIR (logs/stdout.log), and waits
# for its pid file.
launch_node() {
  local pid_file="$1" node_dir="$2" http_port="$3" transport_port="$4"
  shift 4
  local -a extra_jvm=() settings=()
  while (($# > 0)) && [[ "$1" != "--" ]]; do extra_jvm+=("$1"); shift; done
  if (($# > 0)); then shift; settings=("$@"); fi
  local log_file="$node_dir/logs/stdout.log"
  mkdir -p "$node_dir/logs" "$node_dir/data" "$node_dir/tmp"
  if [[ -f "$log_file" ]]; then mv -f "$log_file" "$log_file.1"; fi
  local -a jvm=(
    "-Xms$ES_HEAP" "-Xmx$ES_HEAP" -Xss1m
    -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+ExitOnOutOfMemoryError
    -Dfile.encoding=UTF-8 -Djava.awt.headless=true -Djna.nosys=true
    "-Djava.io.tmpdir=$node_dir/tmp"
    -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true
    -Dio.netty.recycler.maxCapacityPerThread=0
    -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Dlog4j2.formatMsgNoLookups=true
    "-Dplanledger.es.home=$ES_DIR"
    "-Dplanledger.es.http.port=$http_port"
    "-Dplanledger.es.transport.port=$transport_port"
    "${extra_jvm[@]}"
  )
  if [[ -n "${ES_JAVA_OPTS:-}" ]]; then
    local -a opts
    read -r -a opts <<<"$ES_JAVA_OPTS"
    jvm+=("${opts[@]}")
  fi
  rm -f "$pid_file"
  # setsid: own session, so a Ctrl-C in the calling terminal does not reach the node.
  # The inner bash writes its pid and execs java, so the pid file names the java process.
  # shellcheck disable=SC2016
  nohup setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' es-launch "$pid_file" \
    java "${jvm[@]}" -cp "$CLASSES_DIR:$LIB_DIR/*" "$LAUNCHER_CLASS" "${settings[@]}" \
    </dev/null >"$log_file" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pid_file" ]] && break
    sleep 0.1
  done
}
