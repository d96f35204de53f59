/**
 * FreeBSD command builders: `pw` (pw(8), reference §7.2), `sysrc`, jail.conf(5)
 * entries (§5.1) and the jail's base system.
 */
import type { JailConfig, UserConfig } from '../schema/index.js';

/** `pw useradd -n NAME …` (pw(8)). */
export function pwUseraddArgv(u: UserConfig, home: string | undefined): string[] {
  const a = ['pw', 'useradd', '-n', u.name];
  if (u.uid !== undefined) a.push('-u', String(u.uid));
  if (u.primary_group) a.push('-g', u.primary_group);
  if (u.groups.length) a.push('-G', u.groups.join(','));
  if (u.description) a.push('-c', u.description);
  if (home) a.push('-d', home);
  if (u.create_home) a.push('-m');
  if (u.shell) a.push('-s', u.shell);
  return a;
}

/** Probe: `sysrc -n VAR` prints exactly VALUE. $1 variable, $2 value. */
export const SYSRC_IS_SCRIPT = '[ "$(sysrc -n "$1" 2>/dev/null)" = "$2" ]';
/** Probe: the space-separated list in rc.conf variable $1 contains word $2. */
export const SYSRC_HAS_WORD_SCRIPT =
  'case " $(sysrc -n "$1" 2>/dev/null) " in *" $2 "*) exit 0 ;; esac; exit 1';

export function sysrcProbeArgv(variable: string, value: string): string[] {
  return ['sh', '-c', SYSRC_IS_SCRIPT, 'sh', variable, value];
}

/**
 * The base system of a jail: base.txz of the host's own release, fetched from
 * download.freebsd.org and unpacked into the jail's path (handbook method,
 * reference §5.2). Needs network access. ⚠ The URL layout
 * `releases/MACHINE/MACHINE_ARCH/RELEASE/base.txz` is assumed from the mirror
 * layout; `bsdinstall jail PATH` is the interactive alternative. $1 jail path.
 */
export const JAIL_BASE_SCRIPT =
  'rel=$(freebsd-version -u | sed -e "s/-p[0-9]*$//") && ' +
  'url="https://download.freebsd.org/releases/$(uname -m)/$(uname -p)/$rel/base.txz" && ' +
  'mkdir -p "$1" && t=$(mktemp /tmp/slipway-base.XXXXXX) || exit 1; ' +
  'if fetch -o "$t" "$url" && tar -xf "$t" -C "$1" --unlink; then rm -f "$t"; exit 0; fi; rm -f "$t"; exit 1';

/** Problem with a jail.conf parameter name, or undefined. */
export function jailParamNameProblem(name: string): string | undefined {
  return /^[a-z][a-z0-9_]*(\.[a-z0-9_*]+)*$/i.test(name)
    ? undefined
    : 'is not a jail.conf parameter name (letters, digits, _ and dots)';
}

/** Problem with a jail.conf value, or undefined. */
export function jailValueProblem(v: string): string | undefined {
  return /[\n\r\0]/.test(v) ? 'contains a line break' : undefined;
}

/**
 * A value as jail.conf(5) reads it: bare when it has only letters, digits,
 * `.`, `-` and `_`; else double-quoted with `\` and `"` escaped. `$name`
 * inside remains jail.conf's own variable substitution, as in any jail.conf.
 */
export function jailValue(v: string): string {
  if (/^[A-Za-z0-9._-]+$/.test(v)) return v;
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `allow.raw_sockets` → `allow.noraw_sockets` (jail.conf(5): a `no` prefix negates a boolean). */
export function negateBoolean(name: string): string {
  const i = name.lastIndexOf('.');
  return i < 0 ? `no${name}` : `${name.slice(0, i + 1)}no${name.slice(i + 1)}`;
}

/** Parameters given unless the config sets them: what a jail running rc(8) needs. */
export const JAIL_DEFAULTS: [string, string][] = [
  ['exec.start', '/bin/sh /etc/rc'],
  ['exec.stop', '/bin/sh /etc/rc.shutdown'],
  ['exec.clean', 'true'],
  ['mount.devfs', 'true'],
];

/**
 * One jail.conf(5) entry, for /etc/jail.conf.d/NAME.conf. Addresses with a `:`
 * go to ip6.addr, the others to ip4.addr. With one interface it is the jail's
 * `interface`; with one per address each address is written `iface|addr`.
 * Parameter values `"true"`/`"false"` are booleans: bare name, or `no` prefix.
 */
export function jailConfEntry(j: JailConfig, hostname: string | undefined): string {
  const L: string[] = [`# jail ${j.name}, written by slipway`, `${j.name} {`];
  const put = (k: string, v: string) => {
    if (v === 'true') L.push(`    ${k};`);
    else if (v === 'false') L.push(`    ${negateBoolean(k)};`);
    else L.push(`    ${k} = ${jailValue(v)};`);
  };
  put('path', j.path);
  if (hostname) put('host.hostname', hostname);
  if (j.jid !== undefined) put('jid', String(j.jid));
  const pairEach = j.interfaces.length > 1 && j.interfaces.length === j.ip_addresses.length;
  if (j.interfaces.length >= 1 && !pairEach) put('interface', j.interfaces[0]!);
  const v4: string[] = [];
  const v6: string[] = [];
  j.ip_addresses.forEach((a, i) => {
    const addr = pairEach ? `${j.interfaces[i]}|${a}` : a;
    (a.includes(':') ? v6 : v4).push(jailValue(addr));
  });
  if (v4.length) L.push(`    ip4.addr = ${v4.join(', ')};`);
  if (v6.length) L.push(`    ip6.addr = ${v6.join(', ')};`);
  const given = new Set(Object.keys(j.parameters));
  for (const [k, v] of JAIL_DEFAULTS) {
    if (!given.has(k) && !given.has(negateBoolean(k))) put(k, v);
  }
  for (const [k, v] of Object.entries(j.parameters)) {
    if (k === 'path' || k === 'host.hostname') continue;
    put(k, v);
  }
  L.push('}');
  return L.join('\n') + '\n';
}
