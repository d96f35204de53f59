import type { UnifiedConfig } from '../schema/index.js';
import type { PlanBuilder } from './builder.js';

export interface StorageResult {
  /** Step id that creates each dataset / pool root dataset, by dataset name. */
  datasetStep: Map<string, string>;
  /** Mountpoint → dataset name, for datasets this plan creates (bind volumes depend on them). */
  mountpoints: Map<string, string>;
  /** Ids after which host configuration may start (all storage steps). */
  lastIds: string[];
}

/** Pools, datasets, zvols, file systems, mounts, snapshots, replication. */
export function compileStorage(_b: PlanBuilder, _config: UnifiedConfig): StorageResult {
  return { datasetStep: new Map(), mountpoints: new Map(), lastIds: [] };
}
