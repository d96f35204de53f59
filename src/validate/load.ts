/**
 * The one way a config is read for use: parse, resolve disk selectors against
 * the detected or recorded disks (when given), then the semantic checks — so
 * `validate`, `plan`, `apply` and the TUI report the same things.
 * (check.ts has the synchronous form, which loads zod with it.)
 */
import type { UnifiedConfig } from '../schema/config.js';
import { hasErrors, type Diagnostic } from '../schema/diagnostics.js';
import { attachLocations } from '../schema/locate.js';
import { readConfigQuickly, type ParseResult } from '../schema/read.js';
import { resolveDiskSelectors } from '../disks/select.js';
import { validateConfig, type ValidateOptions } from './index.js';

export interface CheckResult {
  /** The config as written (parsed), when it parsed. */
  parsed?: UnifiedConfig | undefined;
  /**
   * The config to use: with every disk selector replaced by the disks it picked
   * when disks were given (otherwise the parsed config). Set even when semantic
   * errors were found.
   */
  config?: UnifiedConfig | undefined;
  diagnostics: Diagnostic[];
  ok: boolean;
}

export interface CheckOptions extends ValidateOptions {
  /**
   * Reading the config to apply it on this machine. A re-run finds its own pools'
   * disks in use: they stay eligible for their pool's selectors, and disks named
   * by path are not reported here — apply's safety check refuses only the steps
   * that would actually write to a disk in use (exit 3, not 2).
   */
  applying?: boolean | undefined;
}

/**
 * Text → parse → (resolve selectors) → semantic checks, with line/column on
 * every finding; the same result as `checkConfigText` (check.ts), but zod is
 * loaded only when the generated reader leaves the document to it (a valid
 * config is read without building zod's schemas: `slipway validate`/`plan`).
 */
export async function loadConfigText(
  text: string,
  options: CheckOptions = {},
): Promise<CheckResult> {
  const quick = readConfigQuickly(text);
  const parsed =
    quick.parsed ?? (await import('../schema/parse.js')).parseConfigValue(quick.value, text);
  return checkParsedConfig(text, parsed, options);
}

/** The checks after parsing (`parsed`: of `text`). */
export function checkParsedConfig(
  text: string,
  parsed: ParseResult,
  options: CheckOptions = {},
): CheckResult {
  if (!parsed.ok) return { diagnostics: parsed.diagnostics, ok: false };
  let config = parsed.config;
  const diagnostics: Diagnostic[] = [];
  if (options.disks) {
    const resolved = resolveDiskSelectors(config, options.disks, {
      checkNamed: !options.applying,
      ownPoolDisksFree: options.applying === true,
    });
    config = resolved.config;
    diagnostics.push(...resolved.diagnostics);
  }
  diagnostics.push(...validateConfig(config, options));
  attachLocations(diagnostics, text);
  // Report in document order (stable: findings at one place keep their order).
  diagnostics.sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0),
  );
  return { parsed: parsed.config, config, diagnostics, ok: !hasErrors(diagnostics) };
}
