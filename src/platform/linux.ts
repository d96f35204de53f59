/**
 * Linux command builders: package managers (apt, dnf, apk, or "whatever the
 * image has" inside a container whose distro is unknown at plan time), users
 * (shadow-utils `useradd`, or busybox `adduser` where useradd is missing),
 * container runtime arguments (podman/docker share these flags, reference §6.1),
 * and systemd-networkd files for the host.
 *
 * Every `sh -c` script here is fixed text; data arrives as positional arguments.
 */
import type { ContainerConfig, InterfaceConfig, UserConfig } from '../schema/index.js';

export type LinuxPackageManager = 'apt' | 'dnf' | 'apk';

/** `sh -c PKG_SCRIPT sh install|remove PKG…`: picks apt-get, dnf, microdnf or apk. */
export const LINUX_PKG_SCRIPT =
  'a=$1; shift; ' +
  'if command -v apt-get >/dev/null; then export DEBIAN_FRONTEND=noninteractive; ' +
  'if [ "$a" = install ]; then apt-get update -q && exec apt-get -y -q install "$@"; exit 1; fi; exec apt-get -y -q remove "$@"; ' +
  'elif command -v dnf >/dev/null; then exec dnf -y "$a" "$@"; ' +
  'elif command -v microdnf >/dev/null; then exec microdnf -y "$a" "$@"; ' +
  'elif command -v apk >/dev/null; then if [ "$a" = install ]; then exec apk add --no-cache "$@"; fi; exec apk del "$@"; fi; ' +
  'echo "no known package manager (apt-get, dnf, microdnf, apk) here" >&2; exit 1';

/**
 * Probe: `sh -c PKG_PROBE_SCRIPT sh installed|absent PKG…` exits 0 when every
 * package is installed (or, for `absent`, none is). dpkg-query, rpm or apk,
 * whichever the system has. `dpkg -s` would count a removed package whose
 * config files remain as installed, so the status text is checked.
 */
export const LINUX_PKG_PROBE_SCRIPT =
  'a=$1; shift; ' +
  'if command -v dpkg-query >/dev/null; then q() { dpkg-query -W -f="\\${Status}" "$1" 2>/dev/null | grep -q "install ok installed"; }; ' +
  'elif command -v rpm >/dev/null; then q() { rpm -q "$1" >/dev/null 2>&1; }; ' +
  'elif command -v apk >/dev/null; then q() { apk info -e "$1" >/dev/null 2>&1; }; ' +
  'else exit 1; fi; ' +
  'for p in "$@"; do if q "$p"; then [ "$a" = absent ] && exit 1; else [ "$a" = installed ] && exit 1; fi; done; exit 0';

export function linuxInstallArgv(pm: LinuxPackageManager | undefined, pkgs: string[]): string[] {
  switch (pm) {
    case 'apt':
      return [
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        '-y',
        '-q',
        '-o',
        'Dpkg::Options::=--force-confdef',
        '-o',
        'Dpkg::Options::=--force-confold',
        'install',
        ...pkgs,
      ];
    case 'dnf':
      return ['dnf', '-y', 'install', ...pkgs];
    case 'apk':
      return ['apk', 'add', '--no-cache', ...pkgs];
    case undefined:
      return ['sh', '-c', LINUX_PKG_SCRIPT, 'sh', 'install', ...pkgs];
  }
}

export function linuxRemoveArgv(pm: LinuxPackageManager | undefined, pkgs: string[]): string[] {
  switch (pm) {
    case 'apt':
      return ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-y', '-q', 'remove', ...pkgs];
    case 'dnf':
      return ['dnf', '-y', 'remove', ...pkgs];
    case 'apk':
      return ['apk', 'del', ...pkgs];
    case undefined:
      return ['sh', '-c', LINUX_PKG_SCRIPT, 'sh', 'remove', ...pkgs];
  }
}

export function linuxPackagesProbeArgv(state: 'installed' | 'absent', pkgs: string[]): string[] {
  return ['sh', '-c', LINUX_PKG_PROBE_SCRIPT, 'sh', state, ...pkgs];
}

/** `useradd` on a Linux host (shadow-utils, reference §7.3). */
export function linuxUseraddArgv(u: UserConfig, home: string | undefined): string[] {
  const a = ['useradd'];
  if (u.system_user) a.push('-r');
  if (u.uid !== undefined) a.push('-u', String(u.uid));
  if (u.primary_group) a.push('-g', u.primary_group);
  if (u.groups.length) a.push('-G', u.groups.join(','));
  if (u.description) a.push('-c', u.description);
  if (home) a.push('-d', home);
  a.push(u.create_home ? '-m' : '-M');
  if (u.shell) a.push('-s', u.shell);
  a.push(u.name);
  return a;
}

