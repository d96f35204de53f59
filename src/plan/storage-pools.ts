/**
 * Pools: `zpool create` with the whole topology and properties in the right
 * place, the deferred `zpool set bootfs`, and LVM volume groups on Linux.
 */
import type { PoolConfig, VdevConfig } from '../schema/index.js';
import { didYouMean, type PathSegment } from '../schema/diagnostics.js';
import {
  canonicalPoolProperty,
  classifyPoolLevelProperty,
  propertyInfo,
  propertyOnPlatform,
} from '../platform/zfs-properties.js';
import {
  mixedRedundancy,
  zpoolCreateArgv,
  zpoolSetArgv,
  type PoolLayout,
  type VdevSpec,
} from '../platform/zfs.js';
import { plural, SETTABLE_PROPERTY_NAMES, type StorageContext } from './storage-context.js';

/** A `bootfs` waiting for its dataset to exist. */
export interface PendingBootfs {
  pool: string;
  dataset: string;
  path: PathSegment[];
}

export function compilePools(ctx: StorageContext): PendingBootfs[] {
  const pending: PendingBootfs[] = [];
  ctx.config.storage.pools.forEach((pool, i) => {
    const path: PathSegment[] = ['storage', 'pools', i];
    if (pool.pool_type === 'lvm') compileVolumeGroup(ctx, pool, path);
    else compileZpool(ctx, pool, path, pending);
  });
  return pending;
}

function compileZpool(
  ctx: StorageContext,
  pool: PoolConfig,
  path: PathSegment[],
  pending: PendingBootfs[],
): void {
  const poolProps = new Map<string, string>();
  const fsProps = new Map<string, string>();
  let bootfs: string | undefined;

  for (const [name, value] of Object.entries(pool.properties)) {
    const p = [...path, 'properties', name];
    switch (classifyPoolLevelProperty(name)) {
      case 'feature':
        poolProps.set(name, value);
        break;
      case 'pool': {
        const canonical = canonicalPoolProperty(name);
        if (canonical === 'readonly') {
          // The pool property can only be given at import; the dataset property
          // of the same name is what a config means at creation.
          fsProps.set(name, value);
          break;
        }
        if (propertyInfo('pool', name)?.readonly) {
          ctx.warn(
            p,
            `${name} is a read-only pool statistic: not passed to zpool create`,
            'remove it from the config',
          );
          break;
        }
        if (!propertyOnPlatform('pool', name, ctx.platform)) {
          ctx.warn(
            p,
            `ZFS on ${ctx.platform} has no pool property "${name}": not passed to zpool create`,
            'remove it, or plan for another platform',
          );
          break;
        }
        if (canonical === 'bootfs') {
          if (value !== pool.name) bootfs = value;
          break;
        }
        poolProps.set(name, value);
        break;
      }
      case 'dataset':
      case 'user':
        // A file-system property at pool level belongs to the root dataset (-O);
        // validation says so with a warning and where to move it.
        if (ctx.datasetPropertyOk(name, p, 'zpool create')) fsProps.set(name, value);
        break;
      case 'unknown': {
        const guess = didYouMean(name, SETTABLE_PROPERTY_NAMES);
        ctx.warn(
          p,
          `unknown ZFS property "${name}": not passed to zpool create, which would refuse the whole command`,
          guess ? `did you mean "${guess}"?` : 'see zpoolprops(7) and zfsprops(7)',
        );
        break;
      }
    }
  }
  for (const [name, value] of Object.entries(pool.filesystem_properties)) {
    const p = [...path, 'filesystem_properties', name];
    if (classifyPoolLevelProperty(name) === 'pool' && canonicalPoolProperty(name) !== 'readonly') {
      ctx.warn(
        p,
        `${name} is a pool property, not a file-system property: passed to zpool create with -o`,
        `move it to storage.pools[${String(path[2])}].properties`,
      );
      poolProps.set(name, value);
      continue;
    }
    if (ctx.datasetPropertyOk(name, p, 'zpool create')) fsProps.set(name, value);
  }

  const layout = poolLayout(ctx, pool, path);
  const devices = [
    ...[...layout.data, ...layout.special, ...layout.dedup, ...layout.log].flatMap(
      (v) => v.devices,
    ),
    ...layout.cache,
    ...layout.spare,
  ];
  if (!layout.data.length) {
    ctx.error(
      path,
      `pool ${pool.name} has no data devices: nothing to create`,
      'give topology.data (vdevs) or devices',
    );
    return;
  }
  const mixed = mixedRedundancy(layout);
  if (mixed.length)
    ctx.warn(
      [...path, 'topology'],
      `pool ${pool.name} mixes ${mixed.join(', ')} vdevs: zpool create refuses that without -f, so the plan passes -f`,
      'use vdevs of one kind and width unless you mean it',
    );

  const argv = zpoolCreateArgv(ctx.platform, {
    pool: pool.name,
    layout,
    poolProps: [...poolProps],
    fsProps: [...fsProps],
    force: mixed.length > 0,
  });
  const id = ctx.uniqueId(`pool:${pool.name}`);
  ctx.add({
    id,
    title:
      `Create pool ${pool.name}: ${describeLayout(layout)}` +
      (mixed.length ? ' (forced with -f: mixed redundancy)' : ''),
    argv,
    probe: {
      kind: 'pool-exists',
      pool: pool.name,
      properties: Object.fromEntries(fsProps),
      layout,
      ...comparedPoolProperties(poolProps),
    },
    destroys: true,
    devices,
  });
  ctx.createdPools.set(pool.name, id);
  ctx.datasetStep.set(pool.name, id);
  if (bootfs) pending.push({ pool: pool.name, dataset: bootfs, path: [...path, 'properties'] });

  // The root dataset's mount point: -O mountpoint, else /POOL (zpool-create(8)).
  // With an altroot, the live paths differ from the property: not recorded.
  const mp = fsProps.get('mountpoint') ?? `/${pool.name}`;
  if (poolProps.has('altroot')) ctx.altrootPools.add(pool.name);
  ctx.noteMountpoint(pool.name, mp, fsProps.get('canmount'), id);
}

