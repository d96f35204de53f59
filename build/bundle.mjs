// Bundle the CLI into one ES module: dist/slipway.js (runnable with `node dist/slipway.js`).
// Ink depends on yoga-layout, which uses top-level await, so the bundle stays ESM.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

export async function bundle({ outfile = join(root, 'dist/slipway.js'), minify = false } = {}) {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, 'src/cli/bin.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    jsx: 'automatic',
    define: { __SLIPWAY_VERSION__: JSON.stringify(pkg.version), 'process.env.DEV': '"false"' },
    // Ink imports react-devtools-core only for its dev mode.
    alias: { 'react-devtools-core': join(root, 'build/devtools-stub.js') },
    banner: {
      js: [
        '#!/usr/bin/env node',
        "import { createRequire as __slipwayCreateRequire } from 'node:module';",
        'const require = __slipwayCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await bundle();
  process.stdout.write(`built ${out}\n`);
}
