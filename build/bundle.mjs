// Bundle the CLI into dist/, then build the single executable dist/slipway (build/sea.mjs):
//
//   dist/slipway.js              the launcher, a few lines of CommonJS (`node dist/slipway.js`,
//                                package.json "bin"): `validate` and `plan` require the core,
//                                anything else imports the ES-module program
//   dist/package.json            {"type": "commonjs"}: .js under dist/ is CommonJS (the
//                                repository's package.json says "module")
//   dist/chunks/core-HASH.cjs    validate and plan as one CommonJS file (src/cli/core.ts)
//   dist/chunks/slipway-HASH.mjs the ES-module program (src/cli/bin.ts): every command,
//   dist/chunks/*-HASH.mjs       and the chunks it imports lazily
//
//   node build/bundle.mjs            both (what `npm run build` and scripts/test.sh run)
//   node build/bundle.mjs --no-sea   only dist/slipway.js and dist/chunks (quick; for `npm start`)
//
// The program is an ES module: Ink depends on yoga-layout, which uses top-level await.
// Commands are imported lazily (`import()` in src/cli/main.ts), and so are the TUI's
// parts (src/cli/tui.ts). The bundle is split at those imports (esbuild `splitting`):
// its entry is only the command table and the argument parser, and a command reads
// and compiles only the chunks it imports — `slipway --demo` never reads zod, the
// validator, the plan compiler or execa, `slipway validate` never reads Ink or React.
// A single file would be compiled whole (2.7 MB) by every command.
//
// `validate` and `plan`, the batch commands (run over and over by scripts, and timed by
// bench/validate-plan.bench.mjs), start from CommonJS instead: Node 20 initialises its
// ES-module loader only for an ES module (an empty .mjs 128.7 ms vs .cjs 117.8 ms here,
// medians of 21), and then resolves and links each module (24 chunks for `plan`). From
// the core (fastest of 21-31 interleaved runs on a busy 2-core VM; CPU: median
// task-clock, all threads): `plan --help` 184 -> 144 ms, 3,418 -> 2,698 page faults;
// `plan --json` of 10,000 datasets 409 -> 372 ms, CPU 572 -> 531 ms; `validate` of it
// 254 -> 234 ms, CPU 360 -> 318 ms. (Those two fault about as much as before: the
// young generation's pages that the loader's garbage no longer touches first are
// touched by the document's.) Their rare, heavy paths (zod for a document with problems,
// machine profiles, disk detection, --resolve's serializer: CORE_LAZY) stay out of the
// core: it `import()`s them from the ES-module build, where each is an entry point of
// its own; the build fails if a dynamic import of the core is neither mapped nor
// allowed in (CORE_INLINE, build/core-split.mjs), or if zod, Ink, React or execa get into it. An error class
// thrown on one side and caught on the other is recognised across the two copies
// (UserError, src/cli/errors.ts). The launcher compiles the core with a V8 code cache
// made here, after validating and planning the examples (chunks/core-HASH.cache;
// build/core-loader.cjs and build/core-cache.mjs say how): the core's import()s go
// through the loader then (routeLazyImports).
//
// The ES-module files are .mjs, not .js beside a package.json that says "module": each
// file's format is in its name whatever package.json is around it, and all the files a
// build makes stay in one folder, chunks/, every name carrying a hash of its content
// (also the core and the lazy entries it names): the launcher, written last, names
// the files of one build, so a process started meanwhile runs either the old or the
// new program, whole; files of earlier builds are removed an hour later.
//
// The single executable keeps one program file (build/sea-app.mjs: it can load no
// chunks), and the core as a second one; there, esbuild's lazy `__esm` initialisers
// keep evaluation lazy and the code caches remove most of the compiling.
//
// All are ASCII-only (asciiOnly in build/options.mjs): V8 keeps a source with one non-ASCII character
// as a two-byte string, twice its size, for as long as the program runs.
import { build } from 'esbuild';
import { asciiOnly, esbuildOptions, pkg, root } from './options.mjs';
import { CORE_LAZY, coreDynamicImports, forbiddenInCore } from './core-split.mjs';
import { warmUpConfigs } from './warm-up.mjs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join, relative, resolve } from 'node:path';

const { loadSlipwayCore } = createRequire(import.meta.url)('./core-loader.cjs');

/** Files of earlier builds in chunks/ are removed once they are this old (a process
 * started from an earlier dist/slipway.js may still import them). */
const STALE_CHUNK_MS = 60 * 60 * 1000;

const cliEntry = join(root, 'src/cli/bin.ts');

/** Write `text` to `file` through a temporary file and a rename (never half a file). */
function writeAtomically(file, text, mode) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  if (mode !== undefined) chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/**
 * dist/slipway.js: starts `validate` and `plan` from the core (with its code cache:
 * build/core-loader.cjs), anything else from the ES module.
 */
function launcher({ esm, core, cache }) {
  const at = (f) => `require('node:path').join(__dirname, ${JSON.stringify(f)})`;
  return [
    '#!/usr/bin/env node',
    '// Written by build/bundle.mjs (it says why): the files of one build.',
    "'use strict';",
    ...(core
      ? [
          'const command = process.argv[2];',
          `if (command === 'validate' || command === 'plan') loadSlipwayCore(${at(core)}, ${at(cache)});`,
          `else import(${JSON.stringify(esm)});`,
          '',
          '// build/core-loader.cjs',
          loadSlipwayCore.toString(),
        ]
      : [`import(${JSON.stringify(esm)});`]),
    '',
  ].join('\n');
}