/**
 * Pool properties that `zpool set` changes on a pool that exists, as apply
 * compares them. Not: ashift (a hint for vdevs added later; existing ones keep
 * theirs), altroot and readonly (import-time), cachefile (not a property of the
 * pool on disk), version and features (upgrades, one way), bootsize (creation).
 */
const COMPARED_POOL_PROPERTIES = new Set([
  'autoexpand',
  'autoreplace',
  'autotrim',
  'comment',
  'compatibility',
  'dedup_table_quota',
  'dedupditto',
  'delegation',
  'failmode',
  'listsnapshots',
  'multihost',
]);

function comparedPoolProperties(
  props: ReadonlyMap<string, string>,
): { poolProperties: Record<string, string> } | Record<string, never> {
  const out: Record<string, string> = {};
  for (const [name, value] of props) {
    const canonical = canonicalPoolProperty(name);
    if (COMPARED_POOL_PROPERTIES.has(canonical)) out[canonical] = value;
  }
  return Object.keys(out).length ? { poolProperties: out } : {};
}

function vdevSpec(
  ctx: StorageContext,
  v: VdevConfig,
  path: readonly PathSegment[],
): VdevSpec | undefined {
  const devices = v.devices.map((d, k) => ctx.device(d, [...path, 'devices', k]));
  if (!devices.length) {
    ctx.warn(path, 'vdev without devices: left out', 'add devices or remove the vdev');
    return undefined;
  }
  return { type: v.vdev_type, devices };
}

function poolLayout(ctx: StorageContext, pool: PoolConfig, path: PathSegment[]): PoolLayout {
  const topo = pool.topology;
  const tp = [...path, 'topology'];
  const specs = (list: VdevConfig[] | undefined, cls: string) =>
    (list ?? []).flatMap((v, j) => vdevSpec(ctx, v, [...tp, cls, j]) ?? []);
  let data = specs(topo?.data, 'data');
  if (!data.length && pool.devices.length)
    data = [
      {
        type: 'stripe',
        devices: pool.devices.map((d, k) => ctx.device(d, [...path, 'devices', k])),
      },
    ];
  else if (data.length && pool.devices.length)
    ctx.warn(
      [...path, 'devices'],
      `pool ${pool.name} has both devices and topology.data: devices are not used`,
      'list every disk in topology.data and leave devices empty',
    );
  const cache = (topo?.cache ?? []).flatMap((v, j) => {
    if (v.vdev_type !== 'stripe')
      ctx.warn(
        [...tp, 'cache', j, 'vdev_type'],
        `cache devices cannot be ${v.vdev_type}: they are added as plain devices`,
        'use "vdev_type": "stripe" for cache',
      );
    return v.devices.map((d, k) => ctx.device(d, [...tp, 'cache', j, 'devices', k]));
  });
  const spare = (topo?.spare ?? []).map((d, k) => ctx.device(d, [...tp, 'spare', k]));
  return {
    data,
    special: specs(topo?.special, 'special'),
    dedup: specs(topo?.dedup, 'dedup'),
    log: specs(topo?.log, 'log'),
    cache,
    spare,
  };
}

