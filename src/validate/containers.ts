/**
 * Zones (illumos), jails (FreeBSD) and Linux containers: names, paths,
 * networks, resource caps, ports and volumes; each nested `sysconfig` is handed
 * back to the caller to be checked as a config of its own.
 */
import type {
  ContainerConfig,
  ContainersConfig,
  JailConfig,
  UnifiedConfig,
  ZoneConfig,
} from '../schema/config.js';
import { didYouMean, type PathSegment } from '../schema/diagnostics.js';
import { parseSize } from '../schema/size.js';
import type { Ctx, NestedIn } from './context.js';
import {
  containerNameProblems,
  datasetNameProblems,
  envNameProblem,
  hostnameProblem,
  jailNameProblems,
  linkNameProblem,
  zoneNameProblems,
} from './names.js';
import { cidrProblem, isIpAddress } from './net.js';
import { duplicates, q, reportNameProblems, type Path } from './report.js';

export type CheckNested = (config: UnifiedConfig, path: Path, nested: NestedIn) => void;

export const ZONE_BRANDS = [
  'sparse',
  'whole-root',
  'ipkg',
  'lipkg',
  'nlipkg',
  'pkgsrc',
  'lx',
  'bhyve',
  'kvm',
  'illumos',
  'emu',
];

/** zonecfg global properties (and resources Slipway maps from `properties`). */
const ZONE_PROPERTIES = [
  'autoboot',
  'bootargs',
  'pool',
  'limitpriv',
  'ip-type',
  'hostid',
  'fs-allowed',
  'scheduling-class',
  'file-mac-profile',
  'cpu-shares',
  'max-lwps',
  'max-processes',
  'max-shm-memory',
  'max-shm-ids',
  'max-msg-ids',
  'max-sem-ids',
  'max-lofi',
  'max-locked-memory',
  'max-swap',
  'dataset',
  'kernel-version',
  'resolvers',
  'dns-domain',
];

function cleanPath(p: string): string {
  const s = p.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return s === '' ? '/' : s;
}

function isWithin(inner: string, outer: string): boolean {
  return outer === '/' ? inner !== '/' : inner.startsWith(`${outer}/`);
}

function checkAbsoluteDirs(
  ctx: Ctx,
  items: readonly { path: Path; dir: string }[],
  what: string,
): void {
  const r = ctx.report;
  const ok: { path: Path; dir: string }[] = [];
  for (const it of items) {
    if (!it.dir.startsWith('/'))
      r.error(
        it.path,
        `the ${what} ${q(it.dir)} is not an absolute path`,
        `write it as an absolute path, e.g. /zones/web`,
      );
    else if (cleanPath(it.dir) === '/')
      r.error(it.path, `the ${what} cannot be "/"`, 'give each one its own directory');
    else ok.push({ path: it.path, dir: cleanPath(it.dir) });
  }
  for (let i = 0; i < ok.length; i++) {
    const b = ok[i]!;
    // Report each path once, against the first earlier one it clashes with.
    const a = ok
      .slice(0, i)
      .find((x) => x.dir === b.dir || isWithin(b.dir, x.dir) || isWithin(x.dir, b.dir));
    if (!a) continue;
    if (a.dir === b.dir)
      r.error(b.path, `${what} ${q(b.dir)} is used twice`, `give each one its own ${what}`);
    else
      r.error(
        b.path,
        `${what} ${q(b.dir)} and ${q(a.dir)} are nested in each other`,
        `give each one a separate ${what}`,
      );
  }
}

function platformMismatch(ctx: Ctx, path: Path, what: string, on: string): void {
  if (ctx.platform && ctx.platform !== on)
    ctx.report.warning(
      path,
      `${what} exist only on ${on}: they are ignored on ${ctx.platform}`,
      `remove them, or plan for --platform ${on}`,
    );
}

// ── zones ───────────────────────────────────────────────────────────────────

