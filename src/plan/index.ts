import type { UnifiedConfig } from '../schema/index.js';
import type { Plan, Platform } from './types.js';

export * from './types.js';

export interface PlanOptions {
  /** Pool capacity by pool name, when known from detected disks. */
  poolCapacity?: Record<string, number> | undefined;
}

/** Compile a parsed config into the ordered steps apply would run on `platform`. Pure. */
export function compilePlan(
  _config: UnifiedConfig,
  platform: Platform,
  _options: PlanOptions = {},
): Plan {
  return { platform, steps: [], diagnostics: [] };
}
