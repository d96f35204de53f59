#!/usr/bin/env bash
# Start Slipway on a safe default from a fresh clone: build, then the interactive
# installer in dry-run mode against this machine's disks (nothing is written).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh >&2
node build/bundle.mjs --no-sea >/dev/null
exec node dist/slipway.js "$@"
