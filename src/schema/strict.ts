import { z } from 'zod';

/**
 * Marker placed in the message of an `unrecognized_keys` issue so that the
 * diagnostics layer can turn it into one diagnostic per key, each with a
 * did-you-mean suggestion from the keys the object actually takes.
 */
export const UNKNOWN_KEYS_MARKER = '\u0000slipway-unknown-keys:';

/**
 * A strict object: unknown keys are errors (an installer must never silently
 * ignore a typo). The allowed keys travel with the issue for suggestions.
 */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, description?: string) {
  const allowed = Object.keys(shape);
  const schema = z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? UNKNOWN_KEYS_MARKER + JSON.stringify(allowed) : undefined,
  });
  return description ? schema.describe(description) : schema;
}

/**
 * The transform of `scalarString`, named so that build/gen-fast-parse.ts can
 * recognise it and write it as code.
 */
export const scalarToString = (v: string | number | boolean): string => String(v);

/** Scalars in free-form string maps: `"ashift": 12` is read as `"12"`. */
export const scalarString = z
  .union([z.string(), z.number(), z.boolean()])
  .transform(scalarToString);

/** A free-form `name → value` map (ZFS properties, zone properties, parameters). */
export const stringMap = (description: string) =>
  z.record(z.string(), scalarString).default({}).describe(description);

/** A list that defaults to empty, as every collection in the format does. */
export const list = <T extends z.ZodType>(item: T, description: string) =>
  z.array(item).default([]).describe(description);
