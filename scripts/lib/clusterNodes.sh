# Shared by the cluster scripts (rabbitmq-cluster.sh, es-cluster.sh): their commands, checking a
# node's port, SIGKILLing a node. Source it after defining PORTS (the nodes' ports), say, die,
# node_pid PORT, node_name PORT, DATA_DIR (everything the cluster writes), USAGE_LINES (the
# header lines that document the script), and do_start, do_stop, do_status, do_restart PORT;
# do not run it.

check_port() {
  local p
  for p in "${PORTS[@]}"; do [[ "$1" == "$p" ]] && return 0; done
  die "no node on port '$1' (one of ${PORTS[*]})"
}

# kill_node PORT: SIGKILL that node (a crash, for fault tests); `restart PORT` brings it back.
kill_node() {
  check_port "$1"
  local pid
  if pid="$(node_pid "$1")"; then
    kill -KILL "$pid"
    say "killed $(node_name "$1") (pid $pid)"
  else
    say "$(node_name "$1") not running"
  fi
}

# signal_node SIGNAL VERB PORT: STOP freezes a node (a hung, half-open peer: its sockets stay open),
# CONT lets it go on.
signal_node() {
  check_port "$3"
  local pid
  pid="$(node_pid "$3")" || die "$(node_name "$3") not running"
  kill "-$1" "$pid"
  say "$2 $(node_name "$3") (pid $pid)"
}

# cluster_command ARGS…: start|stop|status|kill PORT|pause PORT|resume PORT|restart PORT|reset, else the usage (exit 2).
cluster_command() {
  case "${1:-}" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    kill) kill_node "${2:-}" ;;
    pause) signal_node STOP paused "${2:-}" ;;
    resume) signal_node CONT resumed "${2:-}" ;;
    restart) check_port "${2:-}"; do_restart "$2" ;;
    reset) do_stop; rm -rf "$DATA_DIR" "$DATA_DIR.lock"; say "removed ${DATA_DIR#"$ROOT"/}" ;;
    *) sed -n "$USAGE_LINES" "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}
