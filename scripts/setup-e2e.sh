#!/usr/bin/env bash
# Prepare this machine for the end-to-end tests against real components:
#   - Debian packages: zfs-fuse, podman, runc, debootstrap, OpenSSH (installed only when missing)
#   - the zfs-fuse daemon (started only when not running; recorded in .e2e/zfs-fuse.started
#     so that scripts/teardown-e2e.sh stops only what this script started)
#   - podman configured for this machine in /etc/containers/containers.conf (runc, ulimits,
#     cgroupfs without systemd), merged into whatever is there
#   - a local Debian minbase image, localhost/slipway-test/debian:bookworm, built with
#     debootstrap from the machine's configured Debian mirror (no registry is reachable)
# Root only. Idempotent and quiet: prints only when something fails.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
STATE="$ROOT/.e2e"
IMAGE=localhost/slipway-test/debian:bookworm
mkdir -p "$STATE"
LOG="$STATE/setup.log"
: >"$LOG"

fail() {
  echo "setup-e2e: $*" >&2
  if [ -s "$LOG" ]; then
    echo "--- last lines of $LOG ---" >&2
    tail -n 30 "$LOG" >&2
  fi
  exit 1
}

# Run quietly; show the log only when the command fails.
quiet() {
  if ! "$@" >>"$LOG" 2>&1; then
    fail "command failed: $*"
  fi
}

[ "$(id -u)" -eq 0 ] || fail "must run as root (the e2e tests create pools, loop devices and containers)"

# --- packages -----------------------------------------------------------------
need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_cmd zfs-fuse || [ -x /usr/sbin/zfs-fuse ] || need+=(zfs-fuse)
have_cmd podman || need+=(podman)
have_cmd runc || need+=(runc)
have_cmd debootstrap || [ -x /usr/sbin/debootstrap ] || need+=(debootstrap)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
have_cmd ssh || need+=(openssh-client)
# podman's helpers for this machine: slirp4netns for rootless/pasta-less networking,
# uidmap for user namespaces, fuse-overlayfs when the kernel overlay is unusable.
have_cmd slirp4netns || need+=(slirp4netns)
have_cmd newuidmap || need+=(uidmap)
have_cmd fuse-overlayfs || need+=(fuse-overlayfs)
have_cmd losetup || need+=(mount)
have_cmd mkfs.ext4 || need+=(e2fsprogs)

if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  quiet apt-get -o DPkg::Lock::Timeout=600 update
  quiet apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}"
fi
export PATH="$PATH:/usr/sbin:/sbin"

# --- zfs-fuse daemon ----------------------------------------------------------
zfs_ready() { zpool list -H -o name >/dev/null 2>&1; }
if ! pgrep -x zfs-fuse >/dev/null 2>&1; then
  mkdir -p /var/run/zfs /var/lock/zfs
  quiet zfs-fuse --pidfile "$STATE/zfs-fuse.pid"
  cp "$STATE/zfs-fuse.pid" "$STATE/zfs-fuse.started"
fi
for _ in $(seq 1 100); do
  zfs_ready && break
  sleep 0.1
done
zfs_ready || fail "the zfs-fuse daemon does not answer (zpool list fails)"

# --- podman configuration -----------------------------------------------------
CONF=/etc/containers/containers.conf
mkdir -p /etc/containers
[ -f "$CONF" ] || : >"$CONF"
# set_key SECTION KEY VALUE: replace KEY in [SECTION], or add it (and the section).
set_key() {
  local section=$1 key=$2 value=$3 tmp
  tmp=$(mktemp)
  awk -v section="[$section]" -v key="$key" -v value="$value" '
    function emit() { print key " = " value; done = 1 }
    /^[[:space:]]*\[/ {
      if (insec && !done) emit()
      insec = ($0 ~ "^[[:space:]]*\\[" substr(section, 2, length(section) - 2) "\\][[:space:]]*$")
      if (insec) seen = 1
      print; next
    }
    insec && $0 ~ "^[[:space:]]*#?[[:space:]]*" key "[[:space:]]*=" {
      if ($0 ~ "^[[:space:]]*#") { print; next }
      if (!done) emit()
      next
    }
    { print }
    END {
      if (insec && !done) emit()
      else if (!seen) { print ""; print section; emit() }
    }
  ' "$CONF" >"$tmp"
  if ! cmp -s "$tmp" "$CONF"; then cat "$tmp" >"$CONF"; fi
  rm -f "$tmp"
}
set_key engine runtime '"runc"'
set_key containers default_ulimits '["nofile=1024:1024", "nproc=1024:1024"]'
if [ ! -d /run/systemd/system ]; then
  # No systemd here: cgroups are managed directly and events go to a file.
  set_key engine cgroup_manager '"cgroupfs"'
  set_key engine events_logger '"file"'
fi

# --- the local Debian image ---------------------------------------------------
mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '/^deb[[:space:]]/ && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}
if ! podman image exists "$IMAGE" >/dev/null 2>&1; then
  ROOTFS="$STATE/rootfs"
  rm -rf "$ROOTFS"
  mkdir -p "$ROOTFS"
  quiet debootstrap --variant=minbase bookworm "$ROOTFS" "$(mirror)"
  # The image is imported from a tar of the tree; the tree itself is not kept.
  if ! tar -C "$ROOTFS" -c . 2>>"$LOG" | podman import --change 'CMD ["sleep","infinity"]' - "$IMAGE" >>"$LOG" 2>&1; then
    fail "podman import of the debootstrap tree failed"
  fi
  rm -rf "$ROOTFS"
fi
quiet podman run --rm "$IMAGE" true
