# Shared by start.sh and test.sh: install what is missing, build, bring up the local services that
# are not running, and stop on exit only what was started here. Source it; do not run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STARTED_SERVICES=()

step() { printf '\n==> %s\n' "$*"; }

ensure_installed() {
  if [[ ! -f "$ROOT/node_modules/.package-lock.json" || "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]]; then
    step "installing npm packages (npm ci; first run only)"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}

# The packages (tsc -b) and the console (type-check, then the Vite build into packages/console/dist).
ensure_built() {
  step "building (tsc -b, console)"
  (cd "$ROOT" && npm run -s build)
}

# Tests and benches are type-checked too (strict), though tsx runs them without checking.
ensure_typechecked() {
  step "type-checking tests and benches"
  (cd "$ROOT" && npx tsc -p tsconfig.tests.json)
}

# start_service NAME: runs scripts/NAME.sh start unless it is already running, and remembers to stop it.
start_service() {
  local name="$1"
  if bash "$ROOT/scripts/$name.sh" status >/dev/null 2>&1; then
    echo "$name: already running (left alone on exit)"
    return 0
  fi
  STARTED_SERVICES+=("$name")
  bash "$ROOT/scripts/$name.sh" start
}

# The project's own Redis (AOF), unless REDIS_URL names another.
start_project_redis() {
  if [[ -z "${REDIS_URL:-}" ]]; then
    start_service redis
    export REDIS_URL="redis://127.0.0.1:${REDIS_PORT:-6380}"
  else
    echo "redis: using REDIS_URL (not started here)"
  fi
}

start_infrastructure() {
  step "local infrastructure"
  start_project_redis
  bash "$ROOT/scripts/rabbitmq.sh" check
  if [[ -z "${ES_URL:-}" || "${ES_URL%/}" == "http://127.0.0.1:${ES_PORT:-9200}" ]]; then
    start_service es
  else
    echo "elasticsearch: using ES_URL=$ES_URL (not started here)"
  fi
}

CLUSTER_SERVICES=(redis-cluster rabbitmq-cluster es-cluster)

# The cluster topology: a Redis Cluster (3 masters, 3 replicas), three RabbitMQ nodes and three
# Elasticsearch nodes, all project-owned, beside the single-node services; then the processes'
# settings for them (scripts/lib/cluster-env.sh).
start_cluster_infrastructure() {
  step "cluster infrastructure"
  local name
  for name in "${CLUSTER_SERVICES[@]}"; do start_service "$name" || return 1; done
  source "$ROOT/scripts/lib/cluster-env.sh"
}

# What every command that runs the stack needs first: packages, a build, the local services.
prepare_stack() {
  ensure_installed
  ensure_built
  start_infrastructure
}

stop_infrastructure() {
  local i
  for (( i=${#STARTED_SERVICES[@]}-1; i>=0; i-- )); do
    bash "$ROOT/scripts/${STARTED_SERVICES[$i]}.sh" stop || true
  done
  STARTED_SERVICES=()
}
