/**
 * Host and nested basics, in one context (host, zone, jail, container), per
 * platform: hostname, time zone, locale, environment, networking, repositories
 * and packages, groups and users (password, ssh keys, sudo), scripts,
 * integrations, power state.
 *
 * The same function serves the host and every nested sysconfig: a nested
 * step's argv is the command INSIDE its context (apply wraps it with zlogin /
 * jexec / podman exec), and its id carries the context as a prefix
 * (`container:web:user:alice`) so that ids are unique across the whole plan.
 *
 * Order within a context (each phase waits for the one before):
 *   identity (hostname, time zone, locale, environment) → networking →
 *   early scripts → repositories and packages → groups and users →
 *   main scripts → integrations → late scripts → always scripts → power state.
 *
 * Decisions worth knowing:
 * - Scripts are written to /var/lib/slipway/scripts/ID (mode 0700) over stdin,
 *   then run. A script's environment is passed as `env K=V … cmd` in its argv,
 *   in every context: zlogin, jexec and `podman exec` do not pass the caller's
 *   environment, and the plan then shows exactly what runs. Values whose names
 *   look secret are redacted.
 * - Every script runs once per apply journal (probe `journal`), run_once or
 *   not: a plan is applied to converge, and re-running it must change nothing.
 *   `always_scripts` run on every apply.
 * - Files are written inside the context through its own exec, on stdin
 *   (src/platform/files.ts), never through host paths.
 * - Host networking is written where it is documented and additive (illumos
 *   `ipadm`, FreeBSD `rc.conf` via `sysrc`, Linux systemd-networkd files), and
 *   never restarted under a running installer: FreeBSD and Linux settings take
 *   effect at the next boot (a plan warning says so).
 */
import { joinPath } from '../schema/diagnostics.js';
import type {
  NetworkingConfig,
  ScriptEntry,
  SoftwareConfig,
  UnifiedConfig,
  UserConfig,
} from '../schema/index.js';
import type { PlanBuilder } from './builder.js';
import { shQuote } from './shell.js';
import type { Platform, Probe, StepContext } from './types.js';
import {
  HAS_KEY_SCRIPT,
  SET_KEY_SCRIPT,
  isAbsolutePath,
  writeFileStep,
  type StepSpec,
} from '../platform/files.js';
import {
  CONTAINER_GROUPADD_SCRIPT,
  CONTAINER_GROUP_EXISTS_SCRIPT,
  CONTAINER_TIMEZONE_PROBE,
  CONTAINER_TIMEZONE_SCRIPT,
  containerUseraddArgv,
  envSecrets,
  linuxInstallArgv,
  linuxPackagesProbeArgv,
  linuxRemoveArgv,
  linuxUseraddArgv,
  networkdFile,
  type LinuxPackageManager,
} from '../platform/linux.js';
import { ILLUMOS_SET_HASH_SCRIPT, illumosUseraddArgv } from '../platform/illumos.js';
import { pwUseraddArgv, sysrcProbeArgv } from '../platform/freebsd.js';

export interface SystemWhere {
  /** JSON path of this config ('' for the top level). */
  path: string;
  /** Steps that must finish before this context's configuration starts. */
  after: string[];
  /**
   * Leave late scripts, always scripts and power_state out; `result.late(after)`
   * adds them (the host's late scripts run after the containers).
   */
  deferLate?: boolean | undefined;
  /** The context runs a Linux userland of unknown distro (an lx zone). */
  linuxUserland?: boolean | undefined;
}

export interface SystemResult {
  /** Ids of the last steps of this context's configuration. */
  lastIds: string[];
  /** With `deferLate`: adds late scripts, always scripts and power state; returns the last ids. */
  late?: ((after: string[]) => string[]) | undefined;
}

/** Where the steps of one config go. */
interface Target {
  b: PlanBuilder;
  os: Platform;
  /** A Linux userland whose distro is unknown at plan time (container, lx zone). */
  minimal: boolean;
  context: StepContext;
  /** Id prefix: '' on the host, `zone:NAME:` etc. nested. */
  pfx: string;
  path: string;
  isHost: boolean;
}

