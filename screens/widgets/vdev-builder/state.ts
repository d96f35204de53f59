/**
 * Vdev builder state: the rows of one pool (its name, vdevs by class, "add"
 * rows, common properties), a cursor, and an "assign" mode in which Space puts
 * disks into the vdev under the cursor. Edits go to the config through the pure
 * functions of src/wizard/topology.ts. Pure.
 */
import type { Disk } from '../../../src/disks/types.js';
import type { UnifiedConfig } from '../../../src/schema/config.js';
import {
  type VdevRef,
  type VdevRole,
  addVdev,
  cycleVdevType,
  devicesAt,
  freshPoolName,
  newPool,
  placeOfDisk,
  poolPropertyValue,
  removePool,
  removeVdev,
  setPoolProperty,
  toggleDiskIn,
  withPools,
} from '../../../src/wizard/topology.js';
import { findDiskByPath, devicePathOf } from '../../../src/disks/select.js';
import { clamp } from '../window.js';

export type PropName = 'ashift' | 'compression' | 'atime';
export const PROPS: { name: PropName; kind: 'pool' | 'filesystem'; values: string[] }[] = [
  { name: 'ashift', kind: 'pool', values: ['', '9', '12', '13'] },
  { name: 'compression', kind: 'filesystem', values: ['', 'on', 'off', 'lz4', 'zstd', 'gzip'] },
  { name: 'atime', kind: 'filesystem', values: ['', 'on', 'off'] },
];

export type BuilderRow =
  | { kind: 'name' }
  | { kind: 'vdev'; ref: VdevRef }
  | { kind: 'add'; role: Exclude<VdevRole, 'devices'> }
  | { kind: 'prop'; prop: PropName }
  | { kind: 'remove-pool' };

export interface VdevBuilderState {
  pool: number;
  cursor: number;
  /** Assigning disks to a vdev: the vdev and a cursor over the candidate disks. */
  assign: { ref: VdevRef; cursor: number } | null;
}

export type VdevBuilderAction =
  | { type: 'move'; delta: number }
  /** Enter on a row: open assign mode on a vdev, add a vdev, cycle a property. */
  | { type: 'activate' }
  | { type: 'cycle-type' }
  | { type: 'cycle-prop'; delta: number }
  | { type: 'remove' }
  | { type: 'next-pool' }
  | { type: 'add-pool' }
  | { type: 'assign-move'; delta: number }
  | { type: 'assign-toggle' }
  | { type: 'assign-done' };

export interface Builder {
  builder: VdevBuilderState;
  config: UnifiedConfig;
}

export const initialBuilder: VdevBuilderState = { pool: 0, cursor: 0, assign: null };

export function builderRows(config: UnifiedConfig, pool: number): BuilderRow[] {
  const p = config.storage.pools[pool];
  if (!p) return [];
  const rows: BuilderRow[] = [{ kind: 'name' }];
  if (!p.topology || (p.devices.length > 0 && p.topology.data.length === 0))
    rows.push({ kind: 'vdev', ref: { pool, role: 'devices', index: 0 } });
  const t = p.topology;
  for (const role of ['data', 'log', 'cache', 'special'] as const) {
    (t?.[role] ?? []).forEach((_, index) =>
      rows.push({ kind: 'vdev', ref: { pool, role, index } }),
    );
    rows.push({ kind: 'add', role });
  }
  if (t && t.spare.length > 0) rows.push({ kind: 'vdev', ref: { pool, role: 'spare', index: 0 } });
  else rows.push({ kind: 'add', role: 'spare' });
  for (const prop of PROPS) rows.push({ kind: 'prop', prop: prop.name });
  rows.push({ kind: 'remove-pool' });
  return rows;
}

/**
 * Disks that assign mode offers for a pool: the picked ones and any already in
 * the pool (a prefilled config), in the order of the detected list.
 */
export function candidateDisks(
  config: UnifiedConfig,
  pool: number,
  disks: readonly Disk[],
  picked: readonly string[],
): Disk[] {
  const inPool = new Set<string>();
  const p = config.storage.pools[pool];
  if (p) {
    const refs = [
      ...p.devices,
      ...(p.topology
        ? [
            ...p.topology.spare,
            ...(['data', 'log', 'cache', 'special'] as const).flatMap((r) =>
              p.topology![r].flatMap((v) => v.devices),
            ),
          ]
        : []),
    ];
    for (const ref of refs) {
      const path = devicePathOf(ref);
      const d = path !== undefined ? findDiskByPath(path, disks) : undefined;
      if (d) inPool.add(d.path);
    }
  }
  const pickedSet = new Set(picked);
  return disks.filter((d) => pickedSet.has(d.path) || inPool.has(d.path));
}