function checkZone(ctx: Ctx, path: Path, zone: ZoneConfig, check: CheckNested): void {
  const r = ctx.report;
  reportNameProblems(ctx, [...path, 'name'], zoneNameProblems(zone.name));
  if (!ZONE_BRANDS.includes(zone.brand)) {
    const guess = didYouMean(zone.brand, ZONE_BRANDS);
    r.warning(
      [...path, 'brand'],
      `unknown zone brand ${q(zone.brand)}`,
      guess ? `did you mean "${guess}"?` : `known brands: ${ZONE_BRANDS.join(', ')}`,
    );
  }
  const props = zone.properties;
  for (const [name, value] of Object.entries(props)) {
    const pp = [...path, 'properties', name];
    if (!ZONE_PROPERTIES.includes(name)) {
      const guess = didYouMean(name, ZONE_PROPERTIES);
      r.warning(
        pp,
        `unknown zone property "${name}"`,
        guess ? `did you mean "${guess}"?` : `known: ${ZONE_PROPERTIES.join(', ')}`,
      );
      continue;
    }
    if (name === 'autoboot' && value !== 'true' && value !== 'false')
      r.error(pp, `${q(value)}: autoboot is "true" or "false"`, 'write "true" or "false"');
    if (name === 'ip-type' && value !== 'exclusive' && value !== 'shared')
      r.error(
        pp,
        `${q(value)}: ip-type is "exclusive" or "shared"`,
        'write "exclusive" or "shared"',
      );
    if (
      [
        'cpu-shares',
        'max-lwps',
        'max-processes',
        'max-shm-ids',
        'max-msg-ids',
        'max-sem-ids',
        'max-lofi',
      ].includes(name) &&
      !/^\d+$/.test(value)
    )
      r.error(pp, `${q(value)}: ${name} is a whole number`, 'write a number');
    if (
      ['max-shm-memory', 'max-locked-memory', 'max-swap'].includes(name) &&
      parseSize(value) === undefined
    )
      r.error(pp, `${q(value)}: ${name} is a size`, 'write a size such as 2G');
    if (name === 'dataset') {
      for (const ds of value.split(',').map((s) => s.trim()))
        reportNameProblems(ctx, pp, datasetNameProblems(ds));
    }
    if (name === 'kernel-version' && zone.brand !== 'lx')
      r.warning(pp, 'kernel-version applies to lx zones only', 'remove it, or set brand "lx"');
  }
  if (props['cpu-shares'] !== undefined && zone.resources?.cpu_shares !== undefined)
    r.warning(
      [...path, 'properties', 'cpu-shares'],
      'cpu-shares is given both here and in resources.cpu_shares',
      'keep only resources.cpu_shares',
    );

  const ipType = props['ip-type'];
  zone.networks.forEach((n, i) => {
    const np = [...path, 'networks', i];
    const problem = linkNameProblem(n.physical);
    if (problem)
      r.error([...np, 'physical'], `${q(n.physical)}: ${problem}`, 'rename the link, e.g. "vnic0"');
    if (n.address !== undefined) {
      const p = cidrProblem(n.address, false);
      if (p) r.error([...np, 'address'], p, 'write an address with its prefix, e.g. 192.0.2.10/24');
    } else if (ipType === 'shared')
      r.error(
        [...np, 'address'],
        'a shared-IP zone needs an address on each net',
        'add address, e.g. 192.0.2.10/24',
      );
    if (n.defrouter !== undefined) {
      if (n.defrouter.includes('/'))
        r.error(
          [...np, 'defrouter'],
          'defrouter takes an address without a prefix length',
          `write ${q(n.defrouter.split('/')[0]!)}`,
        );
      else if (!isIpAddress(n.defrouter))
        r.error(
          [...np, 'defrouter'],
          `${q(n.defrouter)} is not an IP address`,
          "write the router's address, e.g. 192.0.2.1",
        );
      if (n.address === undefined)
        r.error(
          [...np, 'defrouter'],
          'defrouter needs an address on the same net',
          'add address, or remove defrouter',
        );
    }
  });
  for (const [phys, idx] of duplicates(zone.networks, (n) => n.physical))
    for (const i of idx.slice(1))
      r.error(
        [...path, 'networks', i, 'physical'],
        `link ${q(phys)} is used twice in this zone`,
        'give each net its own link (VNIC)',
      );

  const res = zone.resources;
  if (res) {
    if (res.cpu_cap !== undefined && !(res.cpu_cap > 0))
      r.error(
        [...path, 'resources', 'cpu_cap'],
        'cpu_cap must be greater than 0',
        'write the number of CPUs, e.g. 1.5',
      );
    if (res.cpu_shares !== undefined && (res.cpu_shares < 0 || res.cpu_shares > 65535))
      r.error(
        [...path, 'resources', 'cpu_shares'],
        'cpu_shares must be from 0 to 65535',
        'write a share count such as 100',
      );
    for (const f of ['physical_memory_cap', 'swap_memory_cap'] as const) {
      const v = res[f];
      if (v !== undefined && !parseSize(v))
        r.error(
          [...path, 'resources', f],
          `${q(v)} is not a size`,
          'write a size such as 2G or 512M',
        );
    }
    const phys = res.physical_memory_cap ? parseSize(res.physical_memory_cap) : undefined;
    const swap = res.swap_memory_cap ? parseSize(res.swap_memory_cap) : undefined;
    if (phys && swap && swap < phys)
      r.warning(
        [...path, 'resources', 'swap_memory_cap'],
        'the swap cap is smaller than the physical memory cap, so the zone can never use all its memory',
        'make swap_memory_cap at least physical_memory_cap',
      );
  }

  if (zone.sysconfig) {
    if (['bhyve', 'kvm', 'emu'].includes(zone.brand))
      r.warning(
        [...path, 'sysconfig'],
        `a ${zone.brand} zone runs a virtual machine: zlogin reaches the zone, not the guest, so this sysconfig cannot be applied`,
        'configure the guest with its own installer or cloud-init, and remove sysconfig',
      );
    else if (zone.state !== 'running')
      r.warning(
        [...path, 'sysconfig'],
        `sysconfig is applied with zlogin, which needs the zone running, but its state is "${zone.state}"`,
        'set state "running", or remove sysconfig',
      );
    const delegated = (props.dataset ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    check(zone.sysconfig, [...path, 'sysconfig'], { kind: 'zone', name: zone.name, delegated });
  }
}

// ── jails ───────────────────────────────────────────────────────────────────

function checkJail(ctx: Ctx, path: Path, jail: JailConfig, check: CheckNested): void {
  const r = ctx.report;
  reportNameProblems(ctx, [...path, 'name'], jailNameProblems(jail.name));
  if (jail.jid !== undefined && jail.jid < 1)
    r.error(
      [...path, 'jid'],
      'a jail ID is a positive number',
      'remove jid to let the kernel choose, or use 1 or more',
    );
  if (jail.hostname !== undefined) {
    const p = hostnameProblem(jail.hostname);
    if (p) r.error([...path, 'hostname'], p, 'write a host name such as web.example.org');
  }
  jail.ip_addresses.forEach((a, i) => {
    // jail.conf accepts "iface|addr/mask"
    const bar = a.indexOf('|');
    const addr = bar >= 0 ? a.slice(bar + 1) : a;
    const p = cidrProblem(addr, false);
    if (p)
      r.error(
        [...path, 'ip_addresses', i],
        p,
        'write an IPv4 or IPv6 address, optionally with a prefix (192.0.2.10/24)',
      );
  });
  jail.interfaces.forEach((n, i) => {
    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(n))
      r.error(
        [...path, 'interfaces', i],
        `${q(n)} is not an interface name`,
        'write a host interface such as em0',
      );
  });
  if (jail.interfaces.length > 1 && jail.interfaces.length !== jail.ip_addresses.length)
    r.warning(
      [...path, 'interfaces'],
      `${jail.interfaces.length} interfaces for ${jail.ip_addresses.length} addresses`,
      'give one interface for all addresses, or one per address',
    );
  for (const key of Object.keys(jail.parameters)) {
    if (!/^[a-z][a-z0-9_.]*$/.test(key))
      r.error(
        [...path, 'parameters', key],
        `${q(key)} is not a jail parameter name`,
        'see jail(8) for parameter names such as allow.raw_sockets',
      );
    else if (['path', 'name', 'host.hostname', 'ip4.addr', 'ip6.addr', 'interface'].includes(key))
      r.warning(
        [...path, 'parameters', key],
        `${key} is also set from the jail's own fields`,
        'set it with the jail field instead (path, hostname, ip_addresses, interfaces)',
      );
  }
  if (jail.sysconfig)
    check(jail.sysconfig, [...path, 'sysconfig'], { kind: 'jail', name: jail.name, delegated: [] });
}

