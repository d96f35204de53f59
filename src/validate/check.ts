import {
  hasErrors,
  parseConfigText,
  type Diagnostic,
  type UnifiedConfig,
} from '../schema/index.js';
import { validateConfig, type ValidateOptions } from './index.js';
import { attachLocations } from './locate.js';

export interface CheckResult {
  /** The parsed config, when it parsed (even if semantic errors were found). */
  config?: UnifiedConfig | undefined;
  diagnostics: Diagnostic[];
  ok: boolean;
}

/** Text → parse → semantic checks: everything `slipway validate` reports. */
export function checkConfigText(text: string, options: ValidateOptions = {}): CheckResult {
  const parsed = parseConfigText(text);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics, ok: false };
  const diagnostics = validateConfig(parsed.config, options);
  attachLocations(diagnostics, text);
  return { config: parsed.config, diagnostics, ok: !hasErrors(diagnostics) };
}
