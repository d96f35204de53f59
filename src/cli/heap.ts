import { setFlagsFromString } from 'node:v8';

/**
 * For a command that reads a document, works through it once and exits
 * (`validate`, `plan`): keep V8's young generation at its starting size.
 *
 * V8 starts each semi-space of the young generation at 1 MB and doubles it, up
 * to 16 MB, while a program allocates. Each doubling maps fresh memory, and on
 * a virtual machine a page fault costs 13-20 µs: growing to 16 MB touched about
 * 8,000 new pages in a 10,000-dataset `plan --json`, ~100 ms, and everything
 * such a command makes lives until it exits anyway, so a larger young
 * generation saves no copying. The single executable starts with
 * `--max-semi-space-size=1` (build/sea.config.json); a script run with
 * `node dist/slipway.js` cannot pass V8 flags at start, so the growth factor is
 * set here, before the work starts. V8 reads it each time it would grow the
 * young generation (SemiSpaceNewSpace::Grow), so setting it late is safe; the
 * flag exists in V8 of Node 20 and of the single executable's Node.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
