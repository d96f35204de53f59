/**
 * Property-based: random JSON, random text, and mutated upstream examples go
 * through parse → validate → plan (all three platforms). Nothing throws, and
 * every error names a path (only a document that is not a JSON object at all,
 * or not JSON, is reported at the root) and says something.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePlan, compilePlanForJson } from '../../src/plan/index.js';
import { planJsonChunks } from '../../src/plan/describe.js';
import { PLATFORMS } from '../../src/plan/types.js';
import { parseConfigText, parseConfigValue, type Diagnostic } from '../../src/schema/index.js';
import { validateConfig } from '../../src/validate/index.js';
import { checkConfigText } from '../../src/validate/check.js';
import { upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';
import { expectFastParseAgrees } from '../helpers/fast-parse.js';

const RUNS = 200;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expectWellFormed(diags: readonly Diagnostic[], rootIsObject: boolean): void {
  for (const d of diags) {
    expect(typeof d.message).toBe('string');
    expect(d.message.length).toBeGreaterThan(0);
    if (d.severity === 'error' && rootIsObject) expect(d.path, d.message).not.toBe('');
  }
}

/** Parse, validate and plan for every platform; assert the diagnostics' shape. */
function throughEverything(value: unknown): void {
  // The generated reader that parseConfigText tries first agrees with zod.
  expectFastParseAgrees(value);
  const parsed = parseConfigValue(value);
  expectWellFormed(parsed.diagnostics, isPlainObject(value));
  if (!parsed.ok) {
    expect(parsed.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    return;
  }
  const diags = validateConfig(parsed.config);
  expectWellFormed(diags, true);
  for (const d of diags) expect(d.hint, `${d.path}: ${d.message}`).toBeTruthy();
  for (const platform of PLATFORMS) {
    expectWellFormed(validateConfig(parsed.config, { platform }), true);
    const plan = compilePlan(parsed.config, platform);
    expect(Array.isArray(plan.steps)).toBe(true);
    // what `plan --json` writes (its dataset steps made only as they are written) is the same
    const kept = compilePlanForJson(parsed.config, platform);
    expect([...planJsonChunks(kept, diags)].join('')).toBe(
      [...planJsonChunks(plan, diags)].join(''),
    );
  }
}

// ── mutations of the upstream examples ─────────────────────────────────────

type JsonPath = (string | number)[];

function allPaths(v: unknown, base: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  out.push(base);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...base, i], out));
  else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) allPaths(x, [...base, k], out);
  return out;
}

function getAt(root: unknown, path: JsonPath): unknown {
  let cur = root;
  for (const seg of path) cur = (cur as Record<string | number, unknown>)[seg];
  return cur;
}

type Op = 'drop' | 'replace' | 'duplicate' | 'string' | 'retype';

function mutate(root: unknown, pick: number, op: Op, json: unknown, text: string): void {
  const paths = allPaths(root).filter((p) => p.length > 0);
  if (paths.length === 0) return;
  const path = paths[pick % paths.length]!;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown> | unknown[];
  const key = path[path.length - 1]!;
  const here = (parent as Record<string | number, unknown>)[key];
  switch (op) {
    case 'drop':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete (parent as Record<string, unknown>)[key as string];
      break;
    case 'replace':
      (parent as Record<string | number, unknown>)[key] = json;
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(here));
      else if (Array.isArray(here) && here.length) here.push(structuredClone(here[0]));
      break;
    case 'string':
      // Random strings where strings are (names, paths, sizes, property values…)
      if (typeof here === 'string') (parent as Record<string | number, unknown>)[key] = text;
      break;
    case 'retype':
      (parent as Record<string | number, unknown>)[key] =
        typeof here === 'string' ? text.length : typeof here === 'number' ? String(here) : [here];
      break;
  }
}

const examples = upstreamExampleNames.map((n) => JSON.parse(upstreamExample(n)) as unknown);

const mutation = fc.tuple(
  fc.nat(),
  fc.constantFrom<Op>('drop', 'replace', 'duplicate', 'string', 'string', 'string', 'retype'),
  fc.jsonValue({ maxDepth: 2 }),
  fc.oneof(
    fc.string(),
    fc.constantFrom(
      '',
      '/',
      'tank',
      'mirror',
      'tank/a',
      'none',
      '-1',
      '0',
      '1.5T',
      'global',
      '$6$x',
      'a b',
      '../x',
      '\n',
    ),
  ),
);

// ── structured storage configs: many parse, so validate and plan see them ───

