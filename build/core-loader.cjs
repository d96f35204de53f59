// How dist/slipway.js loads the core of `validate` and `plan` (chunks/core-HASH.cjs):
// build/bundle.mjs writes this function's text into the launcher, and
// build/core-cache.mjs loads the core with it to make the core's V8 code cache.
//
// The core is compiled with vm.Script, with the code cache made at build time when
// there is one (chunks/core-HASH.cache): V8 then compiles none of the functions the
// cache holds, the ones validating and planning the examples ran (~100M fewer
// instructions on the main thread for a 10,000-dataset plan --json, callgrind; 10 ms
// less, paired medians of 30). A cache made by another V8, or under other V8 flags,
// is rejected, and the core is compiled from its source as require() would.
//
// - V8's flags for these two commands (src/cli/tuning.ts: a young generation kept
//   small, and TurboFan off until the command has read a large document) are set
//   before compiling: V8's cache carries a hash of the flags. A flag of either kind
//   given to node at start is kept as given.
// - The core is wrapped as require() wraps a CommonJS file, with one more
//   parameter: its lazy `import()`s of the ES-module build (bundle.mjs rewrites
//   them) go through `__slipwayImport`, an import() of this function. An import()
//   in code that V8 read from a cache finds no module loader (Node loses the
//   script's import callback then).
// - SLIPWAY_CORE_DEBUG=1 says on standard error whether the cache was taken.
'use strict';

/**
 * Load and run the core `file`, with the code cache `cacheFile` if it can be read;
 * returns its vm.Script, and `run` to run it again (build/core-cache.mjs).
 */
function loadSlipwayCore(file, cacheFile) {
  const v8 = require('node:v8');
  if (!process.execArgv.some((a) => /^--(max-semi-space-size|semi-space-growth-factor)\b/.test(a)))
    v8.setFlagsFromString('--semi-space-growth-factor=1');
  if (!process.execArgv.some((a) => /^--(no-)?(turbofan|opt|max-opt)\b/.test(a)))
    v8.setFlagsFromString('--no-turbofan');
  const fs = require('node:fs');
  const path = require('node:path');
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = fs.readFileSync(file, 'utf8');
  const script = new (require('node:vm').Script)(
    `(function (exports, require, module, __filename, __dirname, __slipwayImport) {${source}\n})`,
    { filename: file, cachedData },
  );
  if (process.env.SLIPWAY_CORE_DEBUG)
    fs.writeSync(
      2,
      `slipway: core code cache ${cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`,
    );
  const dir = path.dirname(file);
  // the core requires only Node's built-in modules: this module's require does
  // (node:module's createRequire would load the ES-module loader, ~10 ms)
  const run = () => {
    const module = { exports: {} };
    script.runInThisContext()(
      module.exports,
      require,
      module,
      file,
      dir,
      (specifier) => import(require('node:url').pathToFileURL(path.join(dir, specifier)).href),
    );
  };
  run();
  return { script, run };
}

module.exports = { loadSlipwayCore };