/**
 * Inside a container (or an lx zone) useradd may be missing (busybox, Alpine):
 * use it when present, else busybox `adduser -D` (no password) and `addgroup
 * USER GROUP` for each supplementary group. Positional arguments:
 * $1 name $2 uid $3 primary group $4 groups (comma separated) $5 comment
 * $6 home $7 create home (yes|no) $8 shell $9 system user (yes|no).
 */
export const CONTAINER_USERADD_SCRIPT =
  'set -f; name=$1; uid=$2; group=$3; groups=$4; comment=$5; home=$6; mkhome=$7; shell=$8; system=$9; set --; ' +
  'if command -v useradd >/dev/null; then ' +
  '[ "$system" = yes ] && set -- "$@" -r; [ -n "$uid" ] && set -- "$@" -u "$uid"; ' +
  '[ -n "$group" ] && set -- "$@" -g "$group"; [ -n "$groups" ] && set -- "$@" -G "$groups"; ' +
  '[ -n "$comment" ] && set -- "$@" -c "$comment"; [ -n "$home" ] && set -- "$@" -d "$home"; ' +
  'if [ "$mkhome" = yes ]; then set -- "$@" -m; else set -- "$@" -M; fi; ' +
  '[ -n "$shell" ] && set -- "$@" -s "$shell"; exec useradd "$@" "$name"; fi; ' +
  'set -- -D; [ "$system" = yes ] && set -- "$@" -S; [ -n "$uid" ] && set -- "$@" -u "$uid"; ' +
  '[ -n "$group" ] && set -- "$@" -G "$group"; [ -n "$comment" ] && set -- "$@" -g "$comment"; ' +
  '[ -n "$home" ] && set -- "$@" -h "$home"; [ "$mkhome" = yes ] || set -- "$@" -H; ' +
  '[ -n "$shell" ] && set -- "$@" -s "$shell"; adduser "$@" "$name" || exit 1; ' +
  'IFS=,; for g in $groups; do addgroup "$name" "$g" || exit 1; done; exit 0';

export function containerUseraddArgv(u: UserConfig, home: string | undefined): string[] {
  return [
    'sh',
    '-c',
    CONTAINER_USERADD_SCRIPT,
    'sh',
    u.name,
    u.uid !== undefined ? String(u.uid) : '',
    u.primary_group ?? '',
    u.groups.join(','),
    u.description ?? '',
    home ?? '',
    u.create_home ? 'yes' : 'no',
    u.shell ?? '',
    u.system_user ? 'yes' : 'no',
  ];
}

/** $1 group: groupadd when present, else busybox addgroup. */
export const CONTAINER_GROUPADD_SCRIPT =
  'if command -v groupadd >/dev/null; then exec groupadd "$1"; fi; exec addgroup "$1"';
/** Probe without getent (busybox images often lack it): exits 0 when group $1 exists. */
export const CONTAINER_GROUP_EXISTS_SCRIPT = 'cut -d: -f1 /etc/group | grep -qxF -e "$1"';

/**
 * In a container: link /etc/localtime when the zone file exists. Images often
 * ship without tzdata; then the step says so and changes nothing (UTC stays).
 * $1 time zone name (checked against a strict pattern at plan time).
 */
export const CONTAINER_TIMEZONE_SCRIPT =
  'z=/usr/share/zoneinfo/$1; if [ ! -e "$z" ]; then echo "no $z in this image (tzdata not installed): time zone left as is" >&2; exit 0; fi; ' +
  'ln -sf "$z" /etc/localtime && printf "%s\\n" "$1" > /etc/timezone';
/** Done when the zone file is missing (nothing to do) or /etc/localtime has its content. */
export const CONTAINER_TIMEZONE_PROBE =
  'z=/usr/share/zoneinfo/$1; [ ! -e "$z" ] || cmp -s "$z" /etc/localtime';

/**
 * A systemd-networkd `.network` file for one interface. Nameservers and search
 * domains go in it too (systemd-resolved picks them up), so /etc/resolv.conf,
 * often a symlink managed by resolved, is left alone.
 */
