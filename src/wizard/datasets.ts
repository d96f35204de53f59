/**
 * Pure edits of the dataset tree (`storage.zfs_datasets`), snapshot and
 * replication entries, as the dataset tree editor makes them.
 */
import type { DatasetConfig, UnifiedConfig } from '../schema/config.js';
import { isNone, parseSize } from '../schema/size.js';

export interface DatasetRow {
  name: string;
  depth: number;
  node: DatasetConfig;
  hasChildren: boolean;
  collapsed: boolean;
}

/** The rows a tree shows, depth first, skipping the children of collapsed datasets. */
export function flattenTree(
  datasets: readonly DatasetConfig[],
  collapsed: ReadonlySet<string> = new Set(),
): DatasetRow[] {
  const rows: DatasetRow[] = [];
  const walk = (list: readonly DatasetConfig[], depth: number) => {
    for (const node of list) {
      const isCollapsed = collapsed.has(node.name);
      rows.push({
        name: node.name,
        depth,
        node,
        hasChildren: node.children.length > 0,
        collapsed: isCollapsed,
      });
      if (!isCollapsed) walk(node.children, depth + 1);
    }
  };
  walk(datasets, 0);
  return rows;
}

export function findDataset(
  list: readonly DatasetConfig[],
  name: string,
): DatasetConfig | undefined {
  for (const d of list) {
    if (d.name === name) return d;
    if (name.startsWith(d.name + '/')) {
      const found = findDataset(d.children, name);
      if (found) return found;
    }
  }
  return undefined;
}

function mapTree(
  list: readonly DatasetConfig[],
  name: string,
  f: (d: DatasetConfig) => DatasetConfig | null,
): DatasetConfig[] {
  const out: DatasetConfig[] = [];
  for (const d of list) {
    if (d.name === name) {
      const r = f(d);
      if (r) out.push(r);
    } else if (name.startsWith(d.name + '/'))
      out.push({ ...d, children: mapTree(d.children, name, f) });
    else out.push(d);
  }
  return out;
}

function withDatasets(config: UnifiedConfig, zfs_datasets: DatasetConfig[]): UnifiedConfig {
  return { ...config, storage: { ...config.storage, zfs_datasets } };
}

export class DatasetEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetEditError';
  }
}

/** What is wrong with a dataset name component, or undefined. */
export function leafProblem(leaf: string): string | undefined {
  if (leaf === '') return 'a name is needed';
  if (leaf.includes('/')) return 'give one name component, without "/"';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/.test(leaf))
    return 'use letters, digits and _ . : - (starting with a letter or digit)';
  return undefined;
}

/**
 * Add a dataset (or a zvol when `volumeSize` is given) under `parent`, or at the
 * top of `pool` when parent is null. Returns the new dataset's name.
 */
export function addDataset(
  config: UnifiedConfig,
  parent: string | null,
  pool: string,
  leaf: string,
  volumeSize?: string,
): { config: UnifiedConfig; name: string } {
  const problem = leafProblem(leaf);
  if (problem) throw new DatasetEditError(problem);
  if (volumeSize !== undefined && parseSize(volumeSize) === undefined)
    throw new DatasetEditError(`"${volumeSize}" is not a size (e.g. 10G)`);
  const name = `${parent ?? pool}/${leaf}`;
  if (findDataset(config.storage.zfs_datasets, name))
    throw new DatasetEditError(`${name} exists already`);
  const node: DatasetConfig = {
    name,
    dataset_type: volumeSize !== undefined ? { volume: { size: volumeSize } } : 'filesystem',
    properties: {},
    children: [],
  };
  if (parent === null)
    return { config: withDatasets(config, [...config.storage.zfs_datasets, node]), name };
  const p = findDataset(config.storage.zfs_datasets, parent);
  if (!p) throw new DatasetEditError(`no dataset ${parent}`);
  if (p.dataset_type !== 'filesystem') throw new DatasetEditError('a volume cannot have children');
  return {
    config: withDatasets(
      config,
      mapTree(config.storage.zfs_datasets, parent, (d) => ({
        ...d,
        children: [...d.children, node],
      })),
    ),
    name,
  };
}

function renameSubtree(d: DatasetConfig, from: string, to: string): DatasetConfig {
  return {
    ...d,
    name: to + d.name.slice(from.length),
    children: d.children.map((c) => renameSubtree(c, from, to)),
  };
}

const under = (name: string, root: string) => name === root || name.startsWith(root + '/');
const moved = (name: string, from: string, to: string) =>
  under(name, from) ? to + name.slice(from.length) : name;

/** Rename the last component of a dataset; its children, snapshots and replications follow. */
export function renameDataset(
  config: UnifiedConfig,
  name: string,
  leaf: string,
): { config: UnifiedConfig; name: string } {
  const problem = leafProblem(leaf);
  if (problem) throw new DatasetEditError(problem);
  const to = name.slice(0, name.lastIndexOf('/') + 1) + leaf;
  if (to === name) return { config, name };
  if (findDataset(config.storage.zfs_datasets, to))
    throw new DatasetEditError(`${to} exists already`);
  const next = withDatasets(
    config,
    mapTree(config.storage.zfs_datasets, name, (d) => renameSubtree(d, name, to)),
  );
  return {
    name: to,
    config: {
      ...next,
      storage: {
        ...next.storage,
        zfs_snapshots: next.storage.zfs_snapshots.map((s) =>
          under(s.dataset, name) ? { ...s, dataset: moved(s.dataset, name, to) } : s,
        ),
        zfs_replication: next.storage.zfs_replication.map((r) =>
          under(r.source_dataset, name)
            ? { ...r, source_dataset: moved(r.source_dataset, name, to) }
            : r,
        ),
      },
    },
  };
}