/**
 * The core's text with each lazy `import()` of the ES-module build (`lazy`: its
 * files, as the core names them) made a call of the loader's `__slipwayImport`
 * (build/core-loader.cjs says why).
 */
function routeLazyImports(text, lazy) {
  let out = text;
  for (const file of lazy) {
    const call = `import(${JSON.stringify(file)})`;
    if (!out.includes(call)) throw new Error(`the core has no ${call} to route`);
    out = out.split(call).join(`__slipwayImport(${JSON.stringify(file)})`);
  }
  const left = /\bimport\((["'`])\.\//.exec(out);
  if (left)
    throw new Error(
      `the core still has a dynamic import: ${out.slice(left.index, left.index + 60)}`,
    );
  return out;
}

/**
 * The core's code cache (build/core-cache.mjs, run by this node: a cache is only
 * taken by the V8 that made it), after validating and planning the examples.
 */
function makeCoreCache(coreFile, cacheFile) {
  const configs = warmUpConfigs();
  if (!configs.length) return false;
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  const r = spawnSync(
    process.execPath,
    [join(root, 'build/core-cache.mjs'), coreFile, tmp, ...configs],
    { env: {}, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 120_000 },
  );
  if (r.error || r.status !== 0 || !existsSync(tmp)) {
    rmSync(tmp, { force: true });
    throw new Error(
      `making the core's code cache failed (${r.error ?? `exit ${r.status}`}):\n${r.stderr}`,
    );
  }
  renameSync(tmp, cacheFile);
  return true;
}

/**
 * Build `entry` (default: the CLI) as a launcher `outfile`, a CommonJS script, and
 * the program in chunks/ beside it (see the top of this file).
 */
export async function bundle({
  outfile = join(root, 'dist/slipway.js'),
  minify = false,
  entry = esbuildOptions().entryPoints[0],
} = {}) {
  const outdir = dirname(outfile);
  const chunkDir = join(outdir, 'chunks');
  mkdirSync(chunkDir, { recursive: true });
  const withCore = resolve(entry) === cliEntry;
  const options = esbuildOptions({ minify });
  const esm = await build({
    ...options,
    entryPoints: {
      [basename(outfile, '.js')]: entry,
      ...(withCore
        ? Object.fromEntries(Object.entries(CORE_LAZY).map(([k, p]) => [k, join(root, p)]))
        : {}),
    },
    absWorkingDir: root,
    outdir,
    splitting: true,
    entryNames: 'chunks/[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    // .mjs: an ES module by its name, whatever package.json is around (dist/'s says
    // commonjs, for the launcher)
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
    banner: {
      js: [
        "import { createRequire as __slipwayCreateRequire } from 'node:module';",
        'const require = __slipwayCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  // Every entry's file: source path -> output path.
  const entryFiles = new Map();
  for (const [out, meta] of Object.entries(esm.metafile.outputs))
    if (meta.entryPoint)
      entryFiles.set(realpathSync(resolve(root, meta.entryPoint)), resolve(root, out));
  const files = [...esm.outputFiles];
  let coreFile;
  if (withCore) {
    const lazy = new Map(
      Object.values(CORE_LAZY).map((p) => {
        const file = entryFiles.get(realpathSync(join(root, p)));
        if (!file) throw new Error(`the ES-module build has no entry for ${p}`);
        return [join(root, p), `./${basename(file)}`];
      }),
    );
    const core = await build({
      ...options,
      entryPoints: { core: join(root, 'src/cli/core.ts') },
      format: 'cjs',
      absWorkingDir: root,
      outdir,
      entryNames: 'chunks/[name]-[hash]',
      outExtension: { '.js': '.cjs' },
      metafile: true,
      write: false,
      plugins: [...options.plugins, coreDynamicImports(lazy)],
    });
    const heavy = forbiddenInCore(core.metafile);
    if (heavy.first)
      throw new Error(
        `the core (validate, plan) must not contain ${heavy.packages.join(', ')}: ` +
          `it imports ${heavy.first}; import it lazily (CORE_LAZY in build/core-split.mjs)`,
      );
    if (core.outputFiles.length !== 1) throw new Error('the core must be one file');
    coreFile = core.outputFiles[0].path;
    files.push({ path: coreFile, text: routeLazyImports(core.outputFiles[0].text, lazy.values()) });
  }
  const esmFile = entryFiles.get(realpathSync(entry));
  if (!esmFile) throw new Error(`esbuild wrote no program for ${relative(root, entry)}`);
  // The program's files first (their names carry a hash of their content), the
  // launcher that names them last: a process started meanwhile runs either the old
  // or the new program, whole.
  const written = new Set();
  for (const file of files) {
    if (dirname(file.path) !== chunkDir)
      throw new Error(`unexpected bundle output ${relative(root, file.path)}`);
    writeAtomically(file.path, asciiOnly(file.text));
    written.add(basename(file.path));
  }
  let cacheFile;
  if (coreFile) {
    cacheFile = coreFile.replace(/\.cjs$/, '.cache');
    if (makeCoreCache(coreFile, cacheFile)) written.add(basename(cacheFile));
  }
  writeAtomically(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
  const rel = (f) => `./${relative(outdir, f).split('\\').join('/')}`;
  writeAtomically(
    outfile,
    launcher({
      esm: rel(esmFile),
      core: coreFile && rel(coreFile),
      cache: cacheFile && rel(cacheFile),
    }),
    0o755,
  );
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
