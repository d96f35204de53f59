// The main script of the single executable dist/slipway (see build/sea-app.mjs).
// `slipway --version` is answered here, exactly as src/cli/main.ts answers it
// (test/e2e/sea.test.ts compares the two), without compiling the program. Anything
// else compiles the program from the executable's assets, with a code cache made at
// build time, and runs it: in a terminal (stdin and stdout), the one made up to the
// program's first frame in a terminal, otherwise the one made after its headless runs
// (build/sea-cache.mjs says why two).
/* global __SLIPWAY_VERSION__ -- replaced by esbuild (build/sea.mjs) */
import { getAsset } from 'node:sea';
import { Script } from 'node:vm';
import { createRequire } from 'node:module';

const first = process.argv[2];
if (first === '--version' || first === '-V') {
  process.stdout.write(`slipway ${__SLIPWAY_VERSION__}\n`);
} else {
  const { isatty } = process.getBuiltinModule('node:tty');
  const cache = isatty(0) && isatty(1) ? 'slipway.js.tty.cache' : 'slipway.js.cache';
  const script = new Script(getAsset('slipway.js', 'utf8'), {
    filename: 'slipway.js',
    cachedData: new Uint8Array(getAsset(cache)),
  });
  if (process.env.SLIPWAY_SEA_DEBUG)
    process.stderr.write(
      `slipway: code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'} (${cache})\n`,
    );
  await script.runInThisContext()(createRequire(import.meta.url), import.meta.url);
}
