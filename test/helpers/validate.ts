import { parseConfigValue, type Diagnostic, type UnifiedConfig } from '../../src/schema/index.js';
import { validateConfig, type ValidateOptions } from '../../src/validate/index.js';
import { expectFastParseAgrees } from './fast-parse.js';

/** Parse a config value that must be schema-valid (the test is about semantics). */
export function cfg(value: unknown): UnifiedConfig {
  // Every test config also checks that the generated reader agrees with zod.
  expectFastParseAgrees(value);
  const r = parseConfigValue(value);
  if (!r.ok) throw new Error(`test config does not parse: ${JSON.stringify(r.diagnostics)}`);
  return r.config;
}

export function check(value: unknown, options: ValidateOptions = {}): Diagnostic[] {
  return validateConfig(cfg(value), options);
}

export const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'error');
export const warnings = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 'warning');
export const at = (ds: Diagnostic[], path: string) => ds.filter((d) => d.path === path);

/** A config with one zpool of the given data vdevs. */
export function withPool(
  pool: Record<string, unknown>,
  rest: Record<string, unknown> = {},
): unknown {
  return { ...rest, storage: { ...(rest.storage as object), pools: [{ name: 'tank', ...pool }] } };
}

export const mirror = (...devices: unknown[]) => ({ vdev_type: 'mirror', devices });
export const stripe = (...devices: unknown[]) => ({ vdev_type: 'stripe', devices });
export const raidz = (type: string, n: number, prefix = '/dev/sd') => ({
  vdev_type: type,
  devices: Array.from({ length: n }, (_, i) => `${prefix}${String.fromCharCode(98 + i)}`),
});
