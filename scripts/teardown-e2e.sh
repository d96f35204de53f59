#!/usr/bin/env bash
# Undo what scripts/setup-e2e.sh started: stop the zfs-fuse daemon only if setup
# started it (recorded in .e2e/zfs-fuse.started) and no pool is left in it.
# Packages, the podman configuration and the cached image stay (they are reused).
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=.e2e
if [ -f "$STATE/zfs-fuse.started" ]; then
  pid=$(cat "$STATE/zfs-fuse.started")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    if [ -n "$(zpool list -H -o name 2>/dev/null)" ]; then
      echo "teardown-e2e: pools still exist; leaving the zfs-fuse daemon (pid $pid) running" >&2
      exit 0
    fi
    kill -TERM "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$STATE/zfs-fuse.started" "$STATE/zfs-fuse.pid"
fi
