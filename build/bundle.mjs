// Bundle the CLI into one ES module: dist/slipway.js (runnable with `node dist/slipway.js`),
// then build the single executable dist/slipway from it (build/sea.mjs).
// Ink depends on yoga-layout, which uses top-level await, so the bundle stays ESM.
//
//   node build/bundle.mjs            both (what `npm run build` and scripts/test.sh run)
//   node build/bundle.mjs --no-sea   only dist/slipway.js (quick; for `npm start`)
//
// Commands are imported lazily (`import()` in src/cli/main.ts). Without splitting,
// esbuild turns each lazily imported module into an `__esm` initialiser, called on
// the first import(); a module with top-level await (yoga-layout) gets an async
// initialiser that its importers await, so it still runs only when imported (`slipway
// --version` evaluates neither Ink nor yoga nor the zod schema; test/e2e/sea.test.ts
// checks that with the bundle). What remains is compiling the whole file at start-up,
// which the SEA's code cache mostly removes (bench/sea.bench.mjs).
import { build } from 'esbuild';
import { esbuildOptions, pkg, root } from './options.mjs';
import { chmodSync, mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export async function bundle({ outfile = join(root, 'dist/slipway.js'), minify = false } = {}) {
  mkdirSync(dirname(outfile), { recursive: true });
  // Written beside, then renamed: a test running dist/slipway.js meanwhile never
  // sees half a file.
  const tmp = `${outfile}.${process.pid}.tmp`;
  await build({
    ...esbuildOptions({ minify }),
    outfile: tmp,
    banner: {
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __slipwayCreateRequire } from 'node:module';",
        'const require = __slipwayCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  chmodSync(tmp, 0o755);
  renameSync(tmp, outfile);
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--no-sea' && a !== '--force');
  if (unknown.length) {
    process.stderr.write(`usage: node build/bundle.mjs [--no-sea] [--force]\n`);
    process.exit(2);
  }
  const out = await bundle();
  process.stdout.write(`built ${out}\n`);
  const { buildSea, findSeaNode } = await import('./sea.mjs');
  const seaNode = findSeaNode();
  if (!args.includes('--no-sea') && seaNode.missing) {
    // Not an error: dist/slipway.js is built; the executable needs a suitable node.
    process.stderr.write(`note: dist/slipway not built: ${seaNode.missing}\n`);
  } else if (!args.includes('--no-sea')) {
    try {
      const t0 = Date.now();
      const r = await buildSea({
        expectVersion: pkg.version,
        force: args.includes('--force'),
      });
      const mb = (r.size / 1e6).toFixed(1);
      process.stdout.write(
        r.built
          ? `built ${r.output} (${mb} MB, Node ${r.nodeVersion}, ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`
          : `${r.output} is up to date (${mb} MB, Node ${r.nodeVersion})\n`,
      );
    } catch (err) {
      process.stderr.write(`slipway build: single executable: ${err.message}\n`);
      process.exit(1);
    }
  }
}
