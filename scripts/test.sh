#!/usr/bin/env bash
# npm test: install what is missing, build, bring up local infrastructure that is not running,
# run every test kind (unit, integration, end-to-end, browser) against the real services, stop what
# was started. Prints a last line "N passed, N failed" summed over all kinds.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
trap stop_infrastructure EXIT

set -e
ensure_installed
ensure_built
ensure_typechecked
step "browser for the console's tests"
bash "$ROOT/scripts/chromium.sh"
start_infrastructure
set +e

SUMMARY="$(mktemp)"
status=0
for kind in unit int e2e browser; do
  step "tests: $kind"
  (cd "$ROOT" && npx ava --config "ava.$kind.config.js" --tap "$@") | tee -a "$SUMMARY" || status=1
done
passed=$(grep -c '^ok ' "$SUMMARY")
failed=$(grep -c '^not ok ' "$SUMMARY")
rm -f "$SUMMARY"
echo
echo "$passed passed, $failed failed"
exit $(( status || failed > 0 ))
