// The main script of the single executable dist/slipway (see build/sea-app.mjs).
// `slipway --version` is answered here, exactly as src/cli/main.ts answers it
// (test/e2e/sea.test.ts compares the two), without compiling the program. Anything
// else compiles the program from the executable's assets, with a code cache made at
// build time, and runs it: in a terminal (stdin and stdout), the one made up to the
// program's first frame in a terminal, otherwise the one of its top level
// (build/sea-cache.mjs says why two). `validate` and `plan` run the core instead
// (src/cli/core.ts, as dist/slipway.js does), with its cache made after validating
// and planning the examples, and their rare paths from a script of their own.
/* global __SLIPWAY_VERSION__, __SLIPWAY_HAS_CORE__ -- replaced by esbuild (build/sea.mjs) */
import { getAsset } from 'node:sea';
import { Script } from 'node:vm';
import { createRequire } from 'node:module';

const first = process.argv[2];
if (first === '--version' || first === '-V') {
  process.stdout.write(`slipway ${__SLIPWAY_VERSION__}\n`);
} else {
  // `validate` and `plan` from the core (src/cli/core.ts), as dist/slipway.js runs them
  const core = __SLIPWAY_HAS_CORE__ && (first === 'validate' || first === 'plan');
  const program = core ? 'core.js' : 'slipway.js';
  // (node:tty loads net and stream: not for the core, which may never need them)
  const terminal = () => {
    const { isatty } = process.getBuiltinModule('node:tty');
    return isatty(0) && isatty(1);
  };
  const cache = core ? 'core.js.cache' : terminal() ? 'slipway.js.tty.cache' : 'slipway.js.cache';
  const script = new Script(getAsset(program, 'utf8'), {
    filename: program,
    cachedData: new Uint8Array(getAsset(cache)),
  });
  if (process.env.SLIPWAY_SEA_DEBUG)
    process.stderr.write(
      `slipway: code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'} (${cache})\n`,
    );
  const require = createRequire(import.meta.url);
  // The core's rare paths (zod for a document with problems, machine profiles, disk
  // detection: CORE_LAZY in build/core-split.mjs) are a script of their own, compiled
  // when a run first imports one of them, without a code cache.
  let table;
  const lazy = (name) => {
    if (!table) {
      if (process.env.SLIPWAY_SEA_DEBUG) process.stderr.write('slipway: compiling core-lazy.js\n');
      table = new Promise((resolve) =>
        new Script(getAsset('core-lazy.js', 'utf8'), {
          filename: 'core-lazy.js',
        }).runInThisContext()(require, import.meta.url, resolve),
      );
    }
    return table.then((t) => t[name]());
  };
  await script.runInThisContext()(require, import.meta.url, core ? lazy : undefined);
}
