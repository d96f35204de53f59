/**
 * Pure edits of a config's pool topology, as the vdev builder makes them. Every
 * function returns a new config; the input is never changed.
 */
import type {
  DeviceRef,
  PoolConfig,
  PoolTopology,
  UnifiedConfig,
  VdevConfig,
  VdevType,
} from '../schema/config.js';
import type { Disk } from '../disks/types.js';
import { devicePathOf, findDiskByPath } from '../disks/select.js';

/** A place that holds devices: a vdev of a class, the spare list, or a pool's plain device list. */
export type VdevRole = 'data' | 'log' | 'cache' | 'special' | 'spare' | 'devices';
export interface VdevRef {
  pool: number;
  role: VdevRole;
  /** Vdev index within the class (0 for spare and devices). */
  index: number;
}

export const ROLE_LABEL: Record<VdevRole, string> = {
  data: 'data',
  log: 'log',
  cache: 'cache',
  special: 'special',
  spare: 'spare',
  devices: 'devices',
};

/** The types a vdev of each class may take, in the order `t` cycles through them. */
export const ROLE_TYPES: Record<VdevRole, readonly VdevType[]> = {
  data: ['raidz', 'raidz2', 'raidz3', 'mirror', 'stripe'],
  log: ['mirror', 'stripe'],
  cache: ['stripe'],
  special: ['mirror', 'stripe'],
  spare: ['stripe'],
  devices: ['stripe'],
};

export function emptyTopology(): PoolTopology {
  return { data: [], log: [], cache: [], spare: [], special: [], dedup: [] };
}

export function newPool(name: string): PoolConfig {
  return {
    name,
    pool_type: 'zpool',
    devices: [],
    properties: {},
    filesystem_properties: {},
    topology: emptyTopology(),
  };
}

/** The identity a chosen disk is recorded with, so that apply can refuse a different disk. */
export function deviceFor(disk: Disk): DeviceRef {
  const ref: Exclude<DeviceRef, string> = { path: disk.path, size_bytes: disk.size_bytes };
  if (disk.serial) ref.serial = disk.serial;
  if (disk.wwn) ref.wwn = disk.wwn;
  return ref;
}

export function withPools(config: UnifiedConfig, pools: PoolConfig[]): UnifiedConfig {
  return { ...config, storage: { ...config.storage, pools } };
}

function updatePool(
  config: UnifiedConfig,
  index: number,
  f: (p: PoolConfig) => PoolConfig,
): UnifiedConfig {
  return withPools(
    config,
    config.storage.pools.map((p, i) => (i === index ? f(p) : p)),
  );
}

/** The devices held at a place (empty when it does not exist). */
export function devicesAt(config: UnifiedConfig, ref: VdevRef): DeviceRef[] {
  const pool = config.storage.pools[ref.pool];
  if (!pool) return [];
  if (ref.role === 'devices') return pool.devices;
  if (ref.role === 'spare') return pool.topology?.spare ?? [];
  return pool.topology?.[ref.role][ref.index]?.devices ?? [];
}

export function vdevTypeAt(config: UnifiedConfig, ref: VdevRef): VdevType {
  if (ref.role === 'devices' || ref.role === 'spare') return 'stripe';
  return config.storage.pools[ref.pool]?.topology?.[ref.role][ref.index]?.vdev_type ?? 'stripe';
}

function setDevices(config: UnifiedConfig, ref: VdevRef, devices: DeviceRef[]): UnifiedConfig {
  return updatePool(config, ref.pool, (p) => {
    if (ref.role === 'devices') return { ...p, devices };
    const topo = p.topology ?? emptyTopology();
    if (ref.role === 'spare') return { ...p, topology: { ...topo, spare: devices } };
    const list = topo[ref.role].map((v, i) => (i === ref.index ? { ...v, devices } : v));
    return { ...p, topology: { ...topo, [ref.role]: list } };
  });
}

/** Add a vdev of a class; returns the new config and the new vdev's place. */
export function addVdev(
  config: UnifiedConfig,
  pool: number,
  role: Exclude<VdevRole, 'spare' | 'devices'>,
  devices: DeviceRef[] = [],
  type?: VdevType,
): { config: UnifiedConfig; ref: VdevRef } {
  let index = 0;
  const next = updatePool(config, pool, (p) => {
    const topo = p.topology ?? emptyTopology();
    index = topo[role].length;
    const vdev: VdevConfig = { vdev_type: type ?? defaultType(role, devices.length), devices };
    return { ...p, topology: { ...topo, [role]: [...topo[role], vdev] } };
  });
  return { config: next, ref: { pool, role, index } };
}

/** A sensible type for a new vdev of `width` disks. */
export function defaultType(role: VdevRole, width: number): VdevType {
  if (role === 'data') return width >= 3 ? 'raidz' : width === 2 ? 'mirror' : 'stripe';
  if (role === 'log' || role === 'special') return width === 1 ? 'stripe' : 'mirror';
  return 'stripe';
}

export function removeVdev(config: UnifiedConfig, ref: VdevRef): UnifiedConfig {
  if (ref.role === 'devices' || ref.role === 'spare') return setDevices(config, ref, []);
  const role = ref.role;
  return updatePool(config, ref.pool, (p) => {
    const topo = p.topology ?? emptyTopology();
    return { ...p, topology: { ...topo, [role]: topo[role].filter((_, i) => i !== ref.index) } };
  });
}

