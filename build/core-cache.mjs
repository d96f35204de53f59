// Run by build/bundle.mjs with the node that builds dist/: writes the V8 code cache
// of the core (chunks/core-HASH.cjs), which dist/slipway.js hands to vm.Script
// (build/core-loader.cjs says how and why). V8 puts every function compiled so far
// into a cache, so the core first runs as it will run: `validate`, `plan --json` and
// `plan` of each CONFIG, one after the other in this process (their output is not
// needed: the caller discards it).
//
//   node build/core-cache.mjs CORE.cjs OUTPUT.cache CONFIG.json…
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { warmUpRuns } from './warm-up.mjs';

const require = createRequire(import.meta.url);
const { loadSlipwayCore } = require('./core-loader.cjs');

const [core, output, ...configs] = process.argv.slice(2);
if (!core || !output || configs.length === 0) {
  process.stderr.write('usage: node build/core-cache.mjs CORE.cjs OUTPUT.cache CONFIG.json…\n');
  process.exit(2);
}
const runs = warmUpRuns(configs);

// Each run ends with process.exit (src/cli/run.ts): here that only ends the run.
const exit = process.exit;
let ended;
process.exit = (code) => ended?.(code ?? 0);
const node = process.argv[0];
let loaded;
for (const argv of runs) {
  process.argv = [node, 'slipway', ...argv];
  const done = new Promise((resolve) => (ended = resolve));
  if (!loaded) loaded = loadSlipwayCore(core, '');
  else loaded.run();
  let timer;
  const code = await Promise.race([
    done,
    new Promise((resolve) => (timer = setTimeout(() => resolve('no end within 30 s'), 30_000))),
  ]);
  clearTimeout(timer);
  if (code !== 0 && code !== 2) {
    process.stderr.write(`warming the core's code cache: slipway ${argv.join(' ')}: ${code}\n`);
    exit(1);
  }
}
writeFileSync(output, loaded.script.createCachedData());
exit(0);
