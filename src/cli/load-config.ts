/**
 * The one way the headless commands read a config: parse, resolve disk
 * selectors against the detected or recorded disks (when given), then the
 * semantic checks — so `validate`, `plan` and `apply` report the same things.
 */
import {
  attachLocation,
  hasErrors,
  parseConfigText,
  type Diagnostic,
  type UnifiedConfig,
} from '../schema/index.js';
import { validateConfig } from '../validate/index.js';
import { resolveDiskSelectors } from '../disks/select.js';
import type { Disk } from '../disks/types.js';
import type { Platform } from '../plan/types.js';

export interface LoadedConfig {
  /** The config as written (parsed), when it parsed. */
  parsed?: UnifiedConfig | undefined;
  /** With every disk selector replaced by the disks it picked (same as parsed without disks). */
  config?: UnifiedConfig | undefined;
  diagnostics: Diagnostic[];
  ok: boolean;
}

export function loadConfigText(
  text: string,
  options: { platform?: Platform | undefined; disks?: readonly Disk[] | undefined } = {},
): LoadedConfig {
  const parsed = parseConfigText(text);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics, ok: false };
  let config = parsed.config;
  const diagnostics: Diagnostic[] = [];
  if (options.disks) {
    const resolved = resolveDiskSelectors(config, options.disks);
    config = resolved.config;
    diagnostics.push(...resolved.diagnostics);
  }
  diagnostics.push(...validateConfig(config, { platform: options.platform, disks: options.disks }));
  for (const d of diagnostics) attachLocation(d, text);
  return { parsed: parsed.config, config, diagnostics, ok: !hasErrors(diagnostics) };
}
