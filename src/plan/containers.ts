/**
 * Zones (illumos), jails (FreeBSD), Linux containers (podman/docker); then each
 * nested sysconfig, compiled by `compileSystem` in the workload's own context
 * (`zlogin NAME …`, `jexec NAME …`, `podman|docker exec NAME …`).
 *
 * Decisions:
 * - Each kind is planned only on its platform; elsewhere a plan warning says
 *   it is ignored.
 * - Workloads wait for the host's basics up to its main scripts (packages such
 *   as docker.io or brand packages, users, early/main scripts that prepare
 *   directories); the host's late scripts wait for the workloads (see
 *   `SystemResult.late`).
 * - A zonepath, jail path or bind-volume source under a mountpoint of a dataset
 *   that this plan creates waits for that dataset.
 * - A zone's delegated datasets (`properties.dataset`) must exist before it
 *   boots: created on the host with `zfs create -p` unless the storage section
 *   creates them. The nested config's `storage.zfs_datasets` and
 *   `zfs_snapshots` are created INSIDE the running zone with `zfs` through
 *   zlogin, where they are delegated: there `mountpoint` means a path in the
 *   zone (created on the host, `/var/mysql` would be mounted in the global
 *   zone). Datasets outside every delegated dataset are refused with a warning.
 * - A changed zonecfg file or jail.conf entry is rewritten, but a zone that
 *   is already configured is not reconfigured (that needs an operator:
 *   `zonecfg -z NAME -f FILE` on an existing zone adds resources twice).
 */
import type {
  ContainerConfig,
  DatasetConfig,
  JailConfig,
  UnifiedConfig,
  ZoneConfig,
} from '../schema/index.js';
import type { PlanBuilder } from './builder.js';
import { HOST } from './builder.js';
import type { StorageResult } from './storage.js';
import { compileSystem, uniqueId, type SystemResult } from './system.js';
import type { ContainerRuntime, StepContext } from './types.js';
import { isAbsolutePath, writeFileStep } from '../platform/files.js';
import { zonecfgFile, zonecfgInputs, zonecfgValueProblem } from '../platform/illumos.js';
import {
  JAIL_BASE_SCRIPT,
  SYSRC_HAS_WORD_SCRIPT,
  jailConfEntry,
  jailParamNameProblem,
  jailValueProblem,
  sysrcProbeArgv,
} from '../platform/freebsd.js';
import { containerCreateArgv, envSecrets, isCreatableNetwork } from '../platform/linux.js';
import { containerSpec } from './container-spec.js';

export const ZONECFG_DIR = '/var/lib/slipway/zones';

export interface ContainersResult {
  /** The last steps of every workload and its nested configuration. */
  lastIds: string[];
}

const ZONE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const JAIL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const DATASET = /^[A-Za-z0-9][A-Za-z0-9_.:\- /]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * The step creating the dataset whose mountpoint holds `path` (the deepest
 * one), if the plan creates one. Walks up `path` instead of scanning every
 * mountpoint: 200 containers over 10,000 datasets stay cheap.
 */
export function datasetStepFor(storage: StorageResult, path: string): string | undefined {
  for (
    let p = path.endsWith('/') ? path.replace(/\/+$/, '') : path;
    p.length > 1;
    p = p.slice(0, Math.max(1, p.lastIndexOf('/')))
  ) {
    const id = storage.stepMountedAt(p);
    if (id) return id;
    if (p.lastIndexOf('/') <= 0) break;
  }
  return undefined;
}

export function compileContainers(
  b: PlanBuilder,
  config: UnifiedConfig,
  deps: { storage: StorageResult; hostSystem: SystemResult },
): ContainersResult {
  const c = config.containers;
  const lastIds: string[] = [];
  const after = deps.hostSystem.lastIds;
  if (c.zones.length) {
    if (b.platform !== 'illumos')
      b.warn('containers.zones', `zones are illumos only: ignored for ${b.platform}`);
    else
      c.zones.forEach((z, k) =>
        lastIds.push(...zone(b, z, `containers.zones[${k}]`, after, deps.storage)),
      );
  }
  if (c.jails.length) {
    if (b.platform !== 'freebsd')
      b.warn('containers.jails', `jails are FreeBSD only: ignored for ${b.platform}`);
    else
      c.jails.forEach((j, k) =>
        lastIds.push(...jail(b, j, `containers.jails[${k}]`, after, deps.storage)),
      );
  }
  if (c.containers.length) {
    if (b.platform !== 'linux')
      b.warn('containers.containers', `Linux containers are Linux only: ignored for ${b.platform}`);
    else
      for (let k = 0; k < c.containers.length; k++) {
        const ids = container(
          b,
          c.containers[k]!,
          `containers.containers[${k}]`,
          after,
          deps.storage,
        );
        for (let i = 0; i < ids.length; i++) lastIds.push(ids[i]!);
      }
  }
  return { lastIds };
}

