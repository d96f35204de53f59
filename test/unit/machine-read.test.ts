/**
 * The zod-free machine profile reader (src/disks/machine-read.ts) returns what
 * machine.ts's zod schema returns for every profile it accepts (the same
 * values, keys in the same order), and declines every profile zod rejects, so
 * that machine.ts reports its problems.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DiskSchema, parseMachineProfile } from '../../src/disks/machine.js';
import { readMachineQuickly } from '../../src/disks/machine-read.js';
import { repoRoot } from '../helpers/upstream.js';

const demo = JSON.parse(
  readFileSync(join(repoRoot, 'assets/demo-machine.json'), 'utf8'),
) as unknown[];

/** zod's reading of a profile (array or {disks}), or undefined when it rejects it. */
function zodRead(value: unknown): unknown {
  const list =
    value !== null && typeof value === 'object' && !Array.isArray(value) && 'disks' in value
      ? (value as { disks: unknown }).disks
      : value;
  const r = z.array(DiskSchema).safeParse(list);
  return r.success ? r.data : undefined;
}

/** Same result as zod, down to key order (JSON text) and fresh arrays and objects. */
function expectAgrees(value: unknown): void {
  const quick = readMachineQuickly(value);
  const zod = zodRead(value);
  if (zod === undefined) {
    expect(quick).toBeUndefined();
    return;
  }
  if (quick === undefined) return; // left to zod: allowed
  expect(quick).toEqual(zod);
  expect(JSON.stringify(quick)).toBe(JSON.stringify(zod));
  const list = (Array.isArray(value) ? value : (value as { disks: unknown[] }).disks) as object[];
  quick.forEach((d, i) => {
    expect(d).not.toBe(list[i]);
    expect(d.by_id).not.toBe((list[i] as { by_id: unknown }).by_id);
  });
}

describe('readMachineQuickly', () => {
  it('reads the demo machine, bare and wrapped, as zod does', () => {
    const copy = structuredClone(demo);
    expect(readMachineQuickly(copy)).toHaveLength(demo.length);
    expectAgrees(copy);
    expectAgrees({ disks: copy });
    expectAgrees([]);
    expectAgrees({ disks: [] });
  });

  it('leaves out unknown keys, as zod does', () => {
    const [first] = structuredClone(demo) as Record<string, unknown>[];
    const extra = {
      zzz: 1,
      ...first,
      note: 'x',
      in_use: [{ reason: 'zpool', detail: 'tank', since: 3 }],
    };
    expect(Object.keys(readMachineQuickly([extra])![0]!)).toEqual(Object.keys(DiskSchema.shape));
    expectAgrees([extra]);
    expectAgrees({ disks: [extra], host: 'h' });
  });

  const base = (demo as Record<string, unknown>[])[0]!;
  const keys = Object.keys(DiskSchema.shape);
  const oddValues: unknown[] = [
    undefined,
    null,
    '',
    'x',
    '/dev/x',
    'zpool',
    0,
    -0,
    1,
    -1,
    1.5,
    2 ** 53,
    2 ** 53 - 1,
    1e300,
    Number.NaN,
    true,
    false,
    [],
    ['a'],
    [1],
    [null],
    [{ reason: 'zpool', detail: 't' }],
    [{ reason: 'zpool', detail: 't', extra: 1 }],
    [{ reason: 'borrowed', detail: 't' }],
    [{ reason: 'swap' }],
    [{ reason: 'swap', detail: 1 }],
    [{}],
    [[]],
    {},
    Object.create(null) as object,
  ];

  it('declines what zod rejects, and agrees on whatever it accepts (each key changed)', () => {
    for (const key of [...keys, 'extra']) {
      const without: Record<string, unknown> = structuredClone(base);
      delete without[key];
      expectAgrees([without]);
      for (const v of oddValues) expectAgrees([structuredClone(base), { ...base, [key]: v }]);
    }
  });

  it('declines what zod rejects, and agrees on whatever it accepts (random changes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...keys, 'extra'), fc.constantFrom(...oddValues)), {
          maxLength: 3,
        }),
        fc.boolean(),
        fc.boolean(),
        (edits, drop, wrap) => {
          const d: Record<string, unknown> = structuredClone(base);
          for (const [k, v] of edits) d[k] = v;
          if (drop && edits[0]) delete d[edits[0][0]];
          const list = [structuredClone(base), d];
          expectAgrees(wrap ? { disks: list } : list);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('declines what is not a list of plain objects', () => {
    for (const v of [null, 'text', 3, {}, { disks: 'x' }, [null], [[]], [new Date()]])
      expect(readMachineQuickly(v)).toBeUndefined();
  });

  it('is what parseMachineProfile returns for a valid profile', () => {
    const copy = structuredClone(demo);
    expect(parseMachineProfile(copy)).toEqual(readMachineQuickly(copy));
  });
});