/** Next type in the cycle of the vdev's class. */
export function cycleVdevType(config: UnifiedConfig, ref: VdevRef): UnifiedConfig {
  if (ref.role === 'devices' || ref.role === 'spare') return config;
  const role = ref.role;
  const types = ROLE_TYPES[role];
  const cur = vdevTypeAt(config, ref);
  const at = types.indexOf(cur === 'raidz1' ? 'raidz' : cur);
  const type = types[(at + 1) % types.length]!;
  return updatePool(config, ref.pool, (p) => {
    const topo = p.topology ?? emptyTopology();
    const list = topo[role].map((v, i) => (i === ref.index ? { ...v, vdev_type: type } : v));
    return { ...p, topology: { ...topo, [role]: list } };
  });
}

/** Where, in any pool, a disk is already used (by path); undefined when it is free. */
export function placeOfDisk(config: UnifiedConfig, disk: Disk): VdevRef | undefined {
  const pools = config.storage.pools;
  const matches = (ref: DeviceRef) => {
    const p = devicePathOf(ref);
    return p !== undefined && (p === disk.path || findDiskByPath(p, [disk]) !== undefined);
  };
  for (let pi = 0; pi < pools.length; pi++) {
    const pool = pools[pi]!;
    if (pool.devices.some(matches)) return { pool: pi, role: 'devices', index: 0 };
    const t = pool.topology;
    if (!t) continue;
    for (const role of ['data', 'log', 'cache', 'special'] as const)
      for (let i = 0; i < t[role].length; i++)
        if (t[role][i]!.devices.some(matches)) return { pool: pi, role, index: i };
    if (t.spare.some(matches)) return { pool: pi, role: 'spare', index: 0 };
  }
  return undefined;
}

export function sameRef(a: VdevRef | undefined, b: VdevRef | undefined): boolean {
  return !!a && !!b && a.pool === b.pool && a.role === b.role && a.index === b.index;
}

/**
 * Put a disk into a place, or take it out when it is there already. A disk that
 * another vdev holds is left alone (returns the config unchanged).
 */
export function toggleDiskIn(config: UnifiedConfig, ref: VdevRef, disk: Disk): UnifiedConfig {
  const at = placeOfDisk(config, disk);
  const list = devicesAt(config, ref);
  if (at && !sameRef(at, ref)) return config;
  if (at) {
    return setDevices(
      config,
      ref,
      list.filter((d) => {
        const p = devicePathOf(d);
        return !(p !== undefined && (p === disk.path || findDiskByPath(p, [disk])));
      }),
    );
  }
  return setDevices(config, ref, [...list, deviceFor(disk)]);
}

/** Set or clear (empty value) a pool property or a root-dataset property. */
export function setPoolProperty(
  config: UnifiedConfig,
  pool: number,
  kind: 'pool' | 'filesystem',
  name: string,
  value: string | undefined,
): UnifiedConfig {
  return updatePool(config, pool, (p) => {
    // A root-dataset property an upstream config gave under `properties` stays there.
    const key =
      kind === 'pool' || (name in p.properties && !(name in p.filesystem_properties))
        ? 'properties'
        : 'filesystem_properties';
    const props = { ...p[key] };
    if (value === undefined || value === '') delete props[name];
    else props[name] = value;
    return { ...p, [key]: props };
  });
}

export function poolPropertyValue(
  pool: PoolConfig,
  kind: 'pool' | 'filesystem',
  name: string,
): string | undefined {
  if (kind === 'pool') return pool.properties[name];
  return pool.filesystem_properties[name] ?? pool.properties[name];
}

export function renamePool(config: UnifiedConfig, pool: number, name: string): UnifiedConfig {
  return updatePool(config, pool, (p) => ({ ...p, name }));
}

export function removePool(config: UnifiedConfig, pool: number): UnifiedConfig {
  return withPools(
    config,
    config.storage.pools.filter((_, i) => i !== pool),
  );
}

/** A name not used by another pool: tank, tank1, tank2… */
export function freshPoolName(config: UnifiedConfig, base = 'tank'): string {
  const used = new Set(config.storage.pools.map((p) => p.name));
  if (!used.has(base)) return base;
  for (let i = 1; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

/** Mixed redundancy: data vdevs of different types or widths (zpool create wants -f). */
export function redundancyWarnings(pool: PoolConfig): string[] {
  const data = pool.topology?.data ?? [];
  const out: string[] = [];
  const kinds = new Set(data.filter((v) => v.devices.length).map((v) => normType(v.vdev_type)));
  if (kinds.size > 1)
    out.push(
      `data vdevs mix redundancy (${[...kinds].join(', ')}): the pool is only as safe as the weakest`,
    );
  const widths = new Set(
    data.filter((v) => v.vdev_type !== 'stripe' && v.devices.length).map((v) => v.devices.length),
  );
  if (kinds.size === 1 && widths.size > 1)
    out.push(`data vdevs have different widths (${[...widths].join(', ')} disks)`);
  for (const [i, v] of data.entries()) {
    const need = v.vdev_type === 'mirror' ? 2 : (PARITY_MIN[normType(v.vdev_type)] ?? 1);
    if (v.devices.length > 0 && v.devices.length < need)
      out.push(`data ${i + 1}: a ${v.vdev_type} needs at least ${need} disks`);
    if (v.devices.length === 0) out.push(`data ${i + 1}: no disks yet`);
  }
  for (const [i, v] of (pool.topology?.log ?? []).entries())
    if (v.vdev_type === 'mirror' && v.devices.length === 1)
      out.push(`log ${i + 1}: a mirror needs at least 2 disks`);
  return out;
}

const PARITY_MIN: Record<string, number> = { raidz: 2, raidz2: 3, raidz3: 4, stripe: 1 };
function normType(t: VdevType): VdevType {
  return t === 'raidz1' ? 'raidz' : t;
}
