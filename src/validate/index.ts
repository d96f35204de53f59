/**
 * Semantic checks of a parsed unified config → diagnostics with JSON paths and
 * hints. Pure: no I/O, never throws. Topics live in their own modules
 * (storage, properties, budget, capacity, containers, users, system, names);
 * nested configs (a zone's, jail's or container's `sysconfig`) are checked
 * recursively with their full path.
 */
import type { Diagnostic, UnifiedConfig } from '../schema/index.js';
import type { Disk } from '../disks/types.js';
import type { Platform } from '../plan/types.js';
import { checkDatasets } from './budget.js';
import { checkContainers } from './containers.js';
import { newCtx, type Ctx, type NestedIn } from './context.js';
import { DiskIndex } from './devices.js';
import type { Path } from './report.js';
import { checkStorage } from './storage.js';
import {
  checkIntegrations,
  checkNetworking,
  checkScripts,
  checkSoftware,
  checkSystem,
} from './system.js';
import { checkUsers } from './users.js';
import { validateSnapshotPolicies } from './snapshot-policy.js';

export { poolCapacity, vdevCapacity, type PoolCapacity, type VdevCapacity } from './capacity.js';
export { DiskIndex } from './devices.js';

export interface ValidateOptions {
  /** Target platform, when known: enables platform-specific checks. */
  platform?: Platform | undefined;
  /** Detected or recorded disks: enables capacity budget checks. */
  disks?: readonly Disk[] | undefined;
}

// base.concat(…): a spread made the array, then grew it for the segment after
// (~250 bytes each; eight per level, 201 levels in a config with 200 containers)
function checkLevel(
  ctx: Ctx,
  config: UnifiedConfig,
  base: Path,
  nested: NestedIn | undefined,
): void {
  const r = ctx.report;
  if (nested && config.storage.pools.length > 0)
    r.error(
      base.concat('storage', 'pools'),
      `a nested config (inside ${nested.kind} "${nested.name}") cannot create pools`,
      "declare pools in the top-level config's storage.pools (datasets may be delegated to the zone or jail)",
    );
  if (nested?.kind === 'container' && config.storage.zfs_datasets.length > 0)
    r.warning(
      base.concat('storage', 'zfs_datasets'),
      'ZFS datasets cannot be created from inside a Linux container',
      'create them in the top-level config and mount them into the container with a bind volume',
    );
  checkSystem(ctx, base.concat('system'), config.system);
  checkStorage(ctx, base.concat('storage'), config.storage, nested);
  checkNetworking(ctx, base.concat('networking'), config.networking);
  checkSoftware(ctx, base.concat('software'), config.software);
  checkUsers(ctx, base.concat('users'), config.users);
  checkScripts(ctx, base.concat('scripts'), config.scripts);
  checkIntegrations(ctx, base.concat('integrations'), config.integrations);
  checkContainers(ctx, base.concat('containers'), config.containers, nested, (c, p, n) =>
    checkLevel(ctx, c, p, n),
  );
}

/** Semantic checks over a parsed config. Pure; never throws. */
export function validateConfig(config: UnifiedConfig, options: ValidateOptions = {}): Diagnostic[] {
  const ctx = newCtx(
    options.platform,
    options.disks ? new DiskIndex(options.disks) : undefined,
    config,
  );
  config.storage.pools.forEach((pool, i) => {
    if (!ctx.pools.has(pool.name))
      ctx.pools.set(pool.name, { pool, path: ['storage', 'pools', i] });
  });
  checkLevel(ctx, config, [], undefined);

  checkDatasets(ctx);
  // Snapshot policies and scheduled replication (issue 7 extensions) run on the host.
  return [...ctx.report.diagnostics, ...validateSnapshotPolicies(config)];
}
