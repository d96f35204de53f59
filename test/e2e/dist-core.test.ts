/**
 * dist/slipway.js as built by `node build/bundle.mjs` (scripts/test.sh builds it
 * before the tests): a CommonJS launcher that runs `validate` and `plan` from one
 * CommonJS file (chunks/core-*.cjs) and everything else from the ES-module build.
 * Each run has a preload (`--require`) that records, at exit, Node's internal
 * modules (is the ES-module loader among them?) and the CommonJS files loaded; with
 * `esmHooks`, a module hook (module.register) also records every ES module loaded.
 * (A Node that initialises its ES-module loader for any script, as Node 26 does,
 * is told by an empty CommonJS script: there only the hook's record is checked.)
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/upstream.js';
import { generateConfig } from '../../bench/validate-plan.bench.mjs';
import { OPTIMISE_FROM_CHARS } from '../../src/cli/tuning.js';

const dist = join(repoRoot, 'dist');
const cli = join(dist, 'slipway.js');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const example = join(repoRoot, 'assets/examples/freebsd-jails.json');
const machine = join(repoRoot, 'assets/demo-machine.json');
const ESM_LOADER = 'NativeModule internal/modules/esm/loader';

const PRELOAD = `
const { writeFileSync } = require('node:fs');
if (process.env.SLIPWAY_TEST_ESM_HOOKS) require('node:module').register(process.env.SLIPWAY_TEST_ESM_HOOKS);
process.on('exit', () => writeFileSync(process.env.SLIPWAY_TEST_LOADED, JSON.stringify({
  internals: process.moduleLoadList,
  cjs: Object.keys(require.cache),
})));
`;
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const loaded = await next(url, context);
  if (loaded.format === 'module') appendFileSync(process.env.SLIPWAY_TEST_ESM_LOADED, url + '\\n');
  return loaded;
}
`;

let scratch: string;
let preload: string;
let hooks: string;
/** This Node loads its ES-module loader even for a CommonJS script. */
let esmLoaderAlways: boolean;
beforeAll(() => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "node build/bundle.mjs" first`);
  scratch = mkdtempSync(join(tmpdir(), 'slipway-dist-core-'));
  preload = join(scratch, 'preload.cjs');
  writeFileSync(preload, PRELOAD);
  hooks = join(scratch, 'hooks.mjs');
  writeFileSync(hooks, HOOKS);
  const empty = join(scratch, 'empty.cjs');
  writeFileSync(empty, '');
  esmLoaderAlways = run([], { script: empty }).internals.includes(ESM_LOADER);
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Run extends SpawnSyncReturns<string> {
  /** Node's internal modules, in load order. */
  internals: string[];
  /** The CommonJS files under dist/ (relative to it). */
  cjs: string[];
  /** The ES-module files loaded (absolute paths), when `esmHooks` was set. */
  esm: string[];
}

let runs = 0;
function run(
  argv: string[],
  opts: { input?: string; esmHooks?: boolean; script?: string } = {},
): Run {
  const n = ++runs;
  const loaded = join(scratch, `loaded-${n}.json`);
  const esmLoaded = join(scratch, `esm-${n}.txt`);
  writeFileSync(esmLoaded, '');
  const r = spawnSync(process.execPath, ['--require', preload, opts.script ?? cli, ...argv], {
    cwd: repoRoot,
    env: {
      SLIPWAY_TEST_LOADED: loaded,
      ...(opts.esmHooks
        ? { SLIPWAY_TEST_ESM_HOOKS: pathToFileURL(hooks).href, SLIPWAY_TEST_ESM_LOADED: esmLoaded }
        : {}),
    },
    input: opts.input ?? '',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  const { internals, cjs } = JSON.parse(readFileSync(loaded, 'utf8')) as {
    internals: string[];
    cjs: string[];
  };
  return {
    ...r,
    internals,
    cjs: cjs.filter((f) => f.startsWith(dist + '/')).map((f) => relative(dist, f)),
    esm: readFileSync(esmLoaded, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((u) => fileURLToPath(u)),
  };
}

/**
 * `argv` runs from the launcher and the core only: no ES module is loaded (the
 * hook's record), nor, on a Node that does not always load it, the ES-module
 * loader. Returns the run without the hook.
 */
function runCoreOnly(argv: string[], opts: { input?: string } = {}): Run {
  const r = run(argv, opts);
  expect(r.internals).toContain('NativeModule internal/modules/cjs/loader'); // the record works
  if (!esmLoaderAlways) expect(r.internals, argv.join(' ')).not.toContain(ESM_LOADER);
  // the core is compiled by the launcher (build/core-loader.cjs), not require()d
  expect(r.cjs).toEqual(['slipway.js']);
  expect(r.internals).toContain('NativeModule vm');
  const hooked = run(argv, { ...opts, esmHooks: true });
  expect(hooked.status).toBe(r.status);
  expect(hooked.esm, argv.join(' ')).toEqual([]);
  return r;
}

/** A config of 1,000 datasets and 10 containers (the benchmark's shape), written once. */
let big: string | undefined;
function bigConfig(): string {
  if (!big) {
    big = join(scratch, 'big.json');
    writeFileSync(big, JSON.stringify(generateConfig({ datasets: 1000, containers: 10 })));
  }
  return big;
}

/** Text of the ES-module files `r` loaded (all of them under dist/chunks). */
function esmText(r: Run): string {
  expect(r.esm.length).toBeGreaterThan(0);
  for (const f of r.esm) expect(dirname(f)).toBe(join(dist, 'chunks'));
  return r.esm.map((f) => readFileSync(f, 'utf8')).join('\n');
}
const REACT = 'react.transitional.element';
const INK = '"ink-text"';

describe('dist/slipway.js', () => {
  it('is a CommonJS launcher, executable on its own', () => {
    expect(statSync(cli).mode & 0o111).not.toBe(0);
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8'))).toEqual({
      type: 'commonjs',
    });
    const r = spawnSync(cli, ['--version'], {
      env: { PATH: dirname(process.execPath) },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`slipway ${pkg.version}\n`);
  });

  it('validate and plan of a valid config run from the core, without the ES-module loader', () => {
    for (const argv of [
      ['validate', example],
      ['validate', example, '--json'],
      ['plan', example, '--platform', 'freebsd'],
      ['plan', example, '--platform', 'freebsd', '--json'],
      ['plan', '--help'],
      ['validate', '--help'],
    ]) {
      const r = runCoreOnly(argv);
      expect(r.status, argv.join(' ')).toBe(0);
    }
    const json = run(['plan', example, '--platform', 'freebsd', '--json']);
    expect(JSON.parse(json.stdout).steps.length).toBeGreaterThan(0);
  });

  it('the core is compiled with the code cache made at build time; without it, from its source', () => {
    const argv = ['plan', example, '--platform', 'freebsd', '--json'];
    const debug = (nodeArgs: string[], launcher = cli) =>
      spawnSync(process.execPath, [...nodeArgs, launcher, ...argv], {
        env: { SLIPWAY_CORE_DEBUG: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const cached = debug([]);
    expect(cached.status).toBe(0);
    expect(cached.stderr).toBe('slipway: core code cache accepted\n');
    // a V8 flag of its own changes the hash the cache carries: V8 refuses it
    const other = debug(['--max-lazy']);
    expect(other.status).toBe(0);
    expect(other.stderr).toBe('slipway: core code cache rejected\n');
    expect(other.stdout).toBe(cached.stdout);
    // a copy of the build without its cache
    const copy = join(scratch, 'no-cache');
    cpSync(dist, copy, { recursive: true });
    for (const f of readdirSync(join(copy, 'chunks')))
      if (f.endsWith('.cache')) rmSync(join(copy, 'chunks', f));
    const none = debug([], join(copy, 'slipway.js'));
    expect(none.status).toBe(0);
    expect(none.stderr).toBe('slipway: core code cache missing\n');
    expect(none.stdout).toBe(cached.stdout);
  });

  it('validate runs without TurboFan until the document is large enough to repay it', () => {
    // V8 reports each function TurboFan finished optimising (--trace-opt, on stdout;
    // validate writes its report to stderr); another V8 flag only makes the core's
    // code cache be rejected, which changes no output
    const optimised = (nodeArgs: string[], file: string) => {
      const r = spawnSync(process.execPath, ['--trace-opt', ...nodeArgs, cli, 'validate', file], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      });
      expect(r.status, r.stderr.slice(-500)).toBe(0);
      expect(r.stderr).toMatch(/^valid: /m);
      return r.stdout.split('\n').filter((l) => /completed optimizing .*TURBOFAN/.test(l)).length;
    };
    const write = (name: string, datasets: number) => {
      const text = JSON.stringify(generateConfig({ datasets, containers: 0 }));
      writeFileSync(join(scratch, name), text);
      return { file: join(scratch, name), chars: text.length };
    };
    const below = write('below.json', 10_000);
    const above = write('above.json', 16_000);
    expect(below.chars).toBeLessThan(OPTIMISE_FROM_CHARS);
    expect(above.chars).toBeGreaterThanOrEqual(OPTIMISE_FROM_CHARS);
    expect(optimised([], below.file)).toBe(0);
    // the same document is worth optimising to V8 when node is told --turbofan: kept
    expect(optimised(['--turbofan'], below.file)).toBeGreaterThan(0);
    expect(optimised([], above.file)).toBeGreaterThan(0);
  });

  it('plan --json into a file or /dev/null writes without making process.stdout', () => {
    const argv = ['plan', bigConfig(), '--platform', 'linux', '--json'];
    const piped = run(argv);
    expect(piped.status).toBe(0);
    expect(piped.internals).toContain('NativeModule net'); // a pipe: Node's stream for it
    /** The internal modules of a run whose standard output is `target`. */
    const into = (target: string) => {
      const loaded = join(scratch, `loaded-into-${basename(target)}.json`);
      const fd = openSync(target, 'w');
      try {
        const r = spawnSync(process.execPath, ['--require', preload, cli, ...argv], {
          env: { SLIPWAY_TEST_LOADED: loaded },
          stdio: ['ignore', fd, 'pipe'],
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(r.status, r.stderr).toBe(0);
      } finally {
        closeSync(fd);
      }
      return (JSON.parse(readFileSync(loaded, 'utf8')) as { internals: string[] }).internals;
    };
    const STREAM = 'NativeModule internal/fs/sync_write_stream';
    const file = join(scratch, 'plan-out.json');
    expect(into(file)).not.toContain(STREAM);
    expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
    expect(into('/dev/null')).not.toContain(STREAM);
    // another device is left to the stream
    expect(into('/dev/zero')).toContain(STREAM);
  });

  it('reads standard input with -', () => {
    const r = runCoreOnly(['validate', '-'], { input: readFileSync(example, 'utf8') });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^valid: <stdin> \(/m);
  });

  it('a config with problems is reported by zod, loaded from the ES-module build (no Ink, no React)', () => {
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify({ storage: { pools: [{ name: 'tank', devicez: [] }] } }));
    for (const argv of [
      ['validate', bad],
      ['plan', bad, '--platform', 'linux'],
    ]) {
      const r = run(argv, { esmHooks: true });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('storage.pools[0].devicez: unknown key "devicez"');
      expect(r.internals).toContain(ESM_LOADER);
      const text = esmText(r);
      expect(text).toContain('ZodError'); // zod is what was loaded
      expect(text).not.toContain(REACT);
      expect(text).not.toContain(INK);
      expect(r.esm.some((f) => /\/slipway-\w+\.mjs$/.test(f))).toBe(false); // not the program
    }
  });

  it('--machine and --resolve load the profile reader and the serializer from the ES-module build', () => {
    const planned = run(['plan', example, '--platform', 'freebsd', '--machine', machine], {
      esmHooks: true,
    });
    expect(planned.status).toBe(0);
    expect(planned.stdout).toMatch(/^Plan for freebsd: /);
    expect(planned.internals).toContain(ESM_LOADER);
    expect(esmText(planned)).not.toContain(REACT);

    const resolved = run([
      'plan',
      example,
      '--platform',
      'freebsd',
      '--machine',
      machine,
      '--resolve',
    ]);
    expect(resolved.status).toBe(0);
    const config = JSON.parse(resolved.stdout) as { storage: unknown };
    expect(config.storage).toBeDefined();
  });

  it('a UserError thrown in the ES-module build is reported by the core (exit 2, no stack)', () => {
    const bad = join(scratch, 'bad-machine.json');
    writeFileSync(bad, JSON.stringify([{ name: 3 }]));
    const r = run(['plan', example, '--platform', 'freebsd', '--machine', bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^slipway: --machine ${bad}: not a machine profile`));
    expect(r.stderr).not.toContain('    at ');
    expect(r.internals).toContain(ESM_LOADER);
  });

  it('plan … | head: the closed pipe is not an error', () => {
    const big = bigConfig();
    for (const json of [[], ['--json']]) {
      const r = spawnSync(
        'bash',
        [
          '-c',
          'set -o pipefail; "$0" "$1" plan "$2" --platform linux "${@:3}" | head -c 100 >/dev/null',
          process.execPath,
          cli,
          big,
          ...json,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it('validate and plan end once written (process.exit, no heap teardown), with all of it through a slow pipe', () => {
    const big = bigConfig();
    // A preload that says whether Node got as far as 'beforeExit' (a natural end:
    // the heap is then freed page by page); process.exit skips it.
    const seen = join(scratch, 'before-exit.cjs');
    writeFileSync(
      seen,
      "process.on('beforeExit', () => require('node:fs').writeSync(2, 'BEFORE-EXIT\\n'));",
    );
    const cases = [
      ['plan', big, '--platform', 'linux', '--json'],
      ['plan', big, '--platform', 'linux'],
      ['validate', big],
    ];
    for (const argv of cases) {
      const toFile = spawnSync(process.execPath, ['--require', seen, cli, ...argv], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 60_000,
      });
      expect(toFile.status, toFile.stderr.slice(-500)).toBe(0);
      expect(toFile.stderr).not.toContain('BEFORE-EXIT');
      // the reader starts late: whatever the pipe holds back must still arrive
      const piped = spawnSync(
        'bash',
        [
          '-c',
          'set -o pipefail; "$0" --require "$1" "${@:2}" 2>&1 | { sleep 0.3; wc -c; }',
          process.execPath,
          seen,
          cli,
          ...argv,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(piped.status, piped.stderr).toBe(0);
      expect(Number(piped.stdout.trim()), argv.join(' ')).toBe(
        Buffer.byteLength(toFile.stdout) + Buffer.byteLength(toFile.stderr),
      );
    }
  });

  it('every other command runs from the ES-module build', () => {
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toBe(`slipway ${pkg.version}\n`);
    expect(version.internals).toContain(ESM_LOADER);

    const typo = run(['valdate', example]);
    expect(typo.status).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe(
      'slipway: unknown command "valdate"\n  hint: did you mean "slipway validate"?\n',
    );

    const schema = run(['schema']);
    expect(schema.status).toBe(0);
    expect((JSON.parse(schema.stdout) as { $schema: string }).$schema).toMatch(/json-schema/);
    expect(schema.internals).toContain(ESM_LOADER);
  });
});