// ── containers ──────────────────────────────────────────────────────────────

const BIND_OPTIONS = new Set([
  'ro',
  'rw',
  'z',
  'Z',
  'U',
  'O',
  'exec',
  'noexec',
  'suid',
  'nosuid',
  'dev',
  'nodev',
  'bind',
  'rbind',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'private',
  'rprivate',
  'idmap',
  'nocreate',
  'copy',
  'nocopy',
  'consistent',
  'cached',
  'delegated',
  'nocopy',
  'chown',
]);

/** `resources[field]` of the container at `container` (the path is made for a finding only). */
function containerMemory(
  ctx: Ctx,
  container: Path,
  field: 'memory_limit' | 'memory_swap_limit',
  text: string | undefined,
  allowUnlimited: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  if (allowUnlimited && text === '-1') return Infinity;
  const bytes = parseSize(text);
  if (bytes === undefined || bytes === 0) {
    ctx.report.error(
      [...container, 'resources', field],
      `${q(text)} is not a memory size`,
      `write a size such as 512M or 2G${allowUnlimited ? ', or -1 for unlimited swap' : ''}`,
    );
    return undefined;
  }
  if (bytes < 6 * 2 ** 20)
    ctx.report.warning(
      [...container, 'resources', field],
      'docker and podman refuse memory limits under 6M',
      'use at least 6M',
    );
  return bytes;
}