/** Remove a dataset with its children, and the snapshot and replication entries of them. */
export function removeDataset(config: UnifiedConfig, name: string): UnifiedConfig {
  const next = withDatasets(
    config,
    mapTree(config.storage.zfs_datasets, name, () => null),
  );
  return {
    ...next,
    storage: {
      ...next.storage,
      zfs_snapshots: next.storage.zfs_snapshots.filter((s) => !under(s.dataset, name)),
      zfs_replication: next.storage.zfs_replication.filter((r) => !under(r.source_dataset, name)),
    },
  };
}

/** Set quota or reservation: a size, "none", or empty to leave it unset. */
export function setSpace(
  config: UnifiedConfig,
  name: string,
  field: 'quota' | 'reservation',
  value: string,
): UnifiedConfig {
  const v = value.trim();
  if (v !== '' && !isNone(v) && parseSize(v) === undefined)
    throw new DatasetEditError(`"${v}" is not a size (e.g. 50G) or "none"`);
  return withDatasets(
    config,
    mapTree(config.storage.zfs_datasets, name, (d) => {
      const copy = { ...d };
      if (v === '') delete copy[field];
      else copy[field] = v;
      return copy;
    }),
  );
}

/** Set a property from "name=value"; "name=" removes it. */
export function setDatasetProperty(
  config: UnifiedConfig,
  name: string,
  assignment: string,
): UnifiedConfig {
  const eq = assignment.indexOf('=');
  if (eq <= 0)
    throw new DatasetEditError('write name=value, e.g. compression=lz4 (name= removes it)');
  const key = assignment.slice(0, eq).trim();
  const value = assignment.slice(eq + 1).trim();
  return withDatasets(
    config,
    mapTree(config.storage.zfs_datasets, name, (d) => {
      const properties = { ...d.properties };
      if (value === '') delete properties[key];
      else properties[key] = value;
      return { ...d, properties };
    }),
  );
}

/** Add a snapshot entry; "daily"/"hourly"/… as the name makes it a scheduled policy. */
export function addSnapshot(config: UnifiedConfig, dataset: string, name: string): UnifiedConfig {
  const n = name.trim();
  if (!n || /[@/\s]/.test(n))
    throw new DatasetEditError('a snapshot name without "@", "/" or spaces');
  const scheduled = ['hourly', 'daily', 'weekly', 'monthly'].includes(n);
  return {
    ...config,
    storage: {
      ...config.storage,
      zfs_snapshots: [
        ...config.storage.zfs_snapshots,
        {
          dataset,
          name: n,
          recursive: false,
          properties: {},
          ...(scheduled ? { schedule: n, retention: { keep_last: 7 } } : {}),
        },
      ],
    },
  };
}

/** Add a replication entry to "host:pool/dataset". */
export function addReplication(
  config: UnifiedConfig,
  dataset: string,
  target: string,
): UnifiedConfig {
  const t = target.trim();
  if (!/^[^:\s]+:[^\s]+\/?/.test(t)) throw new DatasetEditError('write host:pool/dataset');
  return {
    ...config,
    storage: {
      ...config.storage,
      zfs_replication: [
        ...config.storage.zfs_replication,
        {
          source_dataset: dataset,
          target: t,
          replication_type: 'full',
          exclude_properties: [],
          targets: [],
          recursive: false,
          overwrite_diverged: false,
        },
      ],
    },
  };
}

export interface Budget {
  pool: string;
  /** Space set aside: reservations, and volumes' sizes (a zvol reserves its size by default). */
  reservedBytes: number;
  /** Quotas summed (may exceed capacity: quotas are limits, not promises). */
  quotaBytes: number;
}

/** Reserved space per pool, from the dataset tree. */
export function spaceBudget(config: UnifiedConfig): Map<string, Budget> {
  const out = new Map<string, Budget>();
  const walk = (list: readonly DatasetConfig[]) => {
    for (const d of list) {
      const pool = d.name.split('/')[0]!;
      let b = out.get(pool);
      if (!b) out.set(pool, (b = { pool, reservedBytes: 0, quotaBytes: 0 }));
      const res = d.reservation && !isNone(d.reservation) ? parseSize(d.reservation) : undefined;
      const vol =
        d.dataset_type !== 'filesystem' && !isNone(d.properties.refreservation)
          ? parseSize(d.dataset_type.volume.size)
          : undefined;
      b.reservedBytes += Math.max(res ?? 0, vol ?? 0);
      const q = d.quota && !isNone(d.quota) ? parseSize(d.quota) : undefined;
      b.quotaBytes += q ?? 0;
      walk(d.children);
    }
  };
  walk(config.storage.zfs_datasets);
  return out;
}