/** "raidz2 of 6 disks, mirrored log, 2 cache devices, 2 spares". */
export function describeLayout(layout: PoolLayout): string {
  const groups = new Map<string, number>();
  for (const v of layout.data) {
    const key =
      v.type === 'stripe'
        ? `stripe of ${plural(v.devices.length, 'disk')}`
        : `${v.type} of ${plural(v.devices.length, 'disk')}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const parts = [...groups].map(([key, n]) => (n === 1 ? key : `${n} × ${key}`));
  const cls = (vdevs: VdevSpec[], name: string) => {
    if (!vdevs.length) return;
    const n = vdevs.reduce((a, v) => a + v.devices.length, 0);
    if (vdevs.length === 1 && vdevs[0]!.type === 'mirror') parts.push(`mirrored ${name}`);
    else if (vdevs.every((v) => v.type === 'stripe')) parts.push(`${name} of ${plural(n, 'disk')}`);
    else parts.push(`${name}: ${vdevs.map((v) => `${v.type} of ${v.devices.length}`).join(' + ')}`);
  };
  cls(layout.log, 'log');
  cls(layout.special, 'special');
  cls(layout.dedup, 'dedup');
  if (layout.cache.length) parts.push(plural(layout.cache.length, 'cache device'));
  if (layout.spare.length) parts.push(plural(layout.spare.length, 'spare'));
  return parts.join(', ');
}

/** `zpool set bootfs=DATASET POOL` once the dataset exists (it cannot be set at creation). */
export function compileBootfs(ctx: StorageContext, pending: PendingBootfs[]): void {
  for (const { pool, dataset, path } of pending) {
    const after = ctx.datasetStep.get(dataset);
    if (!after && ctx.createdPools.has(pool))
      ctx.warn(
        [...path, 'bootfs'],
        `bootfs names ${dataset}, which this config does not create: zpool set will fail on the new pool`,
        'declare the dataset in storage.zfs_datasets',
      );
    ctx.add({
      id: ctx.uniqueId(`pool:${pool}:bootfs`),
      title: `Boot pool ${pool} from ${dataset}`,
      argv: zpoolSetArgv(pool, 'bootfs', dataset),
      probe: {
        kind: 'command',
        argv: [
          'sh',
          '-c',
          '[ "$(zpool get -H -o value bootfs "$1")" = "$2" ]',
          'sh',
          pool,
          dataset,
        ],
        description: `pool ${pool} has bootfs=${dataset}`,
      },
      dependsOn: [after ?? ctx.createdPools.get(pool)].filter((d): d is string => !!d),
    });
  }
}

// ── LVM (Linux) ────────────────────────────────────────────────────────────

/** LVM "pool" properties Slipway understands, and what they become. */
const LVM_PROPERTIES: Record<string, string> = {
  allocation_policy: 'vgcreate --alloc',
  physical_extent_size: 'vgcreate -s',
  stripe_size: 'lvcreate -I (KiB), with -i = number of devices',
  stripes: 'lvcreate -i',
};

function compileVolumeGroup(ctx: StorageContext, pool: PoolConfig, path: PathSegment[]): void {
  if (ctx.platform !== 'linux') {
    ctx.warn(
      [...path, 'pool_type'],
      `LVM is Linux-only: volume group ${pool.name} is skipped on ${ctx.platform}`,
      'use "pool_type": "zpool" on illumos and FreeBSD',
    );
    return;
  }
  if (pool.topology)
    ctx.warn(
      [...path, 'topology'],
      'an LVM volume group has no vdev topology: topology is not used',
      'list the physical volumes in devices',
    );
  const devices = pool.devices.map((d, k) => ctx.device(d, [...path, 'devices', k]));
  if (!devices.length) {
    ctx.error(path, `volume group ${pool.name} has no devices`, 'list the disks in devices');
    return;
  }
  const vgFlags: string[] = [];
  const props: Record<string, string> = {};
  for (const [name, value] of Object.entries(pool.properties)) {
    if (!Object.hasOwn(LVM_PROPERTIES, name)) {
      const guess = didYouMean(name, Object.keys(LVM_PROPERTIES));
      ctx.warn(
        [...path, 'properties', name],
        `unknown LVM property "${name}": not used`,
        guess
          ? `did you mean "${guess}"?`
          : `known: ${Object.entries(LVM_PROPERTIES)
              .map(([k, v]) => `${k} (${v})`)
              .join(', ')}`,
      );
      continue;
    }
    props[name] = value;
    if (name === 'allocation_policy') vgFlags.push('--alloc', value);
    if (name === 'physical_extent_size') vgFlags.push('-s', value);
  }
  const pvIds = devices.map((dev) =>
    ctx.add({
      id: ctx.uniqueId(`lvm:pv:${dev}`),
      title: `Make ${dev} an LVM physical volume`,
      // -y: pvcreate otherwise asks before wiping a signature it finds and, with
      // no terminal, answers no. apply asks for confirmation before this step.
      argv: ['pvcreate', '-y', dev],
      probe: { kind: 'command', argv: ['pvs', dev], description: `${dev} is a physical volume` },
      destroys: true,
      devices: [dev],
    }),
  );
  const id = ctx.uniqueId(`lvm:vg:${pool.name}`);
  ctx.add({
    id,
    title: `Create LVM volume group ${pool.name} on ${plural(devices.length, 'disk')}`,
    argv: ['vgcreate', ...vgFlags, pool.name, ...devices],
    probe: {
      kind: 'command',
      argv: ['vgs', pool.name],
      description: `volume group ${pool.name} exists`,
    },
    dependsOn: pvIds.map((s) => s.id),
    destroys: true,
    devices,
  });
  ctx.volumeGroups.set(pool.name, {
    name: pool.name,
    stepId: id,
    devices: devices.length,
    properties: props,
  });
}
