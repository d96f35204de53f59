/**
 * Start-up of the program inside dist/slipway: commands are imported lazily, and
 * esbuild (one ES-module file, no splitting, as build/sea-app.mjs bundles it) keeps
 * them lazy — also the modules with top-level await (yoga-layout), which become async
 * initialisers. (dist/slipway.js is split at the same imports: build/bundle.mjs.) This builds the bundle with the build's own esbuild options plus a
 * plugin that makes every source module record its evaluation, then runs commands
 * and checks which modules were evaluated.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, upstreamExampleNames, vendoredExamplesDir } from '../helpers/upstream.js';
import { esbuildOptions } from '../../build/options.mjs';

const loaders: Record<string, 'ts' | 'tsx' | 'js' | 'jsx'> = {
  ts: 'ts',
  mts: 'ts',
  tsx: 'tsx',
  js: 'js',
  mjs: 'js',
  cjs: 'js',
  jsx: 'jsx',
};

/** Prepends `__slipwayEvaluated.push(<path>)` to every JS/TS module. */
const recordEvaluation: Plugin = {
  name: 'record-evaluation',
  setup(b) {
    b.onLoad({ filter: /\.(m|c)?(j|t)sx?$/ }, (args) => {
      const ext = args.path.slice(args.path.lastIndexOf('.') + 1);
      const loader = loaders[ext];
      if (!loader) return undefined;
      let text = readFileSync(args.path, 'utf8');
      let head = '';
      if (text.startsWith('#!')) {
        const nl = text.indexOf('\n');
        head = text.slice(0, nl + 1);
        text = text.slice(nl + 1);
      }
      const name = JSON.stringify(relative(repoRoot, args.path));
      return { contents: `${head}globalThis.__slipwayEvaluated.push(${name});\n${text}`, loader };
    });
  },
};

let dir: string;
let instrumented: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'slipway-lazy-'));
  instrumented = join(dir, 'slipway.mjs');
  await build({
    ...esbuildOptions(),
    outfile: instrumented,
    logLevel: 'error',
    plugins: [recordEvaluation],
    banner: {
      js: [
        "import { createRequire as __cr } from 'node:module';",
        "import { writeFileSync as __wfs } from 'node:fs';",
        'const require = __cr(import.meta.url);',
        'globalThis.__slipwayEvaluated = [];',
        "process.on('exit', () => __wfs(process.env.EVALUATED_OUT, JSON.stringify(globalThis.__slipwayEvaluated)));",
      ].join('\n'),
    },
  });
}, 60_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function evaluated(argv: string[]): { status: number | null; modules: string[] } {
  const out = join(dir, `evaluated-${argv.join('_').replace(/[^\w.-]/g, '')}.json`);
  const r = spawnSync(process.execPath, [instrumented, ...argv], {
    env: { EVALUATED_OUT: out },
    encoding: 'utf8',
    input: '',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, modules: JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

const heavy = {
  ui: /node_modules\/(ink|yoga-layout|react|react-reconciler|ink-select-input)\//,
  schema: /node_modules\/zod\/|^src\/schema\//,
};

describe('lazy start-up of the bundle', () => {
  it('--version and --help evaluate neither the UI nor the schema', () => {
    for (const flag of ['--version', '--help']) {
      const { status, modules } = evaluated([flag]);
      expect(status).toBe(0);
      expect(modules.length).toBeGreaterThan(0); // the recording works
      expect(modules.filter((m) => heavy.ui.test(m))).toEqual([]);
      expect(modules.filter((m) => heavy.schema.test(m))).toEqual([]);
      expect(modules).toContain('src/cli/main.ts');
    }
  });

  it('schema evaluates the zod schema (the recording sees lazily loaded modules)', () => {
    const { status, modules } = evaluated(['schema']);
    expect(status).toBe(0);
    expect(modules.some((m) => /node_modules\/zod\//.test(m))).toBe(true);
    expect(modules).toContain('src/schema/config.ts');
  });

  it('validate and plan do not evaluate Ink, React or yoga, nor zod for a valid document', () => {
    const file = join(vendoredExamplesDir, upstreamExampleNames[0]!);
    for (const [argv, own] of [
      [['validate', file], 'src/validate/index.ts'],
      [['plan', file, '--platform', 'illumos'], 'src/plan/index.ts'],
    ] as const) {
      const { status, modules } = evaluated([...argv]);
      expect(status).toBe(0);
      expect(modules).toContain(own); // the command's own lazily loaded modules are seen
      expect(modules).toContain('src/schema/fast-parse.generated.ts');
      expect(modules.filter((m) => heavy.ui.test(m))).toEqual([]);
      // the generated reader read it: zod is needed only to report problems
      expect(modules.filter((m) => /node_modules\/zod\//.test(m))).toEqual([]);
    }
  });

  it('validate evaluates zod for a document with problems to report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-lazy-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ storage: { pools: [{ name: 'tank', devicez: [] }] } }));
    try {
      const { status, modules } = evaluated(['validate', file]);
      expect(status).toBe(2);
      expect(modules.some((m) => /node_modules\/zod\//.test(m))).toBe(true);
      expect(modules.filter((m) => heavy.ui.test(m))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
