#!/usr/bin/env bash
# npm test: install what is missing, build, bring up local infrastructure that is not running,
# run every test kind (unit, integration, end-to-end, browser) against the real services, stop what
# was started. Prints a last line "N passed, N failed" summed over all kinds. The last kind,
# cluster (*.cluster.test.ts: node failures, the fault table's fast rows), runs against the
# cluster topology, which is started for it and stopped after.
#
# `--cluster` (npm run test:cluster): the integration, end-to-end and cluster kinds, all against
# the cluster topology (Redis Cluster, three RabbitMQ nodes, three Elasticsearch nodes).
set -uo pipefail
CLUSTER=0
if [[ "${1:-}" == "--cluster" ]]; then CLUSTER=1; shift; fi
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
trap stop_infrastructure EXIT

set -e
ensure_installed
ensure_built
ensure_typechecked
if ((CLUSTER)); then
  # A few integration tests are about the api's client of one Redis node (a fault proxy in front
  # of it, write coalescing on one socket): they run against the project's own Redis, as in npm test.
  step "project Redis for the single-node client's tests"
  start_project_redis
  start_cluster_infrastructure
else
  step "browser for the console's tests"
  bash "$ROOT/scripts/chromium.sh"
  start_infrastructure
fi
set +e

SUMMARY="$(mktemp)"
status=0
run_kind() {
  step "tests: $1"
  (cd "$ROOT" && npx ava --config "ava.$1.config.js" --tap "${@:2}") | tee -a "$SUMMARY" || status=1
}
if ((CLUSTER)); then
  for kind in int e2e cluster; do run_kind "$kind" "$@"; done
else
  for kind in unit int e2e browser; do run_kind "$kind" "$@"; done
  # The single-node services stay up (the cluster's run beside them); the cluster's settings apply
  # to this kind only.
  if start_cluster_infrastructure; then
    run_kind cluster "$@"
  else
    echo "cluster infrastructure did not start" >&2
    echo "not ok - cluster infrastructure did not start" >> "$SUMMARY"
    status=1
  fi
fi
passed=$(grep -c '^ok ' "$SUMMARY")
failed=$(grep -c '^not ok ' "$SUMMARY")
rm -f "$SUMMARY"
echo
echo "$passed passed, $failed failed"
exit $(( status || failed > 0 ))
