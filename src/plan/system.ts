import type { UnifiedConfig } from '../schema/index.js';
import type { PlanBuilder } from './builder.js';
import type { StepContext } from './types.js';

export interface SystemResult {
  /** Ids of the last steps of this context's configuration. */
  lastIds: string[];
}

/**
 * Host or nested basics in `context`: hostname, timezone, locale, environment,
 * networking, repositories and packages, users (ssh keys, sudo, password), scripts.
 */
export function compileSystem(
  _b: PlanBuilder,
  _config: UnifiedConfig,
  _context: StepContext,
  _where: { path: string; after: string[] },
): SystemResult {
  return { lastIds: [] };
}