/** Warn about the parts of a nested config that a workload cannot have. */
function nestedLimits(b: PlanBuilder, sc: UnifiedConfig, path: string, zfsInside: boolean): void {
  const s = sc.storage;
  if (s.pools.length)
    b.warn(`${path}.storage.pools`, 'pools are created on the host only: not applied inside');
  if (s.filesystems.length || s.mounts.length)
    b.warn(
      `${path}.storage`,
      'file systems and mounts of a nested config are not applied',
      'mount them from the host (zone fs resources, jail mount.fstab, container volumes)',
    );
  if (s.zfs_replication.length)
    b.warn(`${path}.storage.zfs_replication`, 'replication runs on the host: not applied inside');
  if (!zfsInside && (s.zfs_datasets.length || s.zfs_snapshots.length))
    b.warn(
      `${path}.storage`,
      'datasets and snapshots of this nested config are not applied',
      'declare them in the host storage section',
    );
  const n = sc.containers;
  if (n.zones.length || n.jails.length || n.containers.length)
    b.warn(`${path}.containers`, 'workloads inside a workload are not planned');
}

// ── illumos zones ────────────────────────────────────────────────────────────

function zone(
  b: PlanBuilder,
  z: ZoneConfig,
  path: string,
  after: string[],
  storage: StorageResult,
): string[] {
  if (!ZONE_NAME.test(z.name) || z.name === 'global' || z.name.startsWith('SUNW')) {
    b.error(
      `${path}.name`,
      `"${z.name}" is not a zone name`,
      'start with a letter or digit, then letters, digits, _, . or -; "global" and SUNW… are reserved',
    );
    return [];
  }
  if (!isAbsolutePath(z.zonepath)) {
    b.error(`${path}.zonepath`, 'the zonepath must be an absolute path');
    return [];
  }
  for (const v of zonecfgInputs(z)) {
    const problem = zonecfgValueProblem(v.value);
    if (problem) {
      b.error(`${path}.${v.path}`, `this value ${problem}: it cannot go into a zonecfg file`);
      return [];
    }
  }
  const cfg = zonecfgFile(z);
  for (const n of cfg.notes) b.warn(`${path}.properties.${n.key}`, n.message);
  if (z.properties.pool)
    b.warn(
      `${path}.properties.pool`,
      `zonecfg "pool" is a resource pool (pooladm), not a ZFS pool: the zone boots only if resource pool ${z.properties.pool} exists`,
      'remove it unless you use resource pools; the ZFS pool follows from the zonepath',
    );
  if (z.brand === 'lx')
    b.warn(
      `${path}.brand`,
      'an lx zone installs from a Linux image: `zoneadm install` without `-s IMAGE` may be refused',
      'install it by hand with zoneadm -z NAME install -s /path/to/image.tar.gz, then re-run apply',
    );
  const pfx = `zone:${z.name}`;
  const ctx: StepContext = { kind: 'zone', name: z.name };
  const zpDs = datasetStepFor(storage, z.zonepath);
  const base = [...after, ...(zpDs ? [zpDs] : [])];
  const dsIds: string[] = [];
  cfg.datasets.forEach((d) => {
    if (!DATASET.test(d)) {
      b.error(`${path}.properties.dataset`, `"${d}" is not a dataset name`);
      return;
    }
    const own = storage.datasetStep.get(d);
    if (own) dsIds.push(own);
    else
      dsIds.push(
        b.add({
          id: uniqueId(b, `${pfx}:delegate:${d}`),
          title: `Create dataset ${d} to delegate to zone ${z.name}`,
          context: HOST,
          argv: ['zfs', 'create', '-p', d],
          dependsOn: after,
          probe: { kind: 'dataset-exists', dataset: d },
        }).id,
      );
  });
  const file = `${ZONECFG_DIR}/${z.name}.zonecfg`;
  const fileId = b.add(
    writeFileStep({
      id: uniqueId(b, `${pfx}:zonecfg-file`),
      title: `Write the zonecfg commands of zone ${z.name}`,
      context: HOST,
      path: file,
      content: cfg.text,
      mode: '0600',
      dependsOn: after,
    }),
  ).id;
  let last = b.add({
    id: uniqueId(b, `${pfx}:configure`),
    title: `Configure zone ${z.name} (${z.brand}, ${z.zonepath})`,
    context: HOST,
    argv: ['zonecfg', '-z', z.name, '-f', file],
    dependsOn: [...base, fileId, ...dsIds],
    probe: { kind: 'zone-state', zone: z.name, state: 'configured' },
  }).id;
  if (z.state === 'installed' || z.state === 'running')
    last = b.add({
      id: uniqueId(b, `${pfx}:install`),
      title: `Install zone ${z.name}`,
      context: HOST,
      argv: ['zoneadm', '-z', z.name, 'install'],
      dependsOn: [last],
      probe: { kind: 'zone-state', zone: z.name, state: 'installed' },
      timeoutSeconds: 3600,
    }).id;
  if (z.state === 'running')
    last = b.add({
      id: uniqueId(b, `${pfx}:boot`),
      title: `Boot zone ${z.name}`,
      context: HOST,
      argv: ['zoneadm', '-z', z.name, 'boot'],
      dependsOn: [last],
      probe: { kind: 'zone-state', zone: z.name, state: 'running' },
    }).id;
  const sc = z.sysconfig;
  if (!sc) return [last];
  if (z.state !== 'running') {
    b.warn(
      `${path}.sysconfig`,
      `zone ${z.name} is not booted (state ${z.state}): its sysconfig is not applied`,
      'set state to "running"',
    );
    return [last];
  }
  nestedLimits(b, sc, `${path}.sysconfig`, true);
  const zfsIds = zoneDatasets(b, sc, `${path}.sysconfig`, ctx, pfx, cfg.datasets, last);
  const sys = compileSystem(b, sc, ctx, {
    path: `${path}.sysconfig`,
    after: zfsIds.length ? zfsIds : [last],
    linuxUserland: z.brand === 'lx',
  });
  return sys.lastIds.length ? sys.lastIds : zfsIds.length ? zfsIds : [last];
}

