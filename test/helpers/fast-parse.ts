import { expect } from 'vitest';
import { UnifiedConfig } from '../../src/schema/config.js';
import { fastParseConfig } from '../../src/schema/fast-parse.generated.js';

/** JSON text of a value with key order, and keys set to undefined made visible. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v === undefined ? '\u0000undefined' : v));
}

/**
 * The generated reader (src/schema/fast-parse.generated.ts) on `value`, as JSON
 * text would give it, against zod: when the reader accepts the document, zod
 * accepts it too and returns the same values in the same key order. Returns
 * whether the reader accepted it (when it does not, zod parses as before).
 */
export function expectFastParseAgrees(value: unknown): boolean {
  const text = JSON.stringify(value);
  if (text === undefined) return false;
  const fast = fastParseConfig(JSON.parse(text));
  if (fast === undefined) return false;
  const zod = UnifiedConfig.safeParse(JSON.parse(text));
  expect(zod.success, `the fast reader accepted what zod rejects: ${text.slice(0, 500)}`).toBe(
    true,
  );
  expect(canonical(fast)).toBe(canonical(zod.data));
  return true;
}
