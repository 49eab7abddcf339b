#!/usr/bin/env bash
# npm run fuzz: install what is missing, build, bring up local infrastructure that is not running,
# run the generative HTTP fuzz (packages/api/test/fuzz) against the real stack, stop what was
# started. FUZZ_RUNS (default 100000), FUZZ_SEED (default: time), FUZZ_CONCURRENCY (default 24).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
trap stop_infrastructure EXIT

set -e
prepare_stack
set +e

step "fuzz"
(cd "$ROOT" && node --import=tsx packages/api/test/fuzz/fuzzMain.ts "$@")
