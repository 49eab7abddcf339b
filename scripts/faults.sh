#!/usr/bin/env bash
# npm run test:faults: the fault table (issue 12). The same preparation as npm test (packages,
# build, local services), then the three cluster scripts (Redis Cluster, RabbitMQ cluster,
# Elasticsearch cluster) started if they are not running — and stopped afterwards if started
# here — and every row of packages/api/test/faultTable run against the cluster topology under a
# steady write load. Prints one markdown table (also written to .data/test-output/fault-table.md);
# exits non-zero when a row lost an acknowledged write, ended with a projection unequal to the log,
# or failed.
#
#   FAULT_TOPOLOGY=single   run on today's single-node services instead (rows needing a cluster are not run)
#   arguments               passed to the runner: --rows 1,2,… --ops N (default every row, 1000 operations)
#   FAULT_ES_OUTAGE_MS, FAULT_SOAK_MS   row 7's outage (120000) and row 12's soak (600000)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
trap stop_infrastructure EXIT
prepare_stack

if [[ "${FAULT_TOPOLOGY:-cluster}" != "single" ]]; then
  step "cluster topology"
  for name in redis-cluster rabbitmq-cluster es-cluster; do
    [[ -f "$ROOT/scripts/$name.sh" ]] || { echo "faults: scripts/$name.sh is missing (FAULT_TOPOLOGY=single runs on single nodes)" >&2; exit 1; }
    start_service "$name"
  done
  export REDIS_CLUSTER_NODES="${REDIS_CLUSTER_NODES:-127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003}"
  export AMQP_URLS="${AMQP_URLS:-amqp://guest:guest@127.0.0.1:5701,amqp://guest:guest@127.0.0.1:5702,amqp://guest:guest@127.0.0.1:5703}"
  export ES_NODES="${ES_NODES:-http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203}"
  export ES_REPLICAS="${ES_REPLICAS:-1}"
fi

step "fault table"
(cd "$ROOT" && node --import tsx packages/api/test/faultTable/runFaultTable.ts "$@")