const device = fc.oneof(
  fc.constantFrom(
    '/dev/sdb',
    '/dev/sdc',
    '/dev/sdd',
    '/dev/sdb1',
    'c1t0d0',
    '/dev/dsk/c1t0d0',
    '/dev/ada0p3',
  ),
  fc.record({ serial: fc.constantFrom('S1', 'S2'), size_bytes: fc.nat() }, { requiredKeys: [] }),
);
const vdev = fc.record({
  vdev_type: fc.constantFrom('stripe', 'mirror', 'raidz', 'raidz1', 'raidz2', 'raidz3'),
  devices: fc.array(device, { maxLength: 5 }),
});
const size = fc.oneof(fc.constantFrom('none', '10G', '1.5T', '0', '512M', 'lots', ''), fc.string());
const datasetName = fc.oneof(
  fc.constantFrom('tank/a', 'tank/a/b', 'tank/a/b/c', 'tank', 'other/x', 'tank//x', 'tank/a@s'),
  fc.string(),
);
const datasetFields = {
  name: datasetName,
  dataset_type: fc.oneof(fc.constant('filesystem'), fc.record({ volume: fc.record({ size }) })),
  quota: size,
  reservation: size,
  properties: fc.dictionary(
    fc.constantFrom(
      'compression',
      'atime',
      'recordsize',
      'volblocksize',
      'quota',
      'deduplication',
      'com.x:y',
      'used',
      'ashift',
    ),
    fc.constantFrom('on', 'off', 'lz4', 'zstd', '128K', '3K', 'x'),
    { maxKeys: 3 },
  ),
};
/** Three levels are enough to exercise parents, children and budgets. */
const leaf = fc.record(datasetFields, { requiredKeys: ['name'] });
const middle = fc.record(
  { ...datasetFields, children: fc.array(leaf, { maxLength: 2 }) },
  { requiredKeys: ['name'] },
);
const dataset = fc.record(
  { ...datasetFields, children: fc.array(middle, { maxLength: 2 }) },
  { requiredKeys: ['name'] },
);
const storage = fc.record({
  pools: fc.array(
    fc.record(
      {
        name: fc.oneof(fc.constantFrom('tank', 'rpool', 'mirror', 'c0t0', ''), fc.string()),
        pool_type: fc.constantFrom('zpool', 'lvm'),
        devices: fc.array(device, { maxLength: 3 }),
        properties: fc.dictionary(
          fc.constantFrom(
            'ashift',
            'compression',
            'deduplication',
            'bootfs',
            'feature@x',
            'size',
            'com.x:y',
          ),
          fc.constantFrom('12', 'lz4', 'on', 'tank/a', 'enabled', 'x'),
        ),
        topology: fc.record(
          {
            data: fc.array(vdev, { maxLength: 3 }),
            log: fc.array(vdev, { maxLength: 2 }),
            cache: fc.array(vdev, { maxLength: 1 }),
            spare: fc.array(device, { maxLength: 2 }),
            special: fc.array(vdev, { maxLength: 1 }),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: ['name'] },
    ),
    { maxLength: 3 },
  ),
  zfs_datasets: fc.array(dataset, { maxLength: 4 }),
  zfs_snapshots: fc.array(fc.record({ dataset: datasetName, name: fc.string() }), { maxLength: 2 }),
});

describe('fuzz: validate and plan never throw', () => {
  it('random JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => throughEverything(v)),
      { numRuns: RUNS },
    );
  });

  it('random objects with config-shaped top-level keys', () => {
    const top = fc.dictionary(
      fc.constantFrom(
        'system',
        'storage',
        'networking',
        'software',
        'users',
        'scripts',
        'containers',
        'power_state',
        'extra',
      ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    fc.assert(
      fc.property(top, (v) => throughEverything(v)),
      { numRuns: RUNS },
    );
  });

  it('random text: JSON syntax errors are at the root with a line and column', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((j) => j.slice(0, -1)),
        ),
        (text) => {
          const r = checkConfigText(text);
          for (const d of r.diagnostics) {
            expect(d.message.length).toBeGreaterThan(0);
            if (d.path === '' && d.message.startsWith('not valid JSON')) {
              expect(d.line).toBeGreaterThanOrEqual(1);
              expect(d.column).toBeGreaterThanOrEqual(1);
            }
          }
          const parsed = parseConfigText(text);
          if (parsed.ok) throughEverything(JSON.parse(text));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('mutated upstream examples (dropped keys, changed types, duplicated entries, random strings)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: examples.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (which, ops) => {
          const doc = structuredClone(examples[which]);
          for (const [pick, op, json, text] of ops) mutate(doc, pick, op, json, text);
          throughEverything(doc);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('generated storage layouts (mostly schema-valid, so validation and planning run)', () => {
    let parsedCount = 0;
    fc.assert(
      fc.property(storage, (s) => {
        const value = { storage: s };
        if (parseConfigValue(value).ok) parsedCount++;
        throughEverything(value);
      }),
      { numRuns: RUNS },
    );
    // The generator is only useful if it reaches validation and the plan.
    expect(parsedCount).toBeGreaterThan(RUNS / 4);
  });
});
