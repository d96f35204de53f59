/**
 * The batch commands: each reads a document, works through it once and exits.
 * dist/slipway.js runs them from a CommonJS bundle (core.ts; build/bundle.mjs
 * says why), and main.ts's command table starts with them.
 */
import type { Command } from './main.js';

export const batchCommands = {
  validate: () => import('./validate.js'),
  plan: () => import('./plan.js'),
} satisfies Record<string, () => Promise<Command>>;
