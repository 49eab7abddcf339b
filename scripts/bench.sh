#!/usr/bin/env bash
# npm run bench: the same preparation as npm test, then the benchmarks in bench/, which print
# figures (requests per second, latency percentiles, projection lag). Nothing is asserted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
trap stop_infrastructure EXIT
prepare_stack
benches=("$@")
(( ${#benches[@]} )) || benches=(ratioBench)
for bench in "${benches[@]}"; do
  step "bench: $bench"
  (cd "$ROOT" && node --import tsx "bench/$bench.ts")
done
