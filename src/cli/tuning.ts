/**
 * V8 tuning for a command that reads a document, works through it once and
 * exits (`validate`, `plan`). A script run with `node dist/slipway.js` cannot
 * pass V8 flags at start, so they are set at run time; dist/slipway.js sets the
 * same ones, the same way, before it compiles the core (build/core-loader.cjs:
 * the core's code cache carries a hash of the V8 flags, so they must be the
 * same when the cache is made and when it is read). A process started with its
 * own flags of either kind keeps them: the single executable starts with
 * `--max-semi-space-size=1` (build/sea.config.json), and any call of
 * setFlagsFromString that changes a flag changes the hash its cache was made
 * under.
 */

/**
 * Keep V8's young generation at its starting size.
 *
 * V8 starts each semi-space of the young generation at 1 MB and doubles it, up
 * to 16 MB, while a program allocates. Each doubling maps fresh memory, and on
 * a virtual machine a page fault costs 13-20 µs: growing to 16 MB touched about
 * 8,000 new pages in a 10,000-dataset `plan --json`, ~100 ms, and everything
 * such a command makes lives until it exits anyway, so a larger young
 * generation saves no copying (648 -> 506 ms). V8 reads the growth factor each
 * time it would grow the young generation (SemiSpaceNewSpace::Grow), so setting
 * it late is safe; setting it again after the launcher did changes nothing.
 */
export function keepYoungGenerationSmall(): void {
  if (process.execArgv.some((a) => /^--(max-semi-space-size|semi-space-growth-factor)\b/.test(a)))
    return;
  // node:v8 is loaded only here (~5 ms), not by every command that imports this
  process.getBuiltinModule('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Documents of at least this many characters are worth V8's optimising compiler.
 *
 * dist/slipway.js starts `validate` and `plan` with TurboFan off
 * (build/core-loader.cjs). In a run of a few hundred ms on two cores its
 * compiling, on a worker thread beside the parallel scavenger, and the
 * deoptimisations cost more than optimised code saves: planning 10,000 datasets
 * (1.0 MB) as JSON took 384 -> 341 ms without it, validating them 304 -> 243 ms
 * (medians of 21 and 15 interleaved runs, Node 20). The two were level at 15,000
 * and 20,000 datasets (1.5 and 2.0 MB), and TurboFan was ahead from 25,000 (2.6
 * MB: -15 ms; 5.1 MB: -100 ms, of ~1 s).
 */
export const OPTIMISE_FROM_CHARS = 1_500_000;

/**
 * Turn TurboFan back on for a document of `chars` characters when it is large
 * enough to repay it (OPTIMISE_FROM_CHARS). V8 reads the flag each time a
 * function is hot enough to optimise, so functions that get hot from here on
 * are optimised. Where TurboFan was never turned off (the single executable, the
 * ES-module build) this sets it to what it already is.
 */
export function optimiseForLargeDocument(chars: number): void {
  if (chars < OPTIMISE_FROM_CHARS || process.execArgv.some((a) => TIERING_FLAG.test(a))) return;
  process.getBuiltinModule('node:v8').setFlagsFromString('--turbofan');
}

/** A V8 flag given at start that decides the tiers itself (kept as given). */
export const TIERING_FLAG = /^--(no-)?(turbofan|opt|max-opt)\b/;
