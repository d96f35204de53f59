// What the code caches of `validate` and `plan` are made after (build/core-cache.mjs
// for dist/slipway.js, build/sea-cache.mjs for the single executable): the shipped
// example configs, each validated, planned as JSON and planned for reading, for
// the three platforms in turn. One list, so that both caches hold the same
// functions. Node's built-in modules only: build/sea-cache.mjs runs it on the
// executable's Node.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets/examples');

/** The shipped example configs (assets/examples/*.json), sorted. */
export function warmUpConfigs() {
  if (!existsSync(examples)) return [];
  return readdirSync(examples)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(examples, f));
}

/** The command lines run on `configs` before a cache is made. */
export function warmUpRuns(configs) {
  const platforms = ['illumos', 'freebsd', 'linux'];
  return configs.flatMap((config, i) => [
    ['validate', config],
    ['plan', config, '--platform', platforms[i % platforms.length], '--json'],
    ['plan', config, '--platform', platforms[i % platforms.length]],
  ]);
}