const PORT_FIELDS = ['host_port', 'container_port'] as const;

function checkContainer(ctx: Ctx, path: Path, c: ContainerConfig, check: CheckNested): void {
  const r = ctx.report;
  reportNameProblems(ctx, [...path, 'name'], containerNameProblems(c.name));
  if (c.image.trim() === '' || /\s/.test(c.image))
    r.error(
      [...path, 'image'],
      `${q(c.image)} is not an image reference`,
      'write an image such as docker.io/library/nginx:1.25',
    );
  if (c.runtime === 'containerd')
    r.warning(
      [...path, 'runtime'],
      'Slipway runs containers with podman or docker only; containerd is not applied',
      'use "podman" or "docker"',
    );
  if (c.command !== undefined && c.command.length === 0)
    r.error(
      [...path, 'command'],
      'command is an empty list',
      'remove it, or give the program and its arguments',
    );
  for (const key of Object.keys(c.environment)) {
    const p = envNameProblem(key);
    if (p) r[p.severity]([...path, 'environment', key], p.message, p.hint);
  }
  // Paths are made for a finding only (this runs for every port and volume).
  c.ports.forEach((p, i) => {
    for (const f of PORT_FIELDS)
      if (p[f] < 1 || p[f] > 65535)
        r.error(
          [...path, 'ports', i, f],
          `port ${p[f]} is out of range`,
          'use a port from 1 to 65535',
        );
    if (p.host_ip !== undefined && p.host_ip !== '' && !isIpAddress(p.host_ip))
      r.error(
        [...path, 'ports', i, 'host_ip'],
        `${q(p.host_ip)} is not an IP address`,
        'write an address such as 127.0.0.1, or remove host_ip to listen on all',
      );
  });
  const targets = new Map<string, number>();
  c.volumes.forEach((v, i) => {
    const vp = (...rest: PathSegment[]): Path => [...path, 'volumes', i, ...rest];
    if (!v.target.startsWith('/'))
      r.error(
        vp('target'),
        `${q(v.target)} is not an absolute path in the container`,
        'write an absolute path, e.g. /data',
      );
    else {
      const t = cleanPath(v.target);
      const prev = targets.get(t);
      if (prev !== undefined)
        r.error(
          vp('target'),
          `${q(t)} is mounted twice (also volumes[${prev}])`,
          'give each volume its own target',
        );
      else targets.set(t, i);
    }
    switch (v.mount_type) {
      case 'bind':
        if (!v.source.startsWith('/'))
          r.error(
            vp('source'),
            `a bind mount needs an absolute host path, not ${q(v.source)}`,
            /^[A-Za-z0-9]/.test(v.source)
              ? 'write an absolute path, or set mount_type "volume" for a named volume'
              : 'write an absolute host path',
          );
        v.options.forEach((o, j) => {
          if (!BIND_OPTIONS.has(o))
            r.warning(
              vp('options', j),
              `unknown bind mount option ${q(o)}`,
              `known: ro, rw, z, Z, U, O, [no]exec, [no]suid, [no]dev, [r]bind, [r]shared, [r]slave, [r]private`,
            );
        });
        break;
      case 'volume':
        if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v.source))
          r.error(
            vp('source'),
            `${q(v.source)} is not a volume name`,
            v.source.startsWith('/')
              ? 'set mount_type "bind" for a host path'
              : 'name the volume with letters, digits, "_", "." and "-"',
          );
        break;
      case 'tmpfs':
        if (v.source !== '' && v.source !== 'tmpfs')
          r.warning(
            vp('source'),
            'a tmpfs mount has no source; it is ignored',
            'write "tmpfs" or leave it empty',
          );
        v.options.forEach((o, j) => {
          const m = /^([a-z]+)(?:=(.*))?$/.exec(o);
          if (m?.[1] === 'size' && (m[2] === undefined || parseSize(m[2]) === undefined))
            r.error(vp('options', j), `${q(o)}: size needs a size`, 'write e.g. size=64m');
          else if (m?.[1] === 'mode' && !/^[0-7]{3,4}$/.test(m[2] ?? ''))
            r.error(vp('options', j), `${q(o)}: mode is octal`, 'write e.g. mode=1777');
          else if (
            !m ||
            ![
              'size',
              'mode',
              'rw',
              'ro',
              'exec',
              'noexec',
              'suid',
              'nosuid',
              'dev',
              'nodev',
              'tmpcopyup',
              'notmpcopyup',
              'uid',
              'gid',
              'nr_inodes',
              'U',
            ].includes(m[1]!)
          )
            r.warning(
              vp('options', j),
              `unknown tmpfs option ${q(o)}`,
              'known: size=, mode=, uid=, gid=, [no]exec, [no]suid, [no]dev, ro, rw',
            );
        });
        break;
    }
  });
  c.networks.forEach((n, i) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(n))
      r.error(
        [...path, 'networks', i],
        `${q(n)} is not a network name`,
        'use letters, digits, "_", "." and "-"',
      );
  });
  if ((c.networks.includes('host') || c.networks.includes('none')) && c.networks.length > 1)
    r.error(
      [...path, 'networks'],
      'the "host" and "none" networks cannot be combined with others',
      'use one of them alone',
    );
  if (c.networks.includes('host') && c.ports.length > 0)
    r.warning(
      [...path, 'ports'],
      'published ports are ignored with the host network',
      'remove ports, or use a bridge network',
    );
  const res = c.resources;
  if (res) {
    if (res.cpu_limit !== undefined && !(res.cpu_limit > 0))
      r.error(
        [...path, 'resources', 'cpu_limit'],
        'cpu_limit must be greater than 0',
        'write a number of CPUs, e.g. 1.5',
      );
    const mem = containerMemory(ctx, path, 'memory_limit', res.memory_limit, false);
    const swap = containerMemory(ctx, path, 'memory_swap_limit', res.memory_swap_limit, true);
    if (swap !== undefined && res.memory_limit === undefined)
      r.error(
        [...path, 'resources', 'memory_swap_limit'],
        'memory_swap_limit needs memory_limit',
        'add memory_limit (the swap limit is memory plus swap)',
      );
    else if (mem !== undefined && swap !== undefined && swap < mem)
      r.error(
        [...path, 'resources', 'memory_swap_limit'],
        'memory_swap_limit is memory plus swap, so it cannot be smaller than memory_limit',
        `make it at least ${res.memory_limit}`,
      );
  }
  if (c.sysconfig && c.state !== 'running')
    r.warning(
      [...path, 'sysconfig'],
      `sysconfig is applied with ${c.runtime === 'docker' ? 'docker' : 'podman'} exec, which needs the container running, but its state is "${c.state}"`,
      'set state "running", or remove sysconfig',
    );
  if (c.sysconfig)
    check(c.sysconfig, [...path, 'sysconfig'], { kind: 'container', name: c.name, delegated: [] });
}

