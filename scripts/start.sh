#!/usr/bin/env bash
# npm start: install what is missing, build, bring up local infrastructure that is not running,
# declare the broker topology, then run identity provider, api, relay and projector in the
# foreground. Ctrl-C stops everything this script started.
#
# `--cluster` (npm run start:cluster): the cluster topology instead — Redis Cluster, three
# RabbitMQ nodes, three Elasticsearch nodes — with two relays and two projectors sharing the
# partitions; the api on $PORT (3000) and the identity provider on $IDP_PORT (4000) as before.
set -euo pipefail
CLUSTER=0
[[ "${1:-}" == "--cluster" ]] && CLUSTER=1
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

PIDS=()
INTERRUPTED=0
alive() { local pid; for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done; return 1; }
cleanup() {
  trap - INT TERM EXIT
  if ((${#PIDS[@]})); then
    step "stopping"
    # Ctrl-C reaches every process of the terminal's group at once, and to each a second signal
    # means "exit now": give them up to 5 s to stop cleanly before a TERM for whatever remains.
    if ((INTERRUPTED)); then
      for _ in {1..50}; do alive || break; sleep 0.1; done
    fi
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
  stop_infrastructure
}
trap cleanup EXIT
trap 'INTERRUPTED=1; exit 130' INT
trap 'exit 143' TERM

t0=$SECONDS
ensure_installed
ensure_built
if ((CLUSTER)); then start_cluster_infrastructure; else start_infrastructure; fi
step "broker topology"
node "$ROOT/packages/projector/dist/topologyMain.js"

# run NAME SCRIPT: one process in the background, its output prefixed with its name.
run() {
  node "$ROOT/$2" > >(trap '' INT TERM; sed -u "s/^/[$1] /") 2>&1 &
  PIDS+=("$!")
}
step "processes"
run idp packages/idp/dist/main.js
run api packages/api/dist/main.js
if ((CLUSTER)); then
  RELAY_CONSUMER=relay-1 RELAY_METRICS_PORT=9466 run relay-1 packages/projector/dist/relayMain.js
  RELAY_CONSUMER=relay-2 RELAY_METRICS_PORT=9467 run relay-2 packages/projector/dist/relayMain.js
  PROJECTOR_METRICS_PORT=9464 run projector-1 packages/projector/dist/projectorMain.js
  PROJECTOR_METRICS_PORT=9465 run projector-2 packages/projector/dist/projectorMain.js
else
  run relay packages/projector/dist/relayMain.js
  run projector packages/projector/dist/projectorMain.js
fi

port="${PORT:-3000}"
until curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; do
  for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "a process exited during start-up" >&2; exit 1; }; done
  sleep 0.2
done
step "planledger is up in $((SECONDS - t0))s: api http://127.0.0.1:$port, identity provider http://127.0.0.1:${IDP_PORT:-4000} (Ctrl-C stops)"

# Stop everything as soon as any process ends.
wait -n "${PIDS[@]}" || true
echo "a process exited; stopping the rest" >&2
exit 1