/** Start a pool from the picked disks when there is none yet: one data vdev of them all. */
export function seedPool(
  config: UnifiedConfig,
  disks: readonly Disk[],
  picked: readonly string[],
): UnifiedConfig {
  if (config.storage.pools.length > 0 || picked.length === 0) return config;
  let next = withPools(config, [newPool(freshPoolName(config))]);
  const chosen = disks.filter((d) => picked.includes(d.path));
  const added = addVdev(next, 0, 'data');
  next = added.config;
  for (const d of chosen) next = toggleDiskIn(next, added.ref, d);
  return addVdevTypeFor(next, added.ref, chosen.length);
}

function addVdevTypeFor(config: UnifiedConfig, ref: VdevRef, width: number): UnifiedConfig {
  const type = width >= 3 ? 'raidz' : width === 2 ? 'mirror' : 'stripe';
  return withPools(
    config,
    config.storage.pools.map((p, i) =>
      i !== ref.pool || !p.topology
        ? p
        : {
            ...p,
            topology: {
              ...p.topology,
              data: p.topology.data.map((v, j) =>
                j === ref.index ? { ...v, vdev_type: type } : v,
              ),
            },
          },
    ),
  );
}

export function vdevBuilderReducer(
  s: Builder,
  a: VdevBuilderAction,
  disks: readonly Disk[],
  picked: readonly string[],
): Builder {
  const { builder, config } = s;
  const rows = builderRows(config, builder.pool);
  const row = rows[clamp(builder.cursor, 0, rows.length - 1)];
  const set = (b: Partial<VdevBuilderState>, c: UnifiedConfig = config): Builder => ({
    builder: { ...builder, ...b },
    config: c,
  });
  switch (a.type) {
    case 'move':
      return set({ cursor: clamp(builder.cursor + a.delta, 0, Math.max(0, rows.length - 1)) });
    case 'activate': {
      if (!row) {
        if (config.storage.pools.length === 0)
          return set({ pool: 0, cursor: 0 }, withPools(config, [newPool(freshPoolName(config))]));
        return s;
      }
      if (row.kind === 'vdev') return set({ assign: { ref: row.ref, cursor: 0 } });
      if (row.kind === 'add') {
        if (row.role === 'spare')
          return set({
            assign: { ref: { pool: builder.pool, role: 'spare', index: 0 }, cursor: 0 },
          });
        const added = addVdev(config, builder.pool, row.role);
        const cursor = builderRows(added.config, builder.pool).findIndex(
          (r) =>
            r.kind === 'vdev' && r.ref.role === added.ref.role && r.ref.index === added.ref.index,
        );
        return set({ cursor, assign: { ref: added.ref, cursor: 0 } }, added.config);
      }
      if (row.kind === 'prop')
        return vdevBuilderReducer(s, { type: 'cycle-prop', delta: 1 }, disks, picked);
      if (row.kind === 'remove-pool') {
        const c = removePool(config, builder.pool);
        return set(
          { pool: clamp(builder.pool, 0, Math.max(0, c.storage.pools.length - 1)), cursor: 0 },
          c,
        );
      }
      return s;
    }
    case 'cycle-type':
      return row?.kind === 'vdev' ? set({}, cycleVdevType(config, row.ref)) : s;
    case 'cycle-prop': {
      if (row?.kind !== 'prop') return s;
      const spec = PROPS.find((p) => p.name === row.prop)!;
      const pool = config.storage.pools[builder.pool];
      if (!pool) return s;
      const cur = poolPropertyValue(pool, spec.kind, spec.name) ?? '';
      const at = spec.values.indexOf(cur);
      const n = spec.values.length;
      const value = spec.values[((((at < 0 ? 0 : at) + a.delta) % n) + n) % n]!;
      return set({}, setPoolProperty(config, builder.pool, spec.kind, spec.name, value));
    }
    case 'remove': {
      if (row?.kind !== 'vdev') return s;
      const c = removeVdev(config, row.ref);
      return set({ cursor: clamp(builder.cursor, 0, builderRows(c, builder.pool).length - 1) }, c);
    }
    case 'next-pool': {
      const n = config.storage.pools.length;
      return n ? set({ pool: (builder.pool + 1) % n, cursor: 0, assign: null }) : s;
    }
    case 'add-pool': {
      const c = withPools(config, [...config.storage.pools, newPool(freshPoolName(config))]);
      return set({ pool: c.storage.pools.length - 1, cursor: 0, assign: null }, c);
    }
    case 'assign-move': {
      if (!builder.assign) return s;
      const n = candidateDisks(config, builder.pool, disks, picked).length;
      return set({
        assign: {
          ...builder.assign,
          cursor: clamp(builder.assign.cursor + a.delta, 0, Math.max(0, n - 1)),
        },
      });
    }
    case 'assign-toggle': {
      if (!builder.assign) return s;
      const disk = candidateDisks(config, builder.pool, disks, picked)[builder.assign.cursor];
      return disk ? set({}, toggleDiskIn(config, builder.assign.ref, disk)) : s;
    }
    case 'assign-done':
      return set({ assign: null });
  }
}

export { devicesAt, placeOfDisk };