/**
 * Host ports published twice on the same address and protocol (a wildcard
 * address clashes with all). The ports seen so far are kept by port number:
 * only those can clash, and searching every one before was quadratic (200
 * containers: 20,000 comparisons, a path array and a string per port).
 */
function checkPortClashes(ctx: Ctx, base: Path, containers: readonly ContainerConfig[]): void {
  const seen = new Map<number, { proto: string; ip: string; owner: ContainerConfig }[]>();
  for (let ci = 0; ci < containers.length; ci++) {
    const c = containers[ci]!;
    for (let pi = 0; pi < c.ports.length; pi++) {
      const p = c.ports[pi]!;
      const ip =
        p.host_ip === undefined || p.host_ip === '' || p.host_ip === '0.0.0.0' || p.host_ip === '::'
          ? '*'
          : p.host_ip;
      let same = seen.get(p.host_port);
      if (!same) seen.set(p.host_port, (same = []));
      const clash = same.find(
        (s) => s.proto === p.protocol && (s.ip === ip || s.ip === '*' || ip === '*'),
      );
      if (clash)
        ctx.report.error(
          [...base, ci, 'ports', pi, 'host_port'],
          `host port ${p.host_port}/${p.protocol} is already published by container "${clash.owner.name}"`,
          'use another host port, or bind the two to different host_ip addresses',
        );
      else same.push({ proto: p.protocol, ip, owner: c });
    }
  }
}

