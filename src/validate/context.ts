/** What every check needs: where to report, the target platform, and facts about the whole document. */
import type { PoolConfig } from '../schema/config.js';
import type { Platform } from '../plan/types.js';
import type { DiskIndex } from './devices.js';
import { Report, type Path } from './report.js';

/** One dataset anywhere in the document, for uniqueness and the space budget. */
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
  /** Every dataset the document creates, nested configs included. */
  createdDatasets: Set<string>;
  /** Filled while checking: every dataset declaration, in document order. */
  datasets: DatasetEntry[];
  /**
   * Dataset property settings already found fine, to skip rechecking: dataset
   * type → property name → values. (Nested maps: a key string built per
   * property cost more than the check it saves on 10,000 datasets.)
   */
  propertiesOk: Map<string, Map<string, Set<string>>>;
}

export function newCtx(platform: Platform | undefined, disks: DiskIndex | undefined): Ctx {
  return {
    report: new Report(),
    platform,
    disks,
    pools: new Map(),
    createdDatasets: new Set(),
    datasets: [],
    propertiesOk: new Map(),
  };
}
