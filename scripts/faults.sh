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
  start_cluster_infrastructure
fi

step "fault table"
(cd "$ROOT" && node --import tsx packages/api/test/faultTable/runFaultTable.ts "$@")
