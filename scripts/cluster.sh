#!/usr/bin/env bash
# The cluster topology's services together: scripts/redis-cluster.sh, rabbitmq-cluster.sh and
# es-cluster.sh. `env` prints the settings that point planledger's processes at them.
#
# Usage: scripts/cluster.sh start|stop|status|env
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
services=(redis-cluster rabbitmq-cluster es-cluster)

case "${1:-}" in
  start) for name in "${services[@]}"; do bash "$here/$name.sh" start; done ;;
  stop) for (( i=${#services[@]}-1; i>=0; i-- )); do bash "$here/${services[$i]}.sh" stop || true; done ;;
  status)
    status=0
    for name in "${services[@]}"; do bash "$here/$name.sh" status || status=1; done
    exit "$status"
    ;;
  env)
    source "$here/lib/cluster-env.sh"
    for name in REDIS_CLUSTER_NODES AMQP_URLS AMQP_URL AMQP_QUORUM_GROUP_SIZE ES_NODES ES_URL ES_REPLICAS; do
      printf 'export %s=%q\n' "$name" "${!name}"
    done
    ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
