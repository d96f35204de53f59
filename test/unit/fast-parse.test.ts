/**
 * The generated config reader (src/schema/fast-parse.generated.ts) is up to
 * date with the zod schemas, and returns what zod returns for every document it
 * accepts (otherwise it declines and zod reads the document). More agreement
 * checks run inside the fuzz test (random, mutated and generated configs) and
 * for every config of the validate unit tests (test/helpers/validate.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateFastParse, generatedPath } from '../../build/gen-fast-parse.js';
import { UnifiedConfig } from '../../src/schema/config.js';
import { fastParseConfig } from '../../src/schema/fast-parse.generated.js';
import { parseConfigText } from '../../src/schema/parse.js';
import { canonical, expectFastParseAgrees } from '../helpers/fast-parse.js';
import { repoRoot, upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';

function exampleDocs(): [string, unknown][] {
  const assets = join(repoRoot, 'assets/examples');
  return [
    ...upstreamExampleNames.map((n): [string, unknown] => [n, JSON.parse(upstreamExample(n))]),
    ...readdirSync(assets)
      .filter((f) => f.endsWith('.json'))
      .map((f): [string, unknown] => [f, JSON.parse(readFileSync(join(assets, f), 'utf8'))]),
    [
      'e2e.template.json',
      // its unquoted placeholders are numbers (ports)
      JSON.parse(
        readFileSync(join(repoRoot, 'test/fixtures/apply/e2e.template.json'), 'utf8').replace(
          /(?<=[:,[] *)@\w+@/g,
          '18080',
        ),
      ),
    ],
  ];
}

/** The shape of bench/validate-plan.bench.mjs's config, smaller. */
function bigConfig(datasets: number, containers: number): unknown {
  const parents = [];
  for (let p = 0; p < datasets / 10; p++) {
    const children = [];
    for (let c = 0; c < 9; c++)
      children.push({
        name: `tank/p${p}/c${c}`,
        properties: { recordsize: '128K', 'com.example:n': c, atime: c % 2 === 0 },
        quota: '10G',
        ...(c === 3 ? { dataset_type: { volume: { size: '1G' } } } : {}),
      });
    parents.push({ name: `tank/p${p}`, properties: { mountpoint: `/srv/p${p}` }, children });
  }
  return {
    storage: {
      pools: [
        {
          name: 'tank',
          topology: {
            data: [{ vdev_type: 'raidz2', devices: ['/dev/sda', '/dev/sdb', { serial: 'S1' }] }],
          },
        },
      ],
      zfs_datasets: parents,
    },
    containers: {
      containers: Array.from({ length: containers }, (_, i) => ({
        name: `app${i}`,
        image: 'localhost/app:1',
        ports: [{ host_port: 10000 + i, container_port: 80 }],
        resources: { memory_limit: '256M', cpu_limit: 0.5 },
        sysconfig: { users: [{ name: 'app', sudo: i % 2 ? 'deny' : { custom: ['ALL'] } }] },
      })),
      zones: [{ name: 'z1', zonepath: '/zones/z1', sysconfig: { system: { hostname: 'z1' } } }],
    },
  };
}

type JsonPath = (string | number)[];

function paths(v: unknown, base: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(base);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...base, i], out));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, [...base, k], out);
  return out;
}

/** A copy of `doc` with the value at `path` replaced (undefined: removed). */
function withAt(doc: unknown, path: JsonPath, value: unknown): unknown {
  const copy = structuredClone(doc);
  let parent = copy as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (value !== undefined) parent[key] = value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return copy;
}

describe('generated config reader', () => {
  it('is what build/gen-fast-parse.ts generates from the schemas now', async () => {
    expect(readFileSync(generatedPath, 'utf8')).toBe(await generateFastParse());
  });

  it('reads every example as zod does (and reads them itself)', () => {
    for (const [name, doc] of exampleDocs())
      expect(expectFastParseAgrees(doc), `${name} was left to zod`).toBe(true);
  });

  it('reads large generated configs as zod does', () => {
    expect(expectFastParseAgrees(bigConfig(300, 20))).toBe(true);
    expect(expectFastParseAgrees({})).toBe(true);
  });

  it('parseConfigText gives the reader’s result for a valid document, zod’s diagnostics otherwise', () => {
    const text = JSON.stringify(bigConfig(20, 2));
    const r = parseConfigText(text);
    expect(r.ok).toBe(true);
    expect(canonical(r.config)).toBe(canonical(UnifiedConfig.parse(JSON.parse(text))));
    const bad = parseConfigText(JSON.stringify({ storage: { pools: [{ name: 1 }] } }));
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.map((d) => d.path)).toEqual(['storage.pools[0].name']);
  });

  it('declines what zod rejects or reads differently, at every place of every example', () => {
    // Each value replaced by values of other types and by edge cases, and each key removed.
    const replacements: unknown[] = [
      null,
      '',
      'x',
      'xy',
      '\ud83d\ude00',
      0,
      -0,
      1,
      1.5,
      -1,
      2 ** 53,
      true,
      [],
      ['x'],
      {},
      { x: 1 },
    ];
    let accepted = 0;
    let declined = 0;
    for (const [, doc] of exampleDocs()) {
      // every path loses its key, and gets three of the replacements (in turn)
      paths(doc).forEach((path, i) => {
        if (path.length === 0) return;
        for (const k of [0, i, i + 1, i + 2]) {
          const r = k === 0 ? undefined : replacements[k % replacements.length];
          if (expectFastParseAgrees(withAt(doc, path, r))) accepted++;
          else declined++;
        }
      });
    }
    // Both happen often: the checks above ran on real outcomes of both kinds.
    expect(accepted).toBeGreaterThan(500);
    expect(declined).toBeGreaterThan(500);
  });

  it('leaves odd documents to zod', () => {
    const proto = '{"storage":{"zfs_datasets":[{"name":"a","properties":{"__proto__":"x"}}]}}';
    expect(fastParseConfig(JSON.parse(proto))).toBeUndefined();
    expect(fastParseConfig(JSON.parse('{"__proto__":{}}'))).toBeUndefined();
    expect(fastParseConfig(Object.create({ system: {} }))).toBeUndefined();
    expect(fastParseConfig({ system: undefined })).toBeUndefined();
    expect(fastParseConfig([])).toBeUndefined();
    // A one-character device path is valid, but zod counts code points there.
    const short = { storage: { pools: [{ name: 't', devices: ['a'] }] } };
    expect(fastParseConfig(short)).toBeUndefined();
    expect(UnifiedConfig.safeParse(short).success).toBe(true);
  });

  it('agrees with zod on random configs built from the schema’s parts', () => {
    const scalar = fc.oneof(
      fc.constantFrom('on', 'filesystem', 'mirror', 'raidz2', 'deny', 'tcp', '', 'zpool', 'x'),
      fc.integer(),
      fc.double(),
      fc.boolean(),
    );
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        scalar,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(
          fc.constantFrom('name', 'devices', 'size', 'volume', 'custom', 'a'),
          tie('v'),
          {
            maxKeys: 3,
          },
        ),
      ),
    })).v;
    const doc = fc.constantFrom(...exampleDocs().map(([, d]) => d));
    let accepted = 0;
    fc.assert(
      fc.property(doc, fc.nat(), value, fc.boolean(), (d, pick, v, drop) => {
        const all = paths(d).filter((p) => p.length > 0);
        const path = all[pick % all.length]!;
        if (expectFastParseAgrees(withAt(d, path, drop ? undefined : v))) accepted++;
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(20);
  });
});
