import { z } from 'zod';
import { UnifiedConfig } from './config.js';

/** The JSON Schema of the unified config, generated from the zod schemas. */
export function jsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(UnifiedConfig, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    $schema: generated.$schema,
    $id: 'https://slipway.invalid/schema/unified-config.json',
    title: 'Slipway unified config',
    ...generated,
  };
}
