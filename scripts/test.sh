#!/usr/bin/env bash
# The whole test suite from a fresh clone: dependencies, static checks, unit and
# screen tests, the build, and the end-to-end tests against real components.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
echo "== typecheck";  npx tsc --noEmit
echo "== lint";       npx eslint . && npx prettier --check . >/dev/null
echo "== build";      node build/bundle.mjs
echo "== e2e setup"; bash scripts/setup-e2e.sh; trap 'bash scripts/teardown-e2e.sh' EXIT
echo "== tests";      npx vitest run
