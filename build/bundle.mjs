// Bundle the CLI: dist/slipway.js (runnable with `node dist/slipway.js`) and the
// chunks it imports lazily, dist/chunks/*.js; then build the single executable
// dist/slipway (build/sea.mjs).
// Ink depends on yoga-layout, which uses top-level await, so the bundle stays ESM.
//
//   node build/bundle.mjs            both (what `npm run build` and scripts/test.sh run)
//   node build/bundle.mjs --no-sea   only dist/slipway.js (quick; for `npm start`)
//
// Commands are imported lazily (`import()` in src/cli/main.ts), and so are the TUI's
// parts (src/cli/tui.ts). The bundle is split at those imports (esbuild `splitting`):
// dist/slipway.js is only the command table and the argument parser, and a command
// reads and compiles only the chunks it imports — `slipway --demo` never reads zod,
// the validator, the plan compiler or execa, `slipway validate` never reads Ink or
// React. A single file would be compiled whole (2.7 MB) by every command.
//
// The single executable keeps one file (build/sea-app.mjs: it can load no chunks);
// there, esbuild's lazy `__esm` initialisers keep evaluation lazy and the code cache
// removes most of the compiling.
//
// Both are ASCII-only (asciiOnly in build/options.mjs): V8 keeps a source with one non-ASCII character
// as a two-byte string, twice its size, for as long as the program runs.
import { build } from 'esbuild';
import { asciiOnly, esbuildOptions, pkg, root } from './options.mjs';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join, relative } from 'node:path';

/** Chunks of earlier builds are removed once they are this old (a process started
 * from an earlier dist/slipway.js may still import them). */
const STALE_CHUNK_MS = 60 * 60 * 1000;

/** Write `text` to `file` through a temporary file and a rename (never half a file). */
function writeAtomically(file, text, mode) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/** Build `entry` (default: the CLI) into `outfile` and its chunks beside it, in chunks/. */
export async function bundle({
  outfile = join(root, 'dist/slipway.js'),
  minify = false,
  entry = esbuildOptions().entryPoints[0],
} = {}) {
  const outdir = dirname(outfile);
  const chunkDir = join(outdir, 'chunks');
  mkdirSync(chunkDir, { recursive: true });
  const result = await build({
    ...esbuildOptions({ minify }),
    entryPoints: { [basename(outfile, '.js')]: entry },
    outdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    banner: {
      js: [
        "import { createRequire as __slipwayCreateRequire } from 'node:module';",
        'const require = __slipwayCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  // Chunks first (their names carry a hash of their content), the entry last: a
  // process started meanwhile runs either the old or the new program, whole.
  const written = new Set();
  for (const file of result.outputFiles) {
    if (file.path === outfile) continue;
    if (dirname(file.path) !== chunkDir)
      throw new Error(`unexpected bundle output ${relative(root, file.path)}`);
    writeAtomically(file.path, asciiOnly(file.text));
    written.add(basename(file.path));
  }
  const main = result.outputFiles.find((f) => f.path === outfile);
  if (!main) throw new Error(`esbuild wrote no ${relative(root, outfile)}`);
  writeAtomically(outfile, `#!/usr/bin/env node\n${asciiOnly(main.text)}`, 0o755);
  const now = Date.now();
  for (const name of readdirSync(chunkDir)) {
    if (written.has(name)) continue;
    const path = join(chunkDir, name);
    if (now - statSync(path).mtimeMs > STALE_CHUNK_MS) rmSync(path, { force: true });
  }
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
