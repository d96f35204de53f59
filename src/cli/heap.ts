/**
 * For a command that reads a document, works through it once and exits
 * (`validate`, `plan`): keep V8's young generation at its starting size.
 *
 * V8 starts each semi-space of the young generation at 1 MB and doubles it, up
 * to 16 MB, while a program allocates. Each doubling maps fresh memory, and on
 * a virtual machine a page fault costs 13-20 µs: growing to 16 MB touched about
 * 8,000 new pages in a 10,000-dataset `plan --json`, ~100 ms, and everything
 * such a command makes lives until it exits anyway, so a larger young
 * generation saves no copying (648 -> 506 ms). A script run with
 * `node dist/slipway.js` cannot pass V8 flags at start, so the growth factor is
 * set here, before the work starts; V8 reads it each time it would grow the
 * young generation (SemiSpaceNewSpace::Grow), so setting it late is safe.
 *
 * dist/slipway.js sets the same flag, the same way, before it compiles the core
 * (build/core-loader.cjs: the core's code cache carries a hash of the V8 flags);
 * setting it again here changes nothing. A process started with its own
 * young-generation flags keeps them: the single
 * executable starts with `--max-semi-space-size=1` (build/sea.config.json), and
 * any call of setFlagsFromString changes the flag hash that V8's code cache
 * carries, so its cache would no longer match.
 */
export function keepYoungGenerationSmall(): void {
  if (process.execArgv.some((a) => /^--(max-semi-space-size|semi-space-growth-factor)\b/.test(a)))
    return;
  // node:v8 is loaded only here (~5 ms), not by every command that imports this
  process.getBuiltinModule('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
}
