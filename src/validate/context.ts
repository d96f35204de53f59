/** What every check needs: where to report, the target platform, and facts about the whole document. */
import type { DatasetConfig, PoolConfig, UnifiedConfig } from '../schema/config.js';
import type { Platform } from '../plan/types.js';
import type { DiskIndex } from './devices.js';
import { Report, type Path } from './report.js';

/**
 * One `zfs_datasets` list of the document (the top level's, or a nested
 * config's), at `path`. The dataset trees are walked again from these for the
 * name uniqueness and space budget checks (budget.ts), instead of keeping an
 * entry with its own path array per dataset while the whole document is
 * checked: for 10,000 datasets those were 3 MB kept alive long enough to be
 * promoted to the old generation (fresh pages, ~800 page faults).
 */
export interface DatasetList {
  list: readonly DatasetConfig[];
  path: Path;
}

/**
 * The space budget worked out in the walk of the datasets (storage.ts), for the
 * usual document (budget.ts says which).
 */
export interface BudgetWalk {
  /** Its findings, reported once the document is known to be of the usual shape. */
  report: Report;
  /** The ancestor with the smallest quota, that quota, and the length of its path. */
  limit: DatasetConfig | undefined;
  limitQuota: number;
  limitDepth: number;
  /** Whether every child so far is one level below its parent, siblings named apart. */
  regular: boolean;
  /** The top-level datasets of every list, and what each one's tree takes for sure. */
  tops: DatasetConfig[];
  taken: number[];
}

/** One dataset anywhere in the document, for uniqueness and the space budget (budget.ts). */
export interface DatasetEntry {
  name: string;
  path: Path;
  quota?: number | undefined;
  reservation?: number | undefined;
  /** Size of a volume (its implicit refreservation). */
  volumeSize?: number | undefined;
}

/** Where a nested config lives: inside which zone, jail or container. */
export interface NestedIn {
  kind: 'zone' | 'jail' | 'container';
  name: string;
  /** Datasets delegated to a zone (`properties.dataset`). */
  delegated: string[];
}

export interface Ctx {
  report: Report;
  platform?: Platform | undefined;
  disks?: DiskIndex | undefined;
  /** Pools the document creates (top level only: nested configs may not create pools). */
  pools: Map<string, { pool: PoolConfig; path: Path }>;
  /**
   * Every dataset the document creates, nested configs included. Collected on
   * first use: only a reference to a dataset (a snapshot's dataset, a
   * replication's source, bootfs) asks, and 10,000 datasets are a Set of 10,000
   * names made for nothing when nothing refers to them.
   */
  createdDatasets(): ReadonlySet<string>;
  /** Filled while checking: every dataset list, in document order. */
  datasetLists: DatasetList[];
  /** The space budget, worked out while the datasets are checked. */
  budget: BudgetWalk;
  /**
   * Dataset property settings already found fine, to skip rechecking: dataset
   * type → property name → values. (Nested maps: a key string built per
   * property cost more than the check it saves on 10,000 datasets.)
   */
  propertiesOk: Map<string, Map<string, Set<string>>>;
  /**
   * User property names (with ":") found fine: whether one is fine does not
   * depend on its value beyond its length, and a value set per name grew by
   * one entry per dataset when every dataset has its own value.
   */
  userPropertiesOk: Set<string>;
}

/** `config`: the whole document being checked, when it is (its datasets are createdDatasets). */
export function newCtx(
  platform: Platform | undefined,
  disks: DiskIndex | undefined,
  config?: UnifiedConfig,
): Ctx {
  let created: Set<string> | undefined;
  return {
    report: new Report(),
    platform,
    disks,
    pools: new Map(),
    createdDatasets: () => {
      if (!created) {
        created = new Set();
        if (config) collectDatasets(config, created);
      }
      return created;
    },
    datasetLists: [],
    budget: {
      report: new Report(),
      limit: undefined,
      limitQuota: 0,
      limitDepth: 0,
      regular: true,
      tops: [],
      taken: [],
    },
    propertiesOk: new Map(),
    userPropertiesOk: new Set(),
  };
}

/** The names of a dataset tree. */
function addDatasetNames(list: readonly DatasetConfig[], out: Set<string>): void {
  for (const ds of list) {
    out.add(ds.name);
    if (ds.children.length) addDatasetNames(ds.children, out);
  }
}

/** Every dataset a config creates, its nested configs included. */
function collectDatasets(config: UnifiedConfig, out: Set<string>): void {
  addDatasetNames(config.storage.zfs_datasets, out);
  for (const fs of config.storage.filesystems) if (fs.fstype === 'zfs') out.add(fs.device);
  for (const z of config.containers.zones) if (z.sysconfig) collectDatasets(z.sysconfig, out);
  for (const j of config.containers.jails) if (j.sysconfig) collectDatasets(j.sysconfig, out);
  for (const c of config.containers.containers) if (c.sysconfig) collectDatasets(c.sysconfig, out);
}