function zfsCreateArgv(d: DatasetConfig): string[] {
  const a = ['zfs', 'create'];
  if (typeof d.dataset_type === 'object') a.push('-V', d.dataset_type.volume.size);
  for (const [k, v] of Object.entries(d.properties)) a.push('-o', `${k}=${v}`);
  if (d.quota) a.push('-o', `quota=${d.quota}`);
  if (d.reservation) a.push('-o', `reservation=${d.reservation}`);
  a.push(d.name);
  return a;
}

/** Nested datasets and snapshots, inside the running zone, under its delegated datasets. */
function zoneDatasets(
  b: PlanBuilder,
  sc: UnifiedConfig,
  path: string,
  ctx: StepContext,
  pfx: string,
  delegated: string[],
  after: string,
): string[] {
  const ids: string[] = [];
  const inside = (name: string) => delegated.some((d) => name === d || name.startsWith(`${d}/`));
  const created = new Map<string, string>();
  const walk = (d: DatasetConfig, rel: string, parent: string) => {
    if (!DATASET.test(d.name) || /\s/.test(d.name)) {
      b.error(`${rel}.name`, `"${d.name}" is not a dataset name`);
      return;
    }
    if (!inside(d.name)) {
      b.warn(
        `${rel}.name`,
        `${d.name} is not under a dataset delegated to the zone (${delegated.join(', ') || 'none'}): not created`,
        'delegate its parent with properties.dataset, or declare it in the host storage section',
      );
      return;
    }
    const id = b.add({
      id: uniqueId(b, `${pfx}:dataset:${d.name}`),
      title: `Create dataset ${d.name} inside the zone`,
      context: ctx,
      argv: zfsCreateArgv(d),
      dependsOn: [parent],
      probe: { kind: 'dataset-exists', dataset: d.name },
    }).id;
    created.set(d.name, id);
    ids.push(id);
    d.children.forEach((ch, k) => walk(ch, `${rel}.children[${k}]`, id));
  };
  sc.storage.zfs_datasets.forEach((d, k) => walk(d, `${path}.storage.zfs_datasets[${k}]`, after));
  sc.storage.zfs_snapshots.forEach((s, k) => {
    const rel = `${path}.storage.zfs_snapshots[${k}]`;
    if (!inside(s.dataset) || !/^[A-Za-z0-9_.:-]+$/.test(s.name)) {
      b.warn(
        rel,
        `snapshot ${s.dataset}@${s.name} is not of a dataset delegated to the zone: not created`,
      );
      return;
    }
    const argv = ['zfs', 'snapshot'];
    if (s.recursive) argv.push('-r');
    for (const [k2, v] of Object.entries(s.properties)) argv.push('-o', `${k2}=${v}`);
    argv.push(`${s.dataset}@${s.name}`);
    ids.push(
      b.add({
        id: uniqueId(b, `${pfx}:snapshot:${s.dataset}@${s.name}`),
        title: `Snapshot ${s.dataset}@${s.name} inside the zone`,
        context: ctx,
        argv,
        dependsOn: [created.get(s.dataset) ?? after],
        probe: { kind: 'snapshot-exists', snapshot: `${s.dataset}@${s.name}` },
      }).id,
    );
  });
  return ids;
}

