#!/usr/bin/env bash
# The whole test suite from a fresh clone: dependencies, static checks, the build,
# unit and screen tests, then the end-to-end tests against real components
# (zfs-fuse, podman, OpenSSH, a pseudo-terminal), which scripts/setup-e2e.sh
# installs and starts. The e2e files run one at a time: they share the zfs-fuse
# daemon, loop devices and podman, and the machine has two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "== typecheck"; npx tsc --noEmit
echo "== lint";      npx eslint . && npx prettier --check . >/dev/null
echo "== build";     node build/bundle.mjs
results=$(mktemp -d)
status=0
echo "== unit and screen tests"
npx vitest run test/unit test/screens --reporter=default --reporter=json --outputFile="$results/unit.json" || status=1
echo "== e2e setup"; bash scripts/setup-e2e.sh; trap 'bash scripts/teardown-e2e.sh' EXIT
echo "== end-to-end tests"
npx vitest run test/e2e --no-file-parallelism --reporter=default --reporter=json --outputFile="$results/e2e.json" || status=1
node scripts/summarize-tests.mjs "$results"/unit.json "$results"/e2e.json || status=1
exit $status