export function checkContainers(
  ctx: Ctx,
  base: Path,
  cs: ContainersConfig,
  nested: NestedIn | undefined,
  check: CheckNested,
): void {
  const r = ctx.report;
  if (nested) {
    // A nested config is the inside of one zone/jail/container: no containers in it.
    for (const kind of ['zones', 'jails', 'containers'] as const)
      if (cs[kind].length > 0)
        r.error(
          [...base, kind],
          `a nested config (inside ${nested.kind} "${nested.name}") cannot declare ${kind}`,
          `declare them in the top-level config's containers.${kind}`,
        );
    return;
  }
  if (cs.zones.length) platformMismatch(ctx, [...base, 'zones'], 'zones', 'illumos');
  if (cs.jails.length) platformMismatch(ctx, [...base, 'jails'], 'jails', 'freebsd');
  if (cs.containers.length)
    platformMismatch(ctx, [...base, 'containers'], 'Linux containers', 'linux');

  cs.zones.forEach((z, i) => checkZone(ctx, [...base, 'zones', i], z, check));
  cs.jails.forEach((j, i) => checkJail(ctx, [...base, 'jails', i], j, check));
  cs.containers.forEach((c, i) => checkContainer(ctx, [...base, 'containers', i], c, check));

  for (const kind of ['zones', 'jails', 'containers'] as const)
    for (const [name, idx] of duplicates<{ name: string }>(cs[kind], (x) => x.name))
      for (const i of idx.slice(1))
        r.error(
          [...base, kind, i, 'name'],
          `${q(name)} is declared ${idx.length} times in ${kind}`,
          'give each one a unique name',
        );

  checkAbsoluteDirs(
    ctx,
    cs.zones.map((z, i) => ({ path: [...base, 'zones', i, 'zonepath'], dir: z.zonepath })),
    'zonepath',
  );
  checkAbsoluteDirs(
    ctx,
    cs.jails.map((j, i) => ({ path: [...base, 'jails', i, 'path'], dir: j.path })),
    'jail path',
  );
  for (const [jid, idx] of duplicates(cs.jails, (j) =>
    j.jid === undefined ? undefined : String(j.jid),
  ))
    for (const i of idx.slice(1))
      r.error(
        [...base, 'jails', i, 'jid'],
        `jid ${jid} is used twice`,
        'give each jail its own jid, or leave jid out',
      );

  // An exclusive-IP zone owns its VNIC: two zones cannot share one.
  const owner = new Map<string, string>();
  cs.zones.forEach((z, zi) => {
    if (z.properties['ip-type'] === 'shared') return;
    const seenHere = new Set<string>();
    z.networks.forEach((n, ni) => {
      if (seenHere.has(n.physical)) return;
      seenHere.add(n.physical);
      const prev = owner.get(n.physical);
      if (prev)
        r.error(
          [...base, 'zones', zi, 'networks', ni, 'physical'],
          `VNIC ${q(n.physical)} is already given to zone ${prev}`,
          'give each exclusive-IP zone its own VNIC',
        );
      else owner.set(n.physical, `"${z.name}"`);
    });
  });
  checkPortClashes(ctx, [...base, 'containers'], cs.containers);
}