// ── FreeBSD jails ────────────────────────────────────────────────────────────

function jail(
  b: PlanBuilder,
  j: JailConfig,
  path: string,
  after: string[],
  storage: StorageResult,
): string[] {
  if (!JAIL_NAME.test(j.name)) {
    b.error(
      `${path}.name`,
      `"${j.name}" is not a jail name slipway can manage`,
      'use letters, digits, _ and - (a dot would make it a child jail)',
    );
    return [];
  }
  if (!isAbsolutePath(j.path) || jailValueProblem(j.path)) {
    b.error(`${path}.path`, 'the jail path must be an absolute path');
    return [];
  }
  for (const [k, v] of Object.entries(j.parameters)) {
    const p = jailParamNameProblem(k) ?? jailValueProblem(v);
    if (p) {
      b.error(`${path}.parameters.${k}`, `this parameter ${p}`);
      return [];
    }
    if (k === 'path' || k === 'host.hostname')
      b.warn(
        `${path}.parameters.${k}`,
        `${k} comes from the jail's ${k === 'path' ? 'path' : 'hostname'} field: this parameter is ignored`,
      );
  }
  for (const [i, a] of j.ip_addresses.entries())
    if (!/^[0-9A-Fa-f:.]+(\/\d{1,3})?$/.test(a)) {
      b.error(`${path}.ip_addresses[${i}]`, `"${a}" is not an address`);
      return [];
    }
  for (const [i, n] of j.interfaces.entries())
    if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(n)) {
      b.error(`${path}.interfaces[${i}]`, `"${n}" is not an interface name`);
      return [];
    }
  if (j.interfaces.length > 1 && j.interfaces.length !== j.ip_addresses.length)
    b.warn(
      `${path}.interfaces`,
      `${j.interfaces.length} interfaces for ${j.ip_addresses.length} addresses: all addresses go on ${j.interfaces[0]}`,
      'give one interface, or one per address',
    );
  const sc = j.sysconfig;
  const nestedName = sc?.system.hostname;
  const hostname = j.hostname ?? nestedName;
  if (j.hostname && nestedName && nestedName !== j.hostname)
    b.warn(
      `${path}.sysconfig.system.hostname`,
      `the jail's host name is ${j.hostname} (host.hostname); ${nestedName} is not applied`,
      'a jail cannot set its own host name; use one name',
    );
  if (hostname && jailValueProblem(hostname)) {
    b.error(`${path}.hostname`, 'the host name contains a line break');
    return [];
  }
  const pfx = `jail:${j.name}`;
  const pathDs = datasetStepFor(storage, j.path);
  const base = [...after, ...(pathDs ? [pathDs] : [])];
  const baseId = b.add({
    id: uniqueId(b, `${pfx}:base`),
    title: `Put the FreeBSD base system in ${j.path} (base.txz of the host's release; needs network)`,
    context: HOST,
    argv: ['sh', '-c', JAIL_BASE_SCRIPT, 'sh', j.path],
    dependsOn: base,
    probe: {
      kind: 'command',
      argv: ['test', '-x', `${j.path}/bin/sh`],
      description: `${j.path} has a base system`,
    },
    timeoutSeconds: 3600,
  }).id;
  const confPath = `/etc/jail.conf.d/${j.name}.conf`;
  const confId = b.add(
    writeFileStep({
      id: uniqueId(b, `${pfx}:conf`),
      title: `Write ${confPath}`,
      context: HOST,
      path: confPath,
      content: jailConfEntry(j, hostname),
      mode: '0644',
      dependsOn: after,
    }),
  ).id;
  const enable = 'jail:enable';
  if (!b.has(enable))
    b.add({
      id: enable,
      title: 'Enable the jail service (rc.conf jail_enable=YES)',
      context: HOST,
      argv: ['sysrc', 'jail_enable=YES'],
      dependsOn: after,
      probe: {
        kind: 'command',
        argv: sysrcProbeArgv('jail_enable', 'YES'),
        description: 'rc.conf has jail_enable="YES"',
      },
    });
  const startDeps = [baseId, confId, enable];
  if (j.auto_start)
    startDeps.push(
      b.add({
        id: uniqueId(b, `${pfx}:autostart`),
        title: `Start jail ${j.name} at boot (rc.conf jail_list += ${j.name})`,
        context: HOST,
        argv: ['sysrc', `jail_list+=${j.name}`],
        dependsOn: [enable],
        probe: {
          kind: 'command',
          argv: ['sh', '-c', SYSRC_HAS_WORD_SCRIPT, 'sh', 'jail_list', j.name],
          description: `jail_list has ${j.name}`,
        },
      }).id,
    );
  const start = b.add({
    id: uniqueId(b, `${pfx}:start`),
    title: `Start jail ${j.name}`,
    context: HOST,
    argv: ['service', 'jail', 'start', j.name],
    dependsOn: startDeps,
    probe: { kind: 'jail-running', jail: j.name },
  }).id;
  if (!sc) return [start];
  nestedLimits(b, sc, `${path}.sysconfig`, false);
  const sys = compileSystem(
    b,
    sc,
    { kind: 'jail', name: j.name },
    { path: `${path}.sysconfig`, after: [start] },
  );
  return sys.lastIds.length ? sys.lastIds : [start];
}

