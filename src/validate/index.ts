import type { Diagnostic, UnifiedConfig } from '../schema/index.js';
import type { Disk } from '../disks/types.js';
import type { Platform } from '../plan/types.js';

export interface ValidateOptions {
  /** Target platform, when known: enables platform-specific checks. */
  platform?: Platform | undefined;
  /** Detected or recorded disks: enables capacity budget checks. */
  disks?: readonly Disk[] | undefined;
}

/** Semantic checks over a parsed config. Pure; never throws. */
export function validateConfig(
  _config: UnifiedConfig,
  _options: ValidateOptions = {},
): Diagnostic[] {
  return [];
}