export function networkdFile(
  iface: InterfaceConfig,
  dns: { nameservers: string[]; search: string[] },
  routes: { destination: string; gateway: string; metric?: number | undefined }[],
): string {
  const lines = ['# Written by slipway', '[Match]'];
  if (iface.mac_address) lines.push(`MACAddress=${iface.mac_address}`);
  else lines.push(`Name=${iface.name}`);
  if (iface.mtu !== undefined) lines.push('', '[Link]', `MTUBytes=${iface.mtu}`);
  lines.push('', '[Network]');
  if (iface.description) lines.push(`Description=${iface.description}`);
  const dhcp4 = iface.addresses.some((a) => a.kind === 'dhcp4');
  const dhcp6 = iface.addresses.some((a) => a.kind === 'dhcp6');
  if (dhcp4 || dhcp6) lines.push(`DHCP=${dhcp4 && dhcp6 ? 'yes' : dhcp4 ? 'ipv4' : 'ipv6'}`);
  if (iface.addresses.some((a) => a.kind === 'addrconf' || a.kind === 'dhcp6'))
    lines.push('IPv6AcceptRA=yes');
  for (const a of iface.addresses)
    if (typeof a.kind === 'object') lines.push(`Address=${a.kind.static}`);
  if (iface.gateway) lines.push(`Gateway=${iface.gateway}`);
  for (const ns of dns.nameservers) lines.push(`DNS=${ns}`);
  if (dns.search.length) lines.push(`Domains=${dns.search.join(' ')}`);
  for (const r of routes) {
    lines.push('', '[Route]', `Destination=${r.destination}`, `Gateway=${r.gateway}`);
    if (r.metric !== undefined) lines.push(`Metric=${r.metric}`);
  }
  return lines.join('\n') + '\n';
}

// ── containers ────────────────────────────────────────────────────────────────

/** Environment variable names whose values are secrets. */
export const SECRET_NAME = /PASS(WORD|WD|PHRASE)?|SECRET|TOKEN|CREDENTIAL|PRIVATE|API_?KEY/i;

/** The password in a URL's user info (`scheme://user:pass@host`), if any. */
export function urlPassword(value: string): string | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/:@\s]*:([^@/\s]+)@/.exec(value);
  return m?.[1];
}

/** Secret values of an environment map: by name, and passwords inside URLs. */
export function envSecrets(env: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!v) continue;
    if (SECRET_NAME.test(k)) out.push(v);
    else {
      const p = urlPassword(v);
      if (p) out.push(p);
    }
  }
  return out;
}

function hostIp(ip: string): string {
  return ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
}

/** Networks that the runtime provides and that are never created. */
export const BUILTIN_NETWORKS = new Set(['host', 'none', 'bridge', 'default', 'podman', 'private']);

export function isCreatableNetwork(name: string): boolean {
  return !BUILTIN_NETWORKS.has(name) && !name.startsWith('container:') && !name.startsWith('ns:');
}

/**
 * `podman|docker create …` (reference §6.1). The nested config's hostname and
 * DNS settings become `--hostname`, `--dns` and `--dns-search`: inside a
 * container they belong to the runtime, not to files in the image.
 */
export function containerCreateArgv(
  runtime: 'podman' | 'docker',
  c: ContainerConfig,
  extra: { hostname?: string | undefined; dns: string[]; dnsSearch: string[] },
): string[] {
  const a: string[] = [runtime, 'create', '--name', c.name];
  if (extra.hostname) a.push('--hostname', extra.hostname);
  for (const [k, v] of Object.entries(c.environment)) a.push('-e', `${k}=${v}`);
  for (const v of c.volumes) {
    const opts = v.options.length ? `:${v.options.join(',')}` : '';
    if (v.mount_type === 'tmpfs') a.push('--tmpfs', `${v.target}${opts}`);
    else a.push('-v', `${v.source}:${v.target}${opts}`);
  }
  for (const p of c.ports) {
    const host = p.host_ip ? `${hostIp(p.host_ip)}:` : '';
    a.push('-p', `${host}${p.host_port}:${p.container_port}/${p.protocol}`);
  }
  for (const n of c.networks) a.push('--network', n);
  for (const d of extra.dns) a.push('--dns', d);
  for (const d of extra.dnsSearch) a.push('--dns-search', d);
  const r = c.resources;
  if (r?.memory_limit) a.push('--memory', r.memory_limit);
  if (r?.memory_swap_limit) a.push('--memory-swap', r.memory_swap_limit);
  if (r?.cpu_limit !== undefined) a.push('--cpus', String(r.cpu_limit));
  a.push(c.image);
  if (c.command) a.push(...c.command);
  return a;
}
