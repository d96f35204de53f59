// Run by the node binary that is the base of dist/slipway (build/sea.mjs): writes the
// V8 code cache of the program script, which the launcher hands to vm.Script. A cache
// from another V8 version or with other V8 flags is rejected at run time, and the
// program is then compiled from source (slower, still correct).
//
//   node build/sea-cache.mjs PROGRAM.js OUTPUT.cache [CONFIG.json …]
//
// With CONFIG files, the program first runs `validate` and `plan` on them (output
// discarded), so that the cache also holds the functions those compiled, not only
// the top level (V8 adds every function compiled so far to the cache).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

const [source, output, ...configs] = process.argv.slice(2);
const script = new Script(readFileSync(source, 'utf8'), { filename: 'slipway.js' });

if (configs.length > 0) {
  const program = script.runInThisContext();
  const require = createRequire(pathToFileURL(source).href);
  const write = { out: process.stdout.write, err: process.stderr.write };
  const node = process.argv[0];
  try {
    process.stdout.write = process.stderr.write = () => true;
    process.stdout.setMaxListeners(0); // each run adds its EPIPE handlers
    process.stderr.setMaxListeners(0);
    const platforms = ['illumos', 'freebsd', 'linux'];
    const runs = configs.flatMap((config, i) => [
      ['validate', config],
      ['plan', config, '--platform', platforms[i % platforms.length]],
    ]);
    for (const argv of runs) {
      process.argv = [node, 'slipway', ...argv];
      try {
        await program(require, pathToFileURL(source).href);
      } catch (err) {
        // Only the cache is at stake here; the tests find the bug.
        write.err.call(
          process.stderr,
          `note: warming the code cache: slipway ${argv.join(' ')}: ${err}\n`,
        );
      }
    }
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
    process.exitCode = 0;
  }
}
writeFileSync(output, script.createCachedData());