// ── Linux containers ─────────────────────────────────────────────────────────

function container(
  b: PlanBuilder,
  ct: ContainerConfig,
  path: string,
  after: string[],
  storage: StorageResult,
): string[] {
  if (ct.runtime === 'containerd') {
    b.warn(
      `${path}.runtime`,
      `containerd is not supported: container ${ct.name} is not planned`,
      'use "podman" or "docker"',
    );
    return [];
  }
  const runtime: ContainerRuntime = ct.runtime;
  if (!CONTAINER_NAME.test(ct.name)) {
    b.error(
      `${path}.name`,
      `"${ct.name}" is not a container name`,
      'start with a letter or digit, then letters, digits, _, . or -',
    );
    return [];
  }
  let badEnv: string | undefined;
  for (const k in ct.environment)
    if (!ENV_NAME.test(k)) {
      badEnv = k;
      break;
    }
  if (badEnv !== undefined) {
    b.error(`${path}.environment.${badEnv}`, `"${badEnv}" is not an environment variable name`);
    return [];
  }
  const deps = [...after];
  for (const [k, v] of ct.volumes.entries()) {
    const rel = `${path}.volumes[${k}]`;
    if (
      !v.target.startsWith('/') ||
      v.target.includes(':') ||
      v.options.some((o) => o.includes(',') || o.includes(':'))
    ) {
      b.error(rel, 'a volume needs an absolute target without ":" and options without "," or ":"');
      return [];
    }
    if (v.mount_type === 'bind') {
      if (!isAbsolutePath(v.source) || v.source.includes(':')) {
        b.error(`${rel}.source`, 'a bind volume needs an absolute host path without ":"');
        return [];
      }
      const ds = datasetStepFor(storage, v.source);
      if (ds) deps.push(ds);
    } else if (v.mount_type === 'volume' && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(v.source)) {
      b.error(`${rel}.source`, `"${v.source}" is not a volume name`);
      return [];
    }
  }
  const nets = ct.networks.filter(isCreatableNetwork);
  for (const n of nets) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(n)) {
      b.error(`${path}.networks`, `"${n}" is not a network name`);
      return [];
    }
    const id = `network:${runtime}:${n}`;
    if (!b.has(id))
      b.add({
        id,
        title: `Create the ${runtime} network ${n} (when missing)`,
        context: HOST,
        argv: [runtime, 'network', 'create', n],
        dependsOn: after,
        probe: { kind: 'network-exists', runtime, name: n },
      });
    deps.push(id);
  }
  const sc = ct.sysconfig;
  const hostname = sc?.system.hostname;
  const validHostname =
    hostname !== undefined && /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(hostname)
      ? hostname
      : undefined;
  // Docker connects a container to one network at create (older engines refuse
  // several --network flags); the others are connected afterwards.
  const atCreate = runtime === 'docker' ? ct.networks.slice(0, 1) : ct.networks;
  const later = runtime === 'docker' ? ct.networks.slice(1) : [];
  const argv = containerCreateArgv(
    runtime,
    runtime === 'docker' ? { ...ct, networks: atCreate } : ct,
    {
      hostname: validHostname,
      dns: sc?.networking.nameservers.filter((n) => /^[0-9A-Fa-f:.]+$/.test(n)) ?? [],
      dnsSearch: sc?.networking.search_domains.filter((d) => /^[A-Za-z0-9.-]+$/.test(d)) ?? [],
    },
  );
  const secrets = envSecrets(ct.environment);
  const pfx = `container:${ct.name}`;
  let last = b.add({
    id: uniqueId(b, `${pfx}:create`),
    title: `Create ${runtime} container ${ct.name} from ${ct.image}${validHostname ? ` (hostname ${validHostname})` : ''}`,
    context: HOST,
    argv,
    secrets: secrets.length ? secrets : undefined,
    dependsOn: deps,
    probe: {
      kind: 'container-state',
      runtime,
      name: ct.name,
      state: 'exists',
      spec: containerSpec(ct, validHostname),
    },
    timeoutSeconds: 1800,
  }).id;
  for (const n of later)
    last = b.add({
      id: uniqueId(b, `${pfx}:connect:${n}`),
      title: `Connect container ${ct.name} to network ${n}`,
      context: HOST,
      argv: ['docker', 'network', 'connect', n, ct.name],
      dependsOn: [last],
      probe: {
        kind: 'command',
        argv: [
          'sh',
          '-c',
          'docker inspect --format "{{json .NetworkSettings.Networks}}" "$1" | grep -qF -e "\\"$2\\":"',
          'sh',
          ct.name,
          n,
        ],
        description: `${ct.name} is on network ${n}`,
      },
    }).id;
  const ctx: StepContext = { kind: 'container', name: ct.name, runtime };
  if (ct.state === 'running')
    last = b.add({
      id: uniqueId(b, `${pfx}:start`),
      title: `Start container ${ct.name}`,
      context: HOST,
      argv: [runtime, 'start', ct.name],
      dependsOn: [last],
      probe: { kind: 'container-state', runtime, name: ct.name, state: 'running' },
    }).id;
  else if (ct.state === 'stopped' && sc)
    last = b.add({
      id: uniqueId(b, `${pfx}:start-to-configure`),
      title: `Start container ${ct.name} to apply its sysconfig (stopped again afterwards)`,
      context: HOST,
      argv: [runtime, 'start', ct.name],
      dependsOn: [last],
      probe: { kind: 'journal', description: `${ct.name} was configured` },
    }).id;
  let nestedLast = [last];
  if (sc) {
    if (ct.state === 'created')
      b.warn(
        `${path}.sysconfig`,
        `container ${ct.name} is only created, never started: its sysconfig is not applied`,
        'set state to "running" or "stopped"',
      );
    else {
      nestedLimits(b, sc, `${path}.sysconfig`, false);
      const sys = compileSystem(b, sc, ctx, { path: `${path}.sysconfig`, after: [last] });
      if (sys.lastIds.length) nestedLast = sys.lastIds;
    }
  }
  if (ct.state === 'stopped')
    nestedLast = [
      b.add({
        id: uniqueId(b, `${pfx}:stop`),
        title: `Stop container ${ct.name}`,
        context: HOST,
        argv: [runtime, 'stop', ct.name],
        dependsOn: nestedLast,
        probe: { kind: 'container-state', runtime, name: ct.name, state: 'stopped' },
      }).id,
    ];
  return nestedLast;
}
