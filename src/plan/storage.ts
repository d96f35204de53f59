import type { UnifiedConfig } from '../schema/index.js';
import type { PlanBuilder } from './builder.js';
import { StorageContext } from './storage-context.js';
import { compileBootfs, compilePools } from './storage-pools.js';
import { compileDatasets, compileReplication, compileSnapshots } from './storage-datasets.js';
import { compileFilesystems, compileMounts } from './storage-fs.js';

export interface StorageResult {
  /** Step id that creates each dataset / pool root dataset, by dataset name. */
  datasetStep: Map<string, string>;
  /** Mountpoint → dataset name, for datasets this plan creates (bind volumes depend on them). */
  mountpoints: Map<string, string>;
  /**
   * Ids after which host configuration may start: the leaves of the storage
   * steps (everything else in storage comes before one of them). Replication
   * is left out: a send to another machine does not hold up the host.
   */
  lastIds: string[];
  /**
   * The step creating the dataset mounted at `dir` (the deepest directory of a
   * bind volume, a zonepath…), if the plan creates one; `dir` and a mount point
   * written with trailing "/" are the same place.
   */
  stepMountedAt(dir: string): string | undefined;
}

/**
 * Pools, datasets, zvols, file systems, mounts, snapshots, replication, in an
 * order where every step comes after what it needs: pools (zpool, LVM volume
 * groups) → datasets and volumes, parent first → `zpool set bootfs` → logical
 * volumes and mkfs → mounts (parents first) and fstab lines → snapshots →
 * replication.
 */
export function compileStorage(b: PlanBuilder, config: UnifiedConfig): StorageResult {
  const ctx = new StorageContext(b, config);
  const bootfs = compilePools(ctx);
  compileDatasets(ctx);
  compileBootfs(ctx, bootfs);
  compileFilesystems(ctx);
  compileMounts(ctx);
  const snapshots = compileSnapshots(ctx);
  compileReplication(ctx, snapshots);
  return {
    datasetStep: ctx.datasetStep,
    // read only by callers that want it (tests): made from the noted mount points then
    get mountpoints() {
      return ctx.mountpoints;
    },
    lastIds: ctx.lastIds(),
    stepMountedAt: (dir) => ctx.stepMountedAt(dir),
  };
}
