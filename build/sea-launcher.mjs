// The main script of the single executable dist/slipway (see build/sea-app.mjs).
// `slipway --version` is answered here, exactly as src/cli/main.ts answers it
// (test/e2e/sea.test.ts compares the two), without compiling the program. Anything
// else compiles the program from the executable's assets, with the code cache made
// at build time, and runs it.
/* global __SLIPWAY_VERSION__ -- replaced by esbuild (build/sea.mjs) */
import { getAsset } from 'node:sea';
import { Script } from 'node:vm';
import { createRequire } from 'node:module';

const first = process.argv[2];
if (first === '--version' || first === '-V') {
  process.stdout.write(`slipway ${__SLIPWAY_VERSION__}\n`);
} else {
  const script = new Script(getAsset('slipway.js', 'utf8'), {
    filename: 'slipway.js',
    cachedData: new Uint8Array(getAsset('slipway.js.cache')),
  });
  if (process.env.SLIPWAY_SEA_DEBUG)
    process.stderr.write(
      `slipway: code cache ${script.cachedDataRejected ? 'rejected' : 'accepted'}\n`,
    );
  await script.runInThisContext()(createRequire(import.meta.url), import.meta.url);
}
