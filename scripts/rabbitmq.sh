#!/usr/bin/env bash
# RabbitMQ is expected to run already (it does on these machines); this only checks, with a
# timeout, and says what to start when it is not there.
#
# Usage: scripts/rabbitmq.sh check
# Environment: AMQP_URL (default amqp://guest:guest@127.0.0.1:5672), RABBITMQ_WAIT (seconds, default 15)
set -euo pipefail

AMQP_URL="${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}"
WAIT="${RABBITMQ_WAIT:-15}"
hostport="${AMQP_URL#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
host="${hostport%%:*}"; port="${hostport##*:}"; [[ "$port" == "$hostport" ]] && port=5672

reachable() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

started=$SECONDS
until reachable; do
  if (( SECONDS - started >= WAIT )); then
    echo "rabbitmq: nothing answers at $host:$port (AMQP_URL=${AMQP_URL%%@*}@…)." >&2
    echo "rabbitmq: start RabbitMQ 3.10+ (e.g. 'rabbitmq-server -detached', or the 'rabbitmq' service of docker/compose.yaml) or set AMQP_URL." >&2
    exit 1
  fi
  sleep 0.5
done
echo "rabbitmq: reachable at $host:$port"
