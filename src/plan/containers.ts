import type { UnifiedConfig } from '../schema/index.js';
import type { PlanBuilder } from './builder.js';
import type { StorageResult } from './storage.js';
import type { SystemResult } from './system.js';

/** Zones (illumos), jails (FreeBSD), Linux containers; then each nested sysconfig in its context. */
export function compileContainers(
  _b: PlanBuilder,
  _config: UnifiedConfig,
  _deps: { storage: StorageResult; hostSystem: SystemResult },
): void {}