export const SCRIPTS_DIR = '/var/lib/slipway/scripts';

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const TIMEZONE = /^(?!.*\.\.)[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+.-]+)*$/;
const LOCALE = /^[A-Za-z0-9_.@-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Portable user and group names (POSIX portable filename characters, no leading '-'). */
const ACCOUNT = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;
const PACKAGE = /^[A-Za-z0-9@_+.:/=<>*~-][A-Za-z0-9@_+.:/=<>*~,-]*$/;

/** A string that is safe as a file name component: other characters become `_`. */
export function fileNamePart(s: string, allowDot = true): string {
  const out = s.replace(allowDot ? /[^A-Za-z0-9_.-]/g : /[^A-Za-z0-9_-]/g, '_');
  return out.replace(/^[.-]+/, '_') || '_';
}

function cmdProbe(argv: string[], description: string): Probe {
  return { kind: 'command', argv, description };
}

function shProbe(script: string, args: string[], description: string): Probe {
  return cmdProbe(['sh', '-c', script, 'sh', ...args], description);
}

function journal(description: string, renewedBy?: string): Probe {
  return renewedBy === undefined
    ? { kind: 'journal', description }
    : { kind: 'journal', description, renewedBy: [renewedBy] };
}

function always(description: string): Probe {
  return { kind: 'always', description };
}

function list(items: string[], max = 6): string {
  return items.length <= max
    ? items.join(', ')
    : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * `id`, or `id#2`, `id#3`… when a config repeats a name (duplicates are
 * validation errors; the plan must still never throw on them).
 */
export function uniqueId(b: PlanBuilder, id: string): string {
  if (!b.has(id)) return id;
  let n = 2;
  while (b.has(`${id}#${n}`)) n++;
  return `${id}#${n}`;
}

class Ctx {
  constructor(readonly t: Target) {}
  id(local: string): string {
    return this.t.pfx + local;
  }
  p(rel: string): string {
    return joinPath(this.t.path, rel);
  }
  /**
   * Add a step in this context. `spec` is always the caller's own object
   * literal: its id is made unique in place rather than the object copied with
   * a spread (a slow generic copy, 59 call shapes, per step of every context).
   */
  add(spec: Omit<StepSpec, 'context'>): string {
    spec.id = uniqueId(this.t.b, this.id(spec.id));
    return this.t.b.addIn(this.t.context, spec).id;
  }
  file(o: Omit<Parameters<typeof writeFileStep>[0], 'context' | 'id'> & { id: string }): string {
    // every option named: one object shape, where a spread of `o` made one per call site
    const spec = writeFileStep({
      id: uniqueId(this.t.b, this.id(o.id)),
      title: o.title,
      context: this.t.context,
      path: o.path,
      content: o.content,
      mode: o.mode,
      owner: o.owner,
      dirMode: o.dirMode,
      sudoers: o.sudoers,
      secrets: o.secrets,
      dependsOn: o.dependsOn,
    });
    return this.t.b.addIn(this.t.context, spec).id;
  }
  warn(rel: string, message: string, hint?: string): void {
    this.t.b.warn(this.p(rel), message, hint);
  }
  error(rel: string, message: string, hint?: string): void {
    this.t.b.error(this.p(rel), message, hint);
  }
  get where(): string {
    const c = this.t.context;
    return c.kind === 'host' ? `on ${this.t.os}` : `in ${c.kind} ${c.name}`;
  }
}

/** The ids a phase added, or the frontier it got when it added none: the next phase waits for them. */
function next(frontier: string[], ids: string[]): string[] {
  return ids.length ? ids : frontier;
}

/**
 * Host or nested basics in `context`: hostname, timezone, locale, environment,
 * networking, repositories and packages, users (ssh keys, sudo, password), scripts.
 * The phases are called in turn, each after the last one that added steps
 * (direct calls: this runs once per container, and a closure per phase was
 * allocated for each).
 */
export function compileSystem(
  b: PlanBuilder,
  config: UnifiedConfig,
  context: StepContext,
  where: SystemWhere,
): SystemResult {
  const isHost = context.kind === 'host';
  const linux = context.kind === 'container' || where.linuxUserland === true;
  const t: Target = {
    b,
    os: linux ? 'linux' : b.platform,
    minimal: linux && !isHost,
    context,
    pfx: isHost ? '' : `${context.kind}:${context.name}:`,
    path: where.path,
    isHost,
  };
  const c = new Ctx(t);
  let f = [...where.after];
  f = next(f, identity(c, config, f));
  f = next(f, networking(c, config.networking, f));
  f = next(f, scripts(c, config.scripts.early_scripts, 'early', f));
  f = next(f, packages(c, config.software, f));
  f = next(f, users(c, config.users, f));
  f = next(f, scripts(c, config.scripts.main_scripts, 'main', f));
  f = next(f, integrations(c, config, f));
  if (where.deferLate) return { lastIds: f, late: (after) => latePhases(c, config, after) };
  return { lastIds: latePhases(c, config, f) };
}

/** Late scripts, always scripts and power state, after `after`; the last ids. */
function latePhases(c: Ctx, config: UnifiedConfig, after: string[]): string[] {
  let f = after;
  f = next(f, scripts(c, config.scripts.late_scripts, 'late', f));
  f = next(f, scripts(c, config.scripts.always_scripts, 'always', f));
  return next(f, powerState(c, config, f));
}

// ── identity ─────────────────────────────────────────────────────────────────

const HOSTNAME_IS = '[ "$(hostname)" = "$1" ]';

function identity(c: Ctx, config: UnifiedConfig, after: string[]): string[] {
  const { t } = c;
  const s = config.system;
  const ids: string[] = [];
  const kind = t.context.kind;

  if (s.hostname !== undefined) {
    const name = t.os === 'freebsd' && t.isHost && s.fqdn ? s.fqdn : s.hostname;
    if (!HOSTNAME.test(name))
      c.error(
        name === s.hostname ? 'system.hostname' : 'system.fqdn',
        `"${name}" is not a valid host name`,
        'use letters, digits and hyphens, with dots between labels',
      );
    else if (kind === 'container') {
      // Set by the runtime (`create --hostname`, see containers.ts).
    } else if (kind === 'jail') {
      // A jail cannot change its own host name (allow.set_hostname is off by
      // default): host.hostname in jail.conf sets it (see containers.ts).
    } else if (t.os === 'illumos') {
      // nodename(5): read at boot; `hostname` sets it for the running system.
      ids.push(
        c.file({
          id: 'hostname:nodename',
          title: `Write /etc/nodename (${name})`,
          path: '/etc/nodename',
          content: `${name}\n`,
          mode: '0644',
          dependsOn: after,
        }),
        c.add({
          id: 'hostname',
          title: `Set the host name to ${name}`,
          argv: ['hostname', name],
          dependsOn: after,
          probe: shProbe(HOSTNAME_IS, [name], `hostname is ${name}`),
        }),
      );
    } else if (t.os === 'freebsd') {
      ids.push(
        c.add({
          id: 'hostname:rc.conf',
          title: `Record the host name ${name} in rc.conf`,
          argv: ['sysrc', `hostname=${name}`],
          dependsOn: after,
          probe: cmdProbe(sysrcProbeArgv('hostname', name), `rc.conf has hostname=${name}`),
        }),
        c.add({
          id: 'hostname',
          title: `Set the host name to ${name}`,
          argv: ['hostname', name],
          dependsOn: after,
          probe: shProbe(HOSTNAME_IS, [name], `hostname is ${name}`),
        }),
      );
    } else if (t.minimal) {
      // lx zone: no systemd guaranteed; /etc/hostname plus the running name.
      ids.push(
        c.file({
          id: 'hostname:file',
          title: `Write /etc/hostname (${name})`,
          path: '/etc/hostname',
          content: `${name}\n`,
          mode: '0644',
          dependsOn: after,
        }),
        c.add({
          id: 'hostname',
          title: `Set the host name to ${name}`,
          argv: ['hostname', name],
          dependsOn: after,
          probe: shProbe(HOSTNAME_IS, [name], `hostname is ${name}`),
        }),
      );
    } else {
      ids.push(
        c.add({
          id: 'hostname',
          title: `Set the host name to ${name}`,
          argv: ['hostnamectl', 'set-hostname', name],
          dependsOn: after,
          probe: shProbe(HOSTNAME_IS, [name], `hostname is ${name}`),
        }),
      );
    }
    if (s.fqdn && !(t.os === 'freebsd' && t.isHost) && kind !== 'container')
      c.warn(
        'system.fqdn',
        `the fully qualified name ${s.fqdn} is not written to /etc/hosts ${c.where}`,
        'add it with a script if programs need it',
      );
  }

  if (s.timezone !== undefined) {
    const tz = s.timezone;
    const zoneFile = `/usr/share/zoneinfo/${tz}`;
    if (!TIMEZONE.test(tz))
      c.error(
        'system.timezone',
        `"${tz}" is not a time zone name`,
        'use an IANA name such as "Europe/Berlin" or "UTC"',
      );
    else if (t.minimal)
      ids.push(
        c.add({
          id: 'timezone',
          title: `Set the time zone to ${tz} (when the image has tzdata)`,
          argv: ['sh', '-c', CONTAINER_TIMEZONE_SCRIPT, 'sh', tz],
          dependsOn: after,
          probe: shProbe(
            CONTAINER_TIMEZONE_PROBE,
            [tz],
            `/etc/localtime is ${tz}, or the image has no tzdata`,
          ),
        }),
      );
    else if (t.os === 'illumos')
      // illumos has no timedatectl: TZ in /etc/default/init is the system time
      // zone (init(5)), read at boot; processes started before keep theirs.
      ids.push(
        c.add({
          id: 'timezone',
          title: `Set TZ=${tz} in /etc/default/init (from the next boot)`,
          argv: ['sh', '-c', SET_KEY_SCRIPT, 'sh', '/etc/default/init', 'TZ', tz],
          dependsOn: after,
          probe: shProbe(
            HAS_KEY_SCRIPT,
            ['/etc/default/init', 'TZ', tz],
            `/etc/default/init has TZ=${tz}`,
          ),
        }),
      );
    else if (t.os === 'freebsd')
      ids.push(
        c.add({
          id: 'timezone',
          title: `Set the time zone to ${tz}`,
          argv: ['cp', zoneFile, '/etc/localtime'],
          dependsOn: after,
          probe: cmdProbe(['cmp', '-s', zoneFile, '/etc/localtime'], `/etc/localtime is ${tz}`),
        }),
      );
    else
      ids.push(
        c.add({
          id: 'timezone',
          title: `Set the time zone to ${tz}`,
          argv: ['timedatectl', 'set-timezone', tz],
          dependsOn: after,
          probe: cmdProbe(['cmp', '-s', zoneFile, '/etc/localtime'], `/etc/localtime is ${tz}`),
        }),
      );
  }

  if (s.locale !== undefined) {
    const loc = s.locale;
    if (!LOCALE.test(loc))
      c.error('system.locale', `"${loc}" is not a locale name`, 'e.g. "en_US.UTF-8"');
    else if (t.os === 'illumos' && !t.minimal)
      // init(5): LANG in /etc/default/init is the system locale, read at boot.
      ids.push(
        c.add({
          id: 'locale',
          title: `Set LANG=${loc} in /etc/default/init (from the next boot)`,
          argv: ['sh', '-c', SET_KEY_SCRIPT, 'sh', '/etc/default/init', 'LANG', loc],
          dependsOn: after,
          probe: shProbe(
            HAS_KEY_SCRIPT,
            ['/etc/default/init', 'LANG', loc],
            `/etc/default/init has LANG=${loc}`,
          ),
        }),
      );
    else if (t.os === 'linux' && !t.minimal)
      ids.push(
        c.add({
          id: 'locale',
          title: `Set the system locale to ${loc}`,
          argv: ['localectl', 'set-locale', `LANG=${loc}`],
          dependsOn: after,
          probe: shProbe(
            'grep -qxF -e "LANG=$1" /etc/locale.conf /etc/default/locale 2>/dev/null',
            [loc],
            `the system locale is ${loc}`,
          ),
        }),
      );
    else
      c.warn(
        'system.locale',
        `the locale is not applied ${c.where}`,
        t.os === 'freebsd'
          ? 'set :lang= in /etc/login.conf (then cap_mkdb) with a script'
          : 'set LANG in the environment instead (system.environment), or with a script',
      );
  }

  const env = Object.entries(s.environment);
  if (env.length) {
    const bad = env.filter(([k]) => !ENV_NAME.test(k));
    for (const [k] of bad)
      c.error(
        `system.environment.${k}`,
        `"${k}" is not an environment variable name`,
        'use letters, digits and _',
      );
    if (t.os === 'illumos' && !t.minimal)
      c.warn(
        'system.environment',
        `system-wide environment variables are not applied ${c.where} (/etc/profile there reads no drop-in directory)`,
        'set them in /etc/profile with a script',
      );
    else if (!bad.length) {
      // /etc/profile.d/*.sh is read by login shells on Linux and, ⚠ since
      // FreeBSD 13 (unconfirmed for older releases), by FreeBSD's /etc/profile.
      const content =
        '# Written by slipway: system.environment\n' +
        env.map(([k, v]) => `export ${k}=${shQuote(v)}`).join('\n') +
        '\n';
      ids.push(
        c.file({
          id: 'environment',
          title: `Set system-wide environment (${env.map(([k]) => k).join(', ')})`,
          path: '/etc/profile.d/slipway-environment.sh',
          content,
          mode: '0644',
          secrets: envSecrets(s.environment),
          dependsOn: after,
        }),
      );
    }
  }
  return ids;
}

// ── networking ───────────────────────────────────────────────────────────────

function resolvConf(n: NetworkingConfig): string {
  const lines = ['# Written by slipway'];
  if (n.search_domains.length) lines.push(`search ${n.search_domains.join(' ')}`);
  for (const ns of n.nameservers) lines.push(`nameserver ${ns}`);
  return lines.join('\n') + '\n';
}

const ADDR = /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/;
const IFNAME = /^[A-Za-z][A-Za-z0-9_.]{0,30}$/;

function networking(c: Ctx, n: NetworkingConfig, after: string[]): string[] {
  const { t } = c;
  const ids: string[] = [];
  const kind = t.context.kind;
  const hasDns = n.nameservers.length > 0 || n.search_domains.length > 0;
  // Every value that reaches a config file or argv must be an address or a name.
  let ok = true;
  n.interfaces.forEach((i, k) => {
    if (!IFNAME.test(i.name)) {
      c.error(`networking.interfaces[${k}].name`, `"${i.name}" is not an interface name`);
      ok = false;
    }
    i.addresses.forEach((a, j) => {
      if (typeof a.kind === 'object' && !ADDR.test(a.kind.static)) {
        c.error(
          `networking.interfaces[${k}].addresses[${j}].kind.static`,
          `"${a.kind.static}" is not an address`,
          'e.g. "192.0.2.10/24"',
        );
        ok = false;
      }
    });
    if (i.gateway !== undefined && !ADDR.test(i.gateway)) {
      c.error(`networking.interfaces[${k}].gateway`, `"${i.gateway}" is not an address`);
      ok = false;
    }
  });
  n.nameservers.forEach((ns, k) => {
    if (!ADDR.test(ns)) {
      c.error(`networking.nameservers[${k}]`, `"${ns}" is not an IP address`);
      ok = false;
    }
  });
  n.search_domains.forEach((d, k) => {
    if (!HOSTNAME.test(d)) {
      c.error(`networking.search_domains[${k}]`, `"${d}" is not a domain name`);
      ok = false;
    }
  });
  n.routes.forEach((r, k) => {
    if (!ADDR.test(r.destination) && r.destination !== 'default') {
      c.error(`networking.routes[${k}].destination`, `"${r.destination}" is not a network`);
      ok = false;
    }
    if (!ADDR.test(r.gateway)) {
      c.error(`networking.routes[${k}].gateway`, `"${r.gateway}" is not an address`);
      ok = false;
    }
  });
  if (!ok) return ids;

  if (kind === 'container') {
    // Nameservers and search domains become `--dns`/`--dns-search` (containers.ts).
    if (n.interfaces.length || n.routes.length)
      c.warn(
        'networking',
        "a container's interfaces and routes belong to its runtime: not applied",
        "use the container's networks and ports",
      );
    if (n.ntp_servers.length)
      c.warn('networking.ntp_servers', 'a container uses the host clock: ntp_servers not applied');
    return ids;
  }
  if (!t.isHost) {
    if (n.interfaces.length || n.routes.length)
      c.warn(
        'networking',
        `interfaces and routes ${c.where} are not applied from its sysconfig`,
        kind === 'zone'
          ? 'give the zone a net resource (networks, with address and defrouter)'
          : 'set ip4.addr/ip6.addr on the jail (ip_addresses)',
      );
    if (n.ntp_servers.length)
      c.warn(
        'networking.ntp_servers',
        `${c.where.slice(3)} uses the host clock: ntp_servers not applied`,
      );
    if (hasDns) ids.push(...dnsFiles(c, n, after));
    return ids;
  }
  if (t.os === 'illumos') ids.push(...illumosNet(c, n, after));
  else if (t.os === 'freebsd') ids.push(...freebsdNet(c, n, after));
  else ids.push(...linuxNet(c, n, after));
  return ids;
}

function dnsFiles(c: Ctx, n: NetworkingConfig, after: string[]): string[] {
  const ids = [
    c.file({
      id: 'resolv.conf',
      title: `Write /etc/resolv.conf (${list([...n.nameservers, ...n.search_domains])})`,
      path: '/etc/resolv.conf',
      content: resolvConf(n),
      mode: '0644',
      dependsOn: after,
    }),
  ];
  if (c.t.os === 'illumos' && !c.t.minimal)
    // The usual illumos step: use the DNS name service switch template.
    ids.push(
      c.add({
        id: 'nsswitch',
        title: 'Use DNS for host names (/etc/nsswitch.dns → /etc/nsswitch.conf)',
        argv: ['cp', '/etc/nsswitch.dns', '/etc/nsswitch.conf'],
        dependsOn: after,
        probe: cmdProbe(
          ['cmp', '-s', '/etc/nsswitch.dns', '/etc/nsswitch.conf'],
          'nsswitch.conf is the DNS template',
        ),
      }),
    );
  return ids;
}

/** ipadm address object names: a letter, then letters and digits (ipadm(8)). */
function addrObjName(name: string, i: number): string {
  const s = name.replace(/[^A-Za-z0-9]/g, '');
  return /^[A-Za-z]/.test(s) ? s.slice(0, 31) : `a${i}${s}`.slice(0, 31);
}

function illumosNet(c: Ctx, n: NetworkingConfig, after: string[]): string[] {
  const ids: string[] = [];
  n.interfaces.forEach((i, k) => {
    const base = `networking.interfaces[${k}]`;
    if (i.vlan)
      c.warn(
        `${base}.vlan`,
        'VLAN links are not created on illumos',
        `create it with dladm create-vlan -l ${i.vlan.parent} -v ${i.vlan.id} first`,
      );
    if (i.mac_address)
      c.warn(
        `${base}.mac_address`,
        'interfaces are matched by name on illumos: mac_address ignored',
      );
    const ifId = c.add({
      id: `net:${i.name}`,
      title: `Create the IP interface ${i.name}`,
      argv: ['ipadm', 'create-if', i.name],
      dependsOn: after,
      probe: cmdProbe(['ipadm', 'show-if', i.name], `IP interface ${i.name} exists`),
    });
    ids.push(ifId);
    if (i.mtu !== undefined)
      ids.push(
        c.add({
          id: `net:${i.name}:mtu`,
          title: `Set the MTU of ${i.name} to ${i.mtu}`,
          argv: ['dladm', 'set-linkprop', '-p', `mtu=${i.mtu}`, i.name],
          dependsOn: after,
          probe: shProbe(
            '[ "$(dladm show-linkprop -c -o value -p mtu "$1")" = "$2" ]',
            [i.name, String(i.mtu)],
            `${i.name} has MTU ${i.mtu}`,
          ),
        }),
      );
    i.addresses.forEach((a, j) => {
      const obj = `${i.name}/${addrObjName(a.name, j)}`;
      const argv =
        typeof a.kind === 'object'
          ? ['ipadm', 'create-addr', '-T', 'static', '-a', a.kind.static, obj]
          : a.kind === 'dhcp4'
            ? ['ipadm', 'create-addr', '-T', 'dhcp', obj]
            : ['ipadm', 'create-addr', '-T', 'addrconf', obj]; // dhcp6 follows the router advertisements (in.ndpd)
      ids.push(
        c.add({
          id: `net:${obj}`,
          title: `Add address ${obj} (${typeof a.kind === 'object' ? a.kind.static : a.kind})`,
          argv,
          dependsOn: [ifId],
          probe: cmdProbe(['ipadm', 'show-addr', obj], `address object ${obj} exists`),
        }),
      );
    });
    if (i.gateway)
      ids.push(
        c.add({
          id: `net:${i.name}:gateway`,
          title: `Add the default route via ${i.gateway} (persistent)`,
          argv: ['route', '-p', 'add', 'default', i.gateway],
          dependsOn: ids.slice(),
          probe: shProbe(
            'route -n get default 2>/dev/null | grep -qF -e "gateway: $1"',
            [i.gateway],
            `the default route goes via ${i.gateway}`,
          ),
        }),
      );
  });
  n.routes.forEach((r, k) => {
    ids.push(
      c.add({
        id: `net:route:${r.destination}`,
        title: `Add the route to ${r.destination} via ${r.gateway} (persistent)`,
        argv: ['route', '-p', 'add', '-net', r.destination, r.gateway],
        dependsOn: ids.length ? ids.slice() : after,
        probe: shProbe(
          'route -n get "$1" 2>/dev/null | grep -qF -e "gateway: $2"',
          [r.destination, r.gateway],
          `the route to ${r.destination} goes via ${r.gateway}`,
        ),
      }),
    );
    if (r.metric !== undefined)
      c.warn(`networking.routes[${k}].metric`, 'route metrics are not set on illumos');
  });
  if (n.nameservers.length || n.search_domains.length) ids.push(...dnsFiles(c, n, after));
  if (n.ntp_servers.length)
    c.warn(
      'networking.ntp_servers',
      'NTP servers are not applied on illumos',
      'configure /etc/inet/ntp.conf and svcadm enable ntp with a script',
    );
  return ids;
}

function freebsdNet(c: Ctx, n: NetworkingConfig, after: string[]): string[] {
  const ids: string[] = [];
  const sysrc = (id: string, variable: string, value: string, title: string) =>
    ids.push(
      c.add({
        id,
        title,
        argv: ['sysrc', `${variable}=${value}`],
        dependsOn: after,
        probe: cmdProbe(sysrcProbeArgv(variable, value), `rc.conf has ${variable}="${value}"`),
      }),
    );
  n.interfaces.forEach((i, k) => {
    const base = `networking.interfaces[${k}]`;
    const rcName = i.name.replace(/[.-]/g, '_');
    if (i.vlan)
      c.warn(
        `${base}.vlan`,
        'VLAN interfaces are not configured on FreeBSD',
        `set vlans_${i.vlan.parent} in rc.conf with a script`,
      );
    if (i.mac_address)
      c.warn(
        `${base}.mac_address`,
        'interfaces are matched by name on FreeBSD: mac_address ignored',
      );
    const mtu = i.mtu !== undefined ? ` mtu ${i.mtu}` : '';
    const v4 = i.addresses.flatMap((a) =>
      typeof a.kind === 'object' && !a.kind.static.includes(':') ? [a.kind.static] : [],
    );
    const v6 = i.addresses.flatMap((a) =>
      typeof a.kind === 'object' && a.kind.static.includes(':') ? [a.kind.static] : [],
    );
    if (i.addresses.some((a) => a.kind === 'dhcp4'))
      sysrc(
        `net:${i.name}`,
        `ifconfig_${rcName}`,
        `DHCP${mtu}`,
        `Configure ${i.name} by DHCP (rc.conf)`,
      );
    else if (v4.length)
      sysrc(
        `net:${i.name}`,
        `ifconfig_${rcName}`,
        `inet ${v4[0]}${mtu}`,
        `Configure ${i.name} with ${v4[0]} (rc.conf)`,
      );
    v4.slice(i.addresses.some((a) => a.kind === 'dhcp4') ? 0 : 1).forEach((a, j) =>
      sysrc(
        `net:${i.name}:alias${j}`,
        `ifconfig_${rcName}_alias${j}`,
        `inet ${a}`,
        `Add alias ${a} to ${i.name} (rc.conf)`,
      ),
    );
    if (v6.length)
      sysrc(
        `net:${i.name}:ipv6`,
        `ifconfig_${rcName}_ipv6`,
        `inet6 ${v6[0]}`,
        `Configure ${i.name} with ${v6[0]} (rc.conf)`,
      );
    else if (i.addresses.some((a) => a.kind === 'addrconf' || a.kind === 'dhcp6'))
      sysrc(
        `net:${i.name}:ipv6`,
        `ifconfig_${rcName}_ipv6`,
        'inet6 accept_rtadv',
        `Accept IPv6 router advertisements on ${i.name} (rc.conf)`,
      );
    if (i.gateway)
      sysrc(
        `net:${i.name}:gateway`,
        i.gateway.includes(':') ? 'ipv6_defaultrouter' : 'defaultrouter',
        i.gateway,
        `Use ${i.gateway} as the default router (rc.conf)`,
      );
  });
  n.routes.forEach((r, k) => {
    const name = `slipway${k}`;
    sysrc(
      `net:route:${k}`,
      `route_${name}`,
      `-net ${r.destination} ${r.gateway}`,
      `Add the route to ${r.destination} via ${r.gateway} (rc.conf)`,
    );
    ids.push(
      c.add({
        id: `net:route:${k}:list`,
        title: `List route ${name} in static_routes (rc.conf)`,
        argv: ['sysrc', `static_routes+=${name}`],
        dependsOn: after,
        probe: shProbe(
          'case " $(sysrc -n static_routes 2>/dev/null) " in *" $1 "*) exit 0 ;; esac; exit 1',
          [name],
          `static_routes lists ${name}`,
        ),
      }),
    );
  });
  if (n.interfaces.length || n.routes.length)
    c.warn(
      'networking',
      'FreeBSD interface settings are written to rc.conf and take effect at the next boot',
      'the installer does not restart networking under itself; run `service netif restart && service routing restart` to apply them now',
    );
  if (n.nameservers.length || n.search_domains.length) ids.push(...dnsFiles(c, n, after));
  if (n.ntp_servers.length)
    c.warn(
      'networking.ntp_servers',
      'NTP servers are not applied on FreeBSD',
      'edit /etc/ntp.conf and sysrc ntpd_enable=YES with a script',
    );
  return ids;
}

function linuxNet(c: Ctx, n: NetworkingConfig, after: string[]): string[] {
  const ids: string[] = [];
  n.interfaces.forEach((i, k) => {
    if (i.vlan)
      c.warn(
        `networking.interfaces[${k}].vlan`,
        'VLAN netdevs are not created',
        'add a systemd-networkd .netdev file with a script',
      );
    const routes = n.routes.filter((r) => (r.interface ?? n.interfaces[0]?.name) === i.name);
    ids.push(
      c.file({
        id: `net:${i.name}`,
        title: `Write the systemd-networkd file for ${i.name}`,
        path: `/etc/systemd/network/10-slipway-${fileNamePart(i.name)}.network`,
        content: networkdFile(i, { nameservers: [], search: [] }, routes),
        mode: '0644',
        dependsOn: after,
      }),
    );
  });
  n.routes.forEach((r, k) => {
    if (!n.interfaces.some((i) => i.name === (r.interface ?? n.interfaces[0]?.name)))
      c.warn(
        `networking.routes[${k}]`,
        'a route needs an interface from networking.interfaces: not applied',
      );
  });
  if (n.nameservers.length || n.search_domains.length) {
    const lines = ['# Written by slipway', '[Resolve]'];
    if (n.nameservers.length) lines.push(`DNS=${n.nameservers.join(' ')}`);
    if (n.search_domains.length) lines.push(`Domains=${n.search_domains.join(' ')}`);
    ids.push(
      c.file({
        id: 'dns',
        title: `Set DNS servers and search domains for systemd-resolved (${list([...n.nameservers, ...n.search_domains])})`,
        path: '/etc/systemd/resolved.conf.d/90-slipway.conf',
        content: lines.join('\n') + '\n',
        mode: '0644',
        dependsOn: after,
      }),
    );
  }
  if (n.ntp_servers.length)
    ids.push(
      c.file({
        id: 'ntp',
        title: `Set NTP servers for systemd-timesyncd (${list(n.ntp_servers)})`,
        path: '/etc/systemd/timesyncd.conf.d/90-slipway.conf',
        content: `# Written by slipway\n[Time]\nNTP=${n.ntp_servers.join(' ')}\n`,
        mode: '0644',
        dependsOn: after,
      }),
    );
  if (ids.length)
    c.warn(
      'networking',
      'Linux network settings are written for systemd-networkd, systemd-resolved and systemd-timesyncd, and take effect when those services (re)start, at the latest at the next boot',
      'the installer does not restart networking under itself; `systemctl restart systemd-networkd systemd-resolved systemd-timesyncd` applies them now',
    );
  return ids;
}

// ── repositories and packages ────────────────────────────────────────────────

/**
 * Refreshing package lists is only needed to install: when every package is
 * already there the refresh is skipped, so that a second apply changes
 * nothing. Without packages to install it runs on every apply.
 */
function refreshProbe(installed: Probe, pkgs: string[]): Probe {
  if (!pkgs.length) return always('package lists are refreshed on every apply');
  return installed.kind === 'command'
    ? { ...installed, description: 'all packages are installed (no refresh needed)' }
    : installed;
}

/**
 * The Linux package manager of this context, when the config tells: exactly
 * one kind of repository configured. Otherwise undefined (the fixed script
 * picks whatever the system has).
 */
function linuxPackageManager(s: SoftwareConfig): LinuxPackageManager | undefined {
  const r = s.repositories;
  const kinds: LinuxPackageManager[] = [];
  if (r?.apt) kinds.push('apt');
  if (r?.yum) kinds.push('dnf');
  if (r?.apk) kinds.push('apk');
  return kinds.length === 1 ? kinds[0] : undefined;
}

function packages(c: Ctx, s: SoftwareConfig, after: string[]): string[] {
  const { t } = c;
  const install = s.packages_to_install;
  const remove = s.packages_to_remove;
  const r = s.repositories;
  // Nothing to install, remove, refresh or configure on Linux (the software
  // section of most containers): no step and nothing to warn about, known
  // before linuxPackages builds its package chain for every container.
  if (
    t.os === 'linux' &&
    !install.length &&
    !remove.length &&
    !s.update_on_boot &&
    !s.upgrade_on_boot &&
    !(r && (r.apt || r.yum || r.apk || r.ips || r.pkg))
  )
    return [];
  for (const [key, pkgs] of [
    ['software.packages_to_install', install],
    ['software.packages_to_remove', remove],
  ] as const) {
    const bad = pkgs.findIndex((p) => !PACKAGE.test(p));
    if (bad >= 0) {
      c.error(
        `${key}[${bad}]`,
        `"${pkgs[bad]}" is not a package name`,
        'package names have no spaces or shell characters',
      );
      return [];
    }
  }
  const ignored = (kind: string) =>
    c.warn(
      `software.repositories.${kind}`,
      `${kind} repositories do not apply ${c.where}: ignored`,
    );
  if (t.os === 'illumos') {
    for (const k of ['apt', 'yum', 'apk', 'pkg'] as const) if (r?.[k]) ignored(k);
    return ipsPackages(c, s, after);
  }
  if (t.os === 'freebsd') {
    for (const k of ['apt', 'yum', 'apk', 'ips'] as const) if (r?.[k]) ignored(k);
    return freebsdPackages(c, s, after);
  }
  for (const k of ['ips', 'pkg'] as const) if (r?.[k]) ignored(k);
  return linuxPackages(c, s, after);
}

/** One command of a package manager, as a step of the package chain. */
interface PackageCommand {
  id: string;
  title: string;
  argv: string[];
  okExitCodes?: number[];
}

/** What differs between package managers; the chain below is the same for all. */
interface PackageChain {
  /** Refresh the catalogs / package lists (omitted: no refresh step). */
  refresh?: PackageCommand | undefined;
  /** Upgrade everything (omitted: no upgrade step). */
  upgrade?: (PackageCommand & { probe: string }) | undefined;
  install: (pkgs: string[]) => Omit<PackageCommand, 'id' | 'title'> & { titleSuffix?: string };
  remove: (pkgs: string[]) => string[];
  /** Done when all of these are installed. */
  installed: (pkgs: string[]) => Probe;
  /** Done when none of these is installed. */
  absent: (pkgs: string[]) => Probe;
}

/**
 * refresh → upgrade → install → remove, each step optional and each after the
 * one before (starting after `frontier`). A refresh is skipped when every
 * package to install is already there, so a second apply changes nothing.
 */
function packageChain(c: Ctx, s: SoftwareConfig, frontier: string[], pm: PackageChain): string[] {
  const ids: string[] = [];
  const next = (id: string) => {
    ids.push(id);
    frontier = [id];
  };
  const install = s.packages_to_install;
  const remove = s.packages_to_remove;
  if (pm.refresh)
    next(
      c.add({
        ...pm.refresh,
        dependsOn: frontier,
        probe: refreshProbe(pm.installed(install), install),
      }),
    );
  if (pm.upgrade) {
    const { probe, ...command } = pm.upgrade;
    next(c.add({ ...command, dependsOn: frontier, probe: always(probe) }));
  }
  if (install.length) {
    const { titleSuffix = '', ...command } = pm.install(install);
    next(
      c.add({
        id: 'packages:install',
        title: `Install packages: ${list(install)}${titleSuffix}`,
        ...command,
        dependsOn: frontier,
        probe: pm.installed(install),
      }),
    );
  }
  if (remove.length)
    ids.push(
      c.add({
        id: 'packages:remove',
        title: `Remove packages: ${list(remove)}`,
        argv: pm.remove(remove),
        dependsOn: frontier,
        probe: pm.absent(remove),
      }),
    );
  return ids;
}

function ipsPackages(c: Ctx, s: SoftwareConfig, after: string[]): string[] {
  const ips = s.repositories?.ips;
  const repoIds: string[] = [];
  ips?.publishers.forEach((p, k) => {
    const argv = ['pkg', 'set-publisher', '-g', p.origin];
    if (p.preferred) argv.push('-P');
    if (!p.enabled) argv.push('-d');
    if (p.ssl_cert) argv.push('-c', p.ssl_cert);
    if (p.ssl_key) argv.push('-k', p.ssl_key);
    if (ips.proxy) argv.push('--proxy', ips.proxy);
    argv.push(p.name);
    repoIds.push(
      c.add({
        id: `pkg:publisher:${p.name}`,
        title: `Add the IPS publisher ${p.name} (${p.origin})`,
        argv,
        dependsOn: after,
        // ⚠ `pkg publisher -F tsv` lists the origin URI per publisher (pkg(1)).
        probe: shProbe(
          'pkg publisher -H -F tsv "$1" 2>/dev/null | grep -qF -e "$2"',
          [p.name, p.origin],
          `publisher ${p.name} has origin ${p.origin}`,
        ),
      }),
    );
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(p.name))
      c.error(
        `software.repositories.ips.publishers[${k}].name`,
        `"${p.name}" is not a publisher name`,
      );
  });
  if (ips && !ips.signature_verification)
    c.warn(
      'software.repositories.ips.signature_verification',
      'turning signature verification off is not applied',
      'pkg set-property signature-policy ignore, if you really mean it',
    );
  const ipsInstalled = (pkgs: string[]) =>
    // ⚠ `pkg list` exits non-zero when a named package is not installed.
    cmdProbe(['pkg', 'list', '-q', ...pkgs], 'all packages are installed');
  return [
    ...repoIds,
    ...packageChain(c, s, repoIds.length ? repoIds : after, {
      refresh: s.update_on_boot
        ? { id: 'pkg:refresh', title: 'Refresh the IPS catalogs', argv: ['pkg', 'refresh'] }
        : undefined,
      upgrade: s.upgrade_on_boot
        ? {
            id: 'pkg:update',
            title: 'Update all packages (pkg update)',
            argv: ['pkg', 'update', '--accept'],
            okExitCodes: [4],
            probe: 'pkg update exits 4 when there is nothing to update',
          }
        : undefined,
      // 4: nothing to do (reference §7.5)
      install: (pkgs) => ({ argv: ['pkg', 'install', '--accept', ...pkgs], okExitCodes: [4] }),
      remove: (pkgs) => ['pkg', 'uninstall', ...pkgs],
      installed: ipsInstalled,
      absent: (pkgs) =>
        shProbe(
          'for p in "$@"; do pkg list -q "$p" >/dev/null 2>&1 && exit 1; done; exit 0',
          pkgs,
          'none of the packages is installed',
        ),
    }),
  ];
}

function freebsdRepoConf(
  r: NonNullable<NonNullable<SoftwareConfig['repositories']>['pkg']>['repositories'][number],
  defaultSig: string,
): string {
  const q = (v: string) => JSON.stringify(v);
  const lines = [
    `# Written by slipway`,
    `${r.name}: {`,
    `  url: ${q(r.url)},`,
    `  enabled: ${r.enabled ? 'yes' : 'no'},`,
  ];
  if (r.priority !== undefined) lines.push(`  priority: ${r.priority},`);
  const sig = r.signature_type ?? defaultSig;
  lines.push(`  signature_type: ${q(sig)},`);
  // The official repositories' fingerprints ship in /usr/share/keys/pkg; any
  // other repository's fingerprints go in their own directory.
  if (sig === 'fingerprints')
    lines.push(
      `  fingerprints: ${q(r.name === 'FreeBSD' ? '/usr/share/keys/pkg' : `/usr/local/etc/pkg/fingerprints/${r.name}`)},`,
    );
  lines.push('}');
  return lines.join('\n') + '\n';
}

function freebsdPackages(c: Ctx, s: SoftwareConfig, after: string[]): string[] {
  const pkgRepos = s.repositories?.pkg;
  const ids: string[] = [];
  const need =
    s.packages_to_install.length ||
    s.packages_to_remove.length ||
    s.update_on_boot ||
    s.upgrade_on_boot ||
    pkgRepos;
  if (!need) return ids;
  const boot = c.add({
    id: 'pkg:bootstrap',
    title: 'Bootstrap pkg(8)',
    argv: ['env', 'ASSUME_ALWAYS_YES=yes', 'pkg', 'bootstrap'],
    dependsOn: after,
    probe: cmdProbe(['pkg', '-N'], 'pkg is bootstrapped'),
  });
  ids.push(boot);
  let frontier = [boot];
  const repoIds: string[] = [];
  pkgRepos?.repositories.forEach((r, k) => {
    if (!/^[A-Za-z0-9_-]+$/.test(r.name)) {
      c.error(
        `software.repositories.pkg.repositories[${k}].name`,
        `"${r.name}" is not a repository name`,
        'use letters, digits, _ and -',
      );
      return;
    }
    if (/[\n"\\]/.test(r.url)) {
      c.error(
        `software.repositories.pkg.repositories[${k}].url`,
        'the URL contains a quote, backslash or line break',
      );
      return;
    }
    const sig = r.signature_type ?? pkgRepos.signature_type;
    if (sig === 'fingerprints' && r.name !== 'FreeBSD')
      c.warn(
        `software.repositories.pkg.repositories[${k}]`,
        `repository ${r.name} checks fingerprints from /usr/local/etc/pkg/fingerprints/${r.name}`,
        'put its trusted fingerprints there, or set signature_type',
      );
    repoIds.push(
      c.file({
        id: `pkg:repo:${r.name}`,
        title: `Configure the pkg repository ${r.name} (${r.url})`,
        path: `/usr/local/etc/pkg/repos/${r.name}.conf`,
        content: freebsdRepoConf(r, pkgRepos.signature_type),
        mode: '0644',
        dependsOn: frontier,
      }),
    );
  });
  if (pkgRepos?.proxy)
    c.warn(
      'software.repositories.pkg.proxy',
      'the pkg proxy is not applied',
      'set PKG_ENV { http_proxy: … } in /usr/local/etc/pkg.conf',
    );
  if (repoIds.length) frontier = repoIds;
  ids.push(...repoIds);
  ids.push(
    ...packageChain(c, s, frontier, {
      refresh:
        s.update_on_boot || repoIds.length
          ? {
              id: 'pkg:update',
              title: 'Update the package catalogs (pkg update)',
              argv: ['pkg', 'update'],
            }
          : undefined,
      upgrade: s.upgrade_on_boot
        ? {
            id: 'pkg:upgrade',
            title: 'Upgrade all packages',
            argv: ['pkg', 'upgrade', '-y'],
            probe: 'pkg upgrade does nothing when all is current',
          }
        : undefined,
      install: (pkgs) => ({ argv: ['pkg', 'install', '-y', ...pkgs] }),
      remove: (pkgs) => ['pkg', 'delete', '-y', ...pkgs],
      // ⚠ pkg-info(8): -e exits 0 when the named packages are installed.
      installed: (pkgs) => cmdProbe(['pkg', 'info', '-e', ...pkgs], 'all packages are installed'),
      absent: (pkgs) =>
        shProbe(
          'for p in "$@"; do pkg info -e "$p" && exit 1; done; exit 0',
          pkgs,
          'none of the packages is installed',
        ),
    }),
  );
  return ids;
}

/** apt key from a key server into a binary keyring. $1 keyring path, $2 key server, $3 key id. */
const APT_KEY_SCRIPT =
  'd=$(dirname "$1") && mkdir -p "$d" && GNUPGHOME=$(mktemp -d) && export GNUPGHOME || exit 1; ' +
  'if gpg --batch --quiet --keyserver "$2" --recv-keys "$3" && t=$(mktemp "$d/.slipway.XXXXXX") && gpg --batch --export "$3" > "$t" && chmod 0644 "$t" && mv -f "$t" "$1"; ' +
  'then rm -rf "$GNUPGHOME"; exit 0; fi; rm -rf "$GNUPGHOME"; rm -f "$t"; exit 1';

/** Append a line to /etc/apk/repositories unless it is there. $1 the repository URL. */
const APK_REPO_SCRIPT =
  'grep -qxF -e "$1" /etc/apk/repositories 2>/dev/null || printf "%s\\n" "$1" >> /etc/apk/repositories';

function linuxPackages(c: Ctx, s: SoftwareConfig, after: string[]): string[] {
  const { t } = c;
  const r = s.repositories;
  const kinds = [r?.apt && 'apt', r?.yum && 'yum', r?.apk && 'apk'].filter(Boolean);
  const pm = linuxPackageManager(s);
  if (kinds.length > 1)
    c.warn(
      'software.repositories',
      `${kinds.join(', ')} repositories are all given: the distribution is unknown at plan time, so none of them is configured`,
      'keep only the repositories of the target distribution',
    );
  const ids: string[] = [];
  let frontier = after;
  const repoIds: string[] = [];
  const bad = (rel: string, v: string) => {
    if (/[\n\r\0]/.test(v) || (rel.endsWith('name') && !/^[A-Za-z0-9_.-]+$/.test(v))) {
      c.error(
        rel,
        `"${v}" cannot go into a repository file`,
        'names use letters, digits, ., _ and -; no line breaks anywhere',
      );
      return true;
    }
    return false;
  };
  if (pm === 'apt' && r?.apt) {
    const apt = r.apt;
    if (apt.proxy && !bad('software.repositories.apt.proxy', apt.proxy))
      repoIds.push(
        c.file({
          id: 'apt:proxy',
          title: `Use the apt proxy ${apt.proxy}`,
          path: '/etc/apt/apt.conf.d/90slipway-proxy',
          content: `Acquire::http::Proxy ${JSON.stringify(apt.proxy)};\nAcquire::https::Proxy ${JSON.stringify(apt.proxy)};\n`,
          mode: '0644',
          dependsOn: frontier,
        }),
      );
    apt.sources.forEach((src, k) => {
      const base = `software.repositories.apt.sources[${k}]`;
      if (
        bad(`${base}.name`, src.name) ||
        [src.uri, ...src.suites, ...src.components].some((v) => bad(base, v) || /\s/.test(v))
      )
        return;
      const name = fileNamePart(src.name);
      let keyring: string | undefined;
      const deps = [...frontier];
      if (src.key_content) {
        keyring = `/etc/apt/keyrings/${name}.asc`;
        deps.push(
          c.file({
            id: `apt:key:${src.name}`,
            title: `Install the signing key of apt source ${src.name}`,
            path: keyring,
            content: src.key_content.endsWith('\n') ? src.key_content : `${src.key_content}\n`,
            mode: '0644',
            dependsOn: frontier,
          }),
        );
      } else if (src.key_id && src.key_server) {
        keyring = `/etc/apt/keyrings/${name}.gpg`;
        deps.push(
          c.add({
            id: `apt:key:${src.name}`,
            title: `Fetch key ${src.key_id} of apt source ${src.name} from ${src.key_server}`,
            argv: ['sh', '-c', APT_KEY_SCRIPT, 'sh', keyring, src.key_server, src.key_id],
            dependsOn: frontier,
            probe: cmdProbe(['test', '-s', keyring], `${keyring} exists`),
          }),
        );
      } else if (src.key_id)
        c.warn(
          `${base}.key_id`,
          'a key id without key_server is not fetched',
          'add key_server or key_content',
        );
      const opts = keyring ? ` [signed-by=${keyring}]` : '';
      const lines = src.suites.map((suite) =>
        `deb${opts} ${src.uri} ${suite} ${src.components.join(' ')}`.trimEnd(),
      );
      repoIds.push(
        c.file({
          id: `apt:source:${src.name}`,
          title: `Add the apt source ${src.name} (${src.uri})`,
          path: `/etc/apt/sources.list.d/${name}.list`,
          content: `# Written by slipway\n${lines.join('\n')}\n`,
          mode: '0644',
          dependsOn: deps,
        }),
      );
    });
    for (const ppa of apt.ppas) {
      if (bad('software.repositories.apt.ppas', ppa)) continue;
      repoIds.push(
        c.add({
          id: `apt:ppa:${ppa}`,
          title: `Add ${ppa} (Ubuntu)`,
          argv: ['add-apt-repository', '-y', '-n', ppa],
          dependsOn: frontier,
          probe: journal(`${ppa} added`),
        }),
      );
    }
    const prefs = Object.entries(apt.preferences);
    if (
      prefs.length &&
      !prefs.some(([p]) => bad('software.repositories.apt.preferences', p) || /\s/.test(p))
    )
      repoIds.push(
        c.file({
          id: 'apt:preferences',
          title: `Pin package priorities (${prefs.map(([p, v]) => `${p}=${v}`).join(', ')})`,
          path: '/etc/apt/preferences.d/slipway',
          content: prefs
            .map(([p, v]) => `Package: ${p}\nPin: version *\nPin-Priority: ${v}\n`)
            .join('\n'),
          mode: '0644',
          dependsOn: frontier,
        }),
      );
  }
  if (pm === 'dnf' && r?.yum) {
    const yum = r.yum;
    yum.repositories.forEach((repo, k) => {
      const base = `software.repositories.yum.repositories[${k}]`;
      if (
        bad(`${base}.name`, repo.id) ||
        [repo.name, repo.baseurl, repo.gpgkey ?? '', yum.proxy ?? ''].some((v) => bad(base, v))
      )
        return;
      const lines = [
        `[${repo.id}]`,
        `name=${repo.name}`,
        `baseurl=${repo.baseurl}`,
        `enabled=${repo.enabled ? 1 : 0}`,
        `gpgcheck=${yum.gpgcheck ? 1 : 0}`,
      ];
      if (repo.gpgkey) lines.push(`gpgkey=${repo.gpgkey}`);
      if (yum.proxy) lines.push(`proxy=${yum.proxy}`);
      repoIds.push(
        c.file({
          id: `yum:repo:${repo.id}`,
          title: `Add the package repository ${repo.id} (${repo.baseurl})`,
          path: `/etc/yum.repos.d/${fileNamePart(repo.id)}.repo`,
          content: `# Written by slipway\n${lines.join('\n')}\n`,
          mode: '0644',
          dependsOn: frontier,
        }),
      );
    });
  }
  if (pm === 'apk' && r?.apk) {
    r.apk.repositories.forEach((url, k) => {
      if (bad(`software.repositories.apk.repositories[${k}]`, url)) return;
      repoIds.push(
        c.add({
          id: `apk:repo:${url}`,
          title: `Add the apk repository ${url}`,
          argv: ['sh', '-c', APK_REPO_SCRIPT, 'sh', url],
          dependsOn: frontier,
          probe: cmdProbe(['grep', '-qxF', '-e', url, '/etc/apk/repositories'], `${url} is listed`),
        }),
      );
    });
    if (r.apk.proxy)
      c.warn(
        'software.repositories.apk.proxy',
        'the apk proxy is not applied',
        'set http_proxy for apk with a script',
      );
    if (r.apk.cache_dir)
      c.warn('software.repositories.apk.cache_dir', 'the apk cache directory is not applied');
  }
  if (repoIds.length) frontier = repoIds;
  ids.push(...repoIds);
  const refresh = s.update_on_boot || repoIds.length > 0;
  if (s.update_on_boot && !pm && !t.minimal)
    c.warn(
      'software.update_on_boot',
      'the package manager is unknown at plan time: lists are refreshed only as part of installing (apt)',
      'configure one kind of repository so the plan knows the distribution',
    );
  if (s.upgrade_on_boot && !pm)
    c.warn(
      'software.upgrade_on_boot',
      `upgrading is not applied ${c.where}: the package manager is unknown at plan time`,
    );
  ids.push(
    ...packageChain(c, s, frontier, {
      refresh:
        refresh && pm
          ? {
              id: 'packages:refresh',
              title: 'Refresh the package lists',
              argv:
                pm === 'apt'
                  ? ['apt-get', '-q', 'update']
                  : pm === 'dnf'
                    ? ['dnf', '-y', 'makecache']
                    : ['apk', 'update'],
            }
          : undefined,
      upgrade:
        s.upgrade_on_boot && pm
          ? {
              id: 'packages:upgrade',
              title: 'Upgrade all packages',
              argv:
                pm === 'apt'
                  ? ['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-y', '-q', 'upgrade']
                  : pm === 'dnf'
                    ? ['dnf', '-y', 'upgrade']
                    : ['apk', 'upgrade'],
              probe: 'an upgrade does nothing when all is current',
            }
          : undefined,
      install: (pkgs) => ({
        argv: linuxInstallArgv(pm, pkgs),
        titleSuffix: pm ? '' : ' (with the package manager found there)',
      }),
      remove: (pkgs) => linuxRemoveArgv(pm, pkgs),
      installed: (pkgs) =>
        cmdProbe(linuxPackagesProbeArgv('installed', pkgs), 'all packages are installed'),
      absent: (pkgs) =>
        cmdProbe(linuxPackagesProbeArgv('absent', pkgs), 'none of the packages is installed'),
    }),
  );
  return ids;
}

// ── users ───────────────────────────────────────────────────────────────────

export function sudoersPath(os: Platform, user: string): string {
  const dir = os === 'freebsd' ? '/usr/local/etc/sudoers.d' : '/etc/sudoers.d';
  // sudo skips drop-ins whose name contains a dot (reference §7.4).
  return `${dir}/90-slipway-${fileNamePart(user, false)}`;
}

function defaultHome(c: Ctx, u: UserConfig): string {
  if (u.home_directory) return u.home_directory;
  // illumos: /home is autofs-managed; homes go under /export/home (reference §7.1).
  return c.t.os === 'illumos' && !c.t.minimal ? `/export/home/${u.name}` : `/home/${u.name}`;
}

function groupStep(c: Ctx, g: string, after: string[]): string {
  const id = c.id(`group:${g}`);
  if (c.t.b.has(id)) return id;
  const { t } = c;
  const argv = t.minimal
    ? ['sh', '-c', CONTAINER_GROUPADD_SCRIPT, 'sh', g]
    : t.os === 'freebsd'
      ? ['pw', 'groupadd', g]
      : ['groupadd', g];
  const probe = t.minimal
    ? shProbe(CONTAINER_GROUP_EXISTS_SCRIPT, [g], `group ${g} exists`)
    : cmdProbe(['getent', 'group', g], `group ${g} exists`);
  return c.add({
    id: `group:${g}`,
    title: `Create group ${g} (when missing)`,
    argv,
    dependsOn: after,
    probe,
  });
}

/** A shell or home directory that cannot go into /etc/passwd. */
function badPasswdPath(v: string | undefined): boolean {
  return v !== undefined && (/[\n\r\0:]/.test(v) || !isAbsolutePath(v));
}

function users(c: Ctx, list: UserConfig[], after: string[]): string[] {
  const { t } = c;
  const ids: string[] = [];
  list.forEach((u, k) => {
    const base = `users[${k}]`;
    if (!ACCOUNT.test(u.name)) {
      c.error(
        `${base}.name`,
        `"${u.name}" is not a user name slipway can create`,
        'start with a letter or _, then letters, digits, ., _ or -; at most 32 characters',
      );
      return;
    }
    // (no spreads or temporary arrays of pairs: this runs for every user of every container)
    const groups = u.primary_group ? [u.primary_group, ...u.groups] : u.groups;
    const badGroup = groups.find((g) => !ACCOUNT.test(g));
    if (badGroup !== undefined) {
      c.error(`${base}.groups`, `"${badGroup}" is not a group name`);
      return;
    }
    const badField =
      u.description !== undefined && /[\n\r\0:]/.test(u.description)
        ? 'description'
        : badPasswdPath(u.shell)
          ? 'shell'
          : badPasswdPath(u.home_directory)
            ? 'home_directory'
            : undefined;
    if (badField) {
      c.error(
        `${base}.${badField}`,
        badField === 'description'
          ? 'the description may not contain a colon or line break (it goes into /etc/passwd)'
          : `${badField} must be an absolute path without a colon`,
      );
      return;
    }
    const groupIds = groups.length ? groups.map((g) => groupStep(c, g, after)) : [];
    const home = defaultHome(c, u);
    const explicitHome =
      u.home_directory ?? (t.os === 'illumos' && !t.minimal && u.create_home ? home : undefined);
    const argv = t.minimal
      ? containerUseraddArgv(u, explicitHome)
      : t.os === 'illumos'
        ? illumosUseraddArgv(u, explicitHome)
        : t.os === 'freebsd'
          ? pwUseraddArgv(u, explicitHome)
          : linuxUseraddArgv(u, explicitHome);
    if (t.os === 'illumos' && !t.minimal && u.system_user)
      c.warn(
        `${base}.system_user`,
        'illumos useradd has no system-user flag: created as a normal account',
        u.uid === undefined ? 'give it a uid (100–999 are customary for services)' : undefined,
      );
    const userId = c.add({
      id: `user:${u.name}`,
      title: `Create user ${u.name}${u.description ? ` (${u.description})` : ''}`,
      argv,
      dependsOn: groupIds.length ? [...after, ...groupIds] : after,
      probe: { kind: 'user-exists', user: u.name },
    });
    for (let i = 0; i < groupIds.length; i++) ids.push(groupIds[i]!);
    ids.push(userId);
    const auth = u.authentication;
    let last = userId;
    const pw = auth.password;
    if (pw) {
      if (/[\n\r:\0]/.test(pw.hash) || !pw.hash)
        c.error(
          `${base}.authentication.password.hash`,
          'a password hash may not be empty or contain a colon or line break',
        );
      else {
        const spec =
          t.os === 'illumos' && !t.minimal
            ? { argv: ['sh', '-c', ILLUMOS_SET_HASH_SCRIPT, 'sh', u.name], stdin: `${pw.hash}\n` }
            : t.os === 'freebsd'
              ? { argv: ['pw', 'usermod', u.name, '-H', '0'], stdin: `${pw.hash}\n` }
              : { argv: ['chpasswd', '-e'], stdin: `${u.name}:${pw.hash}\n` };
        last = c.add({
          id: `user:${u.name}:password`,
          title: `Set the password of ${u.name} (hash on stdin)`,
          ...spec,
          secrets: [pw.hash],
          dependsOn: [userId],
          probe: journal(`password of ${u.name} set`, userId),
        });
        ids.push(last);
        if (pw.expire_on_first_login) {
          // illumos passwd(1) -f; Linux passwd -e; FreeBSD pw(8) -p sets the
          // password change date: ⚠ `-p 1` (a date long past) is assumed to
          // force a change at the next login.
          const argv2 =
            t.os === 'illumos' && !t.minimal
              ? ['passwd', '-f', u.name]
              : t.os === 'freebsd'
                ? ['pw', 'usermod', u.name, '-p', '1']
                : ['passwd', '-e', u.name];
          last = c.add({
            id: `user:${u.name}:expire`,
            title: `Make ${u.name} choose a new password at first login`,
            argv: argv2,
            dependsOn: [last],
            probe: journal(`password of ${u.name} expired once`, userId),
          });
          ids.push(last);
        }
      }
    }
    const owner = u.primary_group ? `${u.name}:${u.primary_group}` : u.name;
    let keysId: string | undefined;
    if (auth.ssh_keys.length) {
      const badKey = auth.ssh_keys.findIndex((key) => /[\n\r\0]/.test(key));
      if (badKey >= 0)
        c.error(`${base}.authentication.ssh_keys[${badKey}]`, 'an ssh key must be one line');
      else {
        keysId = c.file({
          id: `user:${u.name}:ssh-keys`,
          title: `Install ${auth.ssh_keys.length} ssh key${auth.ssh_keys.length === 1 ? '' : 's'} for ${u.name}`,
          path: `${home}/.ssh/authorized_keys`,
          content: auth.ssh_keys.map((key) => key.trim()).join('\n') + '\n',
          mode: '0600',
          owner,
          dirMode: '0700',
          dependsOn: [userId],
        });
        ids.push(keysId);
      }
    }
    if (auth.ssh_import_ids.length) {
      if (t.os === 'linux' && !t.minimal) {
        // Imported keys go to authorized_keys2 (read by sshd's default
        // AuthorizedKeysFile), so that the managed authorized_keys can be
        // rewritten on a later apply without losing them.
        ids.push(
          c.add({
            id: `user:${u.name}:ssh-import`,
            title: `Import ssh keys for ${u.name} (${auth.ssh_import_ids.join(', ')})`,
            argv: ['ssh-import-id', '-o', `${home}/.ssh/authorized_keys2`, ...auth.ssh_import_ids],
            dependsOn: [keysId ?? userId],
            probe: journal(`keys of ${u.name} imported`, userId),
          }),
        );
      } else
        c.warn(
          `${base}.authentication.ssh_import_ids`,
          `ssh-import-id is not available ${c.where}: not applied`,
          'list the keys in ssh_keys instead',
        );
    }
    if (u.sudo !== undefined) {
      const path = sudoersPath(t.os, u.name);
      if (u.sudo === 'deny')
        ids.push(
          c.add({
            id: `user:${u.name}:sudo`,
            title: `No sudo for ${u.name} (remove slipway's drop-in if present)`,
            argv: ['rm', '-f', path],
            dependsOn: [userId],
            probe: cmdProbe(['test', '!', '-e', path], `${path} does not exist`),
          }),
        );
      else {
        const rules = u.sudo === 'unrestricted' ? ['ALL=(ALL) NOPASSWD: ALL'] : u.sudo.custom;
        const badRule = rules.findIndex((r) => /[\n\r\0]/.test(r));
        if (badRule >= 0)
          c.error(`${base}.sudo.custom[${badRule}]`, 'a sudoers rule must be one line');
        else
          ids.push(
            c.file({
              id: `user:${u.name}:sudo`,
              title: `Allow ${u.name} to use sudo (${u.sudo === 'unrestricted' ? 'unrestricted' : `${rules.length} rule${rules.length === 1 ? '' : 's'}`})`,
              path,
              content: `# Written by slipway for ${u.name}\n${rules.map((r) => `${u.name} ${r}`).join('\n')}\n`,
              mode: '0440',
              sudoers: true,
              dependsOn: [userId],
            }),
          );
      }
    }
  });
  return ids;
}

// ── scripts ──────────────────────────────────────────────────────────────────

/** $1 working directory (or empty), $2 output file (or empty), then the command. */
export const RUN_SCRIPT =
  'd=$1; f=$2; shift 2; if [ -n "$d" ]; then cd "$d" || exit 1; fi; if [ -n "$f" ]; then exec "$@" >> "$f" 2>&1; fi; exec "$@"';

function scripts(
  c: Ctx,
  entries: ScriptEntry[],
  phase: 'early' | 'main' | 'late' | 'always',
  after: string[],
): string[] {
  let frontier = after;
  const key = `scripts.${phase}_scripts`;
  entries.forEach((s, k) => {
    const base = `${key}[${k}]`;
    const badEnv = Object.keys(s.environment).find((n) => !ENV_NAME.test(n));
    if (badEnv !== undefined) {
      c.error(`${base}.environment.${badEnv}`, `"${badEnv}" is not an environment variable name`);
      return;
    }
    for (const [rel, v] of [
      ['working_directory', s.working_directory],
      ['output_file', s.output_file],
    ] as const)
      if (v !== undefined && !isAbsolutePath(v)) {
        c.error(`${base}.${rel}`, `${rel} must be an absolute path`);
        return;
      }
    const interp = s.interpreter?.trim().split(/\s+/).filter(Boolean) ?? [];
    if (interp.length && !isAbsolutePath(interp[0]!) && !/^[A-Za-z0-9_.+-]+$/.test(interp[0]!)) {
      c.error(
        `${base}.interpreter`,
        `"${s.interpreter}" is not a program`,
        'e.g. "/bin/sh" or "/usr/bin/env python3"',
      );
      return;
    }
    const file = `${SCRIPTS_DIR}/${fileNamePart(s.id)}`;
    const sid = `script:${phase}:${s.id}`;
    const write = c.file({
      id: `${sid}:write`,
      title: `Write the ${phase} script ${s.id}`,
      path: file,
      content: s.content,
      mode: '0700',
      dependsOn: frontier,
    });
    let argv = [...interp, file];
    if (s.working_directory || s.output_file)
      argv = [
        'sh',
        '-c',
        RUN_SCRIPT,
        'sh',
        s.working_directory ?? '',
        s.output_file ?? '',
        ...argv,
      ];
    const env = Object.entries(s.environment);
    if (env.length) argv = ['env', ...env.map(([n, v]) => `${n}=${v}`), ...argv];
    const secrets = envSecrets(s.environment);
    const extras = [
      s.working_directory && `in ${s.working_directory}`,
      s.output_file && `output to ${s.output_file}`,
      s.timeout && `timeout ${s.timeout}s`,
    ].filter(Boolean);
    const run = c.add({
      id: sid,
      title: `Run the ${phase} script ${s.id}${extras.length ? ` (${extras.join(', ')})` : ''}`,
      argv,
      ...(secrets.length ? { secrets } : {}),
      ...(s.timeout ? { timeoutSeconds: s.timeout } : {}),
      dependsOn: [write],
      probe:
        phase === 'always'
          ? always('an always script')
          : journal(
              s.run_once
                ? `run once: ${s.id} has run`
                : `${s.id} has run in this journal (scripts run once per apply journal; use always_scripts to run on every apply)`,
            ),
    });
    frontier = [run];
  });
  return frontier === after ? [] : frontier;
}

// ── integrations and power state ─────────────────────────────────────────────

function integrations(c: Ctx, config: UnifiedConfig, after: string[]): string[] {
  const i = config.integrations;
  const ids: string[] = [];
  let frontier = after;
  if (i.ansible) {
    const a = i.ansible;
    const argv = ['ansible-pull', '-U', a.repository_url];
    if (a.revision) argv.push('-C', a.revision);
    const deps = [...frontier];
    const secrets: string[] = [];
    if (a.vault_password) {
      const path = '/var/lib/slipway/ansible-vault-password';
      secrets.push(a.vault_password);
      deps.push(
        c.file({
          id: 'ansible:vault-password',
          title: 'Write the Ansible vault password (mode 0600)',
          path,
          content: `${a.vault_password}\n`,
          mode: '0600',
          secrets,
          dependsOn: frontier,
        }),
      );
      argv.push('--vault-password-file', path);
    }
    if (Object.keys(a.extra_vars).length) argv.push('-e', JSON.stringify(a.extra_vars));
    argv.push(a.playbook_path);
    const id = c.add({
      id: 'ansible',
      title: `Run ansible-pull ${a.playbook_path} from ${a.repository_url} (needs ansible installed)`,
      argv,
      secrets,
      dependsOn: deps,
      probe: journal('ansible-pull has run'),
    });
    ids.push(id);
    frontier = [id];
  }
  if (i.puppet) {
    const p = i.puppet;
    const argv = [
      'puppet',
      'agent',
      '--onetime',
      '--no-daemonize',
      '--verbose',
      '--server',
      p.server,
    ];
    if (p.environment) argv.push('--environment', p.environment);
    if (p.certname) argv.push('--certname', p.certname);
    let id = c.add({
      id: 'puppet',
      title: `Run the Puppet agent once against ${p.server} (needs puppet installed)`,
      argv,
      dependsOn: frontier,
      probe: journal('the puppet agent has run'),
    });
    ids.push(id);
    if (p.daemon) {
      id = c.add({
        id: 'puppet:service',
        title: 'Enable and start the Puppet agent service',
        argv: ['puppet', 'resource', 'service', 'puppet', 'ensure=running', 'enable=true'],
        dependsOn: [id],
        probe: always('puppet resource is idempotent'),
      });
      ids.push(id);
    }
    frontier = [id];
  }
  if (i.chef) {
    const ch = i.chef;
    const rb = (v: string) => JSON.stringify(v).replace(/#/g, '\\#');
    const key = c.file({
      id: 'chef:validation-key',
      title: 'Write the Chef validation key (mode 0600)',
      path: '/etc/chef/validation.pem',
      content: ch.validation_key.endsWith('\n') ? ch.validation_key : `${ch.validation_key}\n`,
      mode: '0600',
      secrets: [ch.validation_key.trim()],
      dependsOn: frontier,
    });
    const client = c.file({
      id: 'chef:client.rb',
      title: `Write /etc/chef/client.rb (${ch.server_url})`,
      path: '/etc/chef/client.rb',
      content: `# Written by slipway\nchef_server_url ${rb(ch.server_url)}\nnode_name ${rb(ch.node_name)}\nvalidation_client_name ${rb(ch.validation_client_name)}\nvalidation_key "/etc/chef/validation.pem"\n`,
      mode: '0644',
      dependsOn: frontier,
    });
    const argv = ['chef-client'];
    if (ch.run_list.length) argv.push('-r', ch.run_list.join(','));
    const id = c.add({
      id: 'chef',
      title: `Run chef-client as ${ch.node_name} (needs chef installed)`,
      argv,
      dependsOn: [key, client],
      probe: journal('chef-client has run'),
    });
    ids.push(key, client, id);
    frontier = [id];
  }
  return ids.length ? frontier : [];
}

function powerState(c: Ctx, config: UnifiedConfig, after: string[]): string[] {
  const ps = config.power_state;
  if (!ps || ps.mode === 'noop') return [];
  if (!c.t.isHost) {
    c.warn(
      'power_state',
      `power_state ${c.where} is not applied: only the host powers off or reboots`,
    );
    return [];
  }
  // delay is in minutes, as shutdown(8) takes it on Linux and FreeBSD (and cloud-init's power_state).
  const minutes = ps.delay ?? 0;
  const msg = ps.message ? [ps.message] : [];
  let argv: string[];
  const os = c.t.os;
  if (os === 'illumos') {
    const level = ps.mode === 'reboot' ? '6' : ps.mode === 'poweroff' ? '5' : '0';
    argv = ['shutdown', '-y', '-g', String(minutes * 60), '-i', level, ...msg];
  } else {
    const flag =
      ps.mode === 'reboot' ? '-r' : ps.mode === 'halt' ? '-h' : os === 'freebsd' ? '-p' : '-P';
    argv = ['shutdown', flag, minutes ? `+${minutes}` : 'now', ...msg];
  }
  const what = ps.mode === 'reboot' ? 'Reboot' : ps.mode === 'halt' ? 'Halt' : 'Power off';
  return [
    c.add({
      id: 'power-state',
      title: `FINAL STEP: ${what} the machine${minutes ? ` in ${minutes} min` : ''} (power_state.mode=${ps.mode})`,
      argv,
      dependsOn: after,
      probe: journal(`the ${ps.mode} was requested`),
    }),
  ];
}
