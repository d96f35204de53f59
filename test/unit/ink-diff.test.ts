/**
 * build/ink-diff.mjs, the bundle's stand-in for the props diff of Ink's reconciler:
 * the build replaces exactly Ink's function (its text is still in Ink), and the
 * stand-in returns what it returns — the same keys in the same order, the same
 * values, undefined for no change, `after` itself when there is no `before`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INK_DIFF_SOURCE, INK_PROPS_LOOP, diff } from '../../build/ink-diff.mjs';
import { repoRoot } from '../helpers/upstream.js';

type Props = Record<string, unknown> | null | undefined;

const reconciler = readFileSync(join(repoRoot, 'node_modules/ink/build/reconciler.js'), 'utf8');
const inkDiff = new Function(`${INK_DIFF_SOURCE}\nreturn diff;`)() as (
  before: Props,
  after: Props,
) => Props;

/** Same result: values, key order, and identity where Ink returns `after` itself. */
function expectSame(before: Props, after: Props): void {
  const ink = inkDiff(before, after);
  const lean = diff(before, after);
  expect(lean).toEqual(ink);
  if (ink === undefined || ink === after) expect(lean).toBe(ink);
  else expect(Object.keys(lean as object)).toEqual(Object.keys(ink as object));
}

const fn = () => 0;
const style = { flexDirection: 'row' };
const value = fc.constantFrom<unknown>(undefined, null, 0, 1, '', 'a', 'b', true, false, fn, style);
const props: fc.Arbitrary<Props> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(undefined, null) },
  {
    weight: 8,
    arbitrary: fc.dictionary(
      fc.constantFrom('style', 'children', 'internal_transform', 'color', 'key', '0', '10', 'b'),
      value,
      { maxKeys: 6 },
    ),
  },
);

describe('Ink props diff stand-in', () => {
  it("replaces Ink's own function and loop, whose texts the build looks for, exactly once", () => {
    expect(reconciler.split(INK_DIFF_SOURCE)).toHaveLength(2);
    expect(reconciler.split(INK_PROPS_LOOP.source)).toHaveLength(2);
  });

  it("walks diff's result as Ink's loop does (keys, values, order)", () => {
    const walk = (source: string) =>
      new Function(
        'props',
        `const seen = [];\n${source}\nseen.push([key, value]); }\nreturn seen;`,
      ) as (props: Props) => [string, unknown][];
    const ink = walk(INK_PROPS_LOOP.source);
    const lean = walk(INK_PROPS_LOOP.replacement);
    fc.assert(
      fc.property(props, props, (before, after) => {
        const changed = diff(before, after);
        if (changed) expect(lean(changed)).toEqual(ink(changed));
      }),
      { numRuns: 1000 },
    );
  });

  it('returns what Ink returns (random props, and a props object against itself)', () => {
    fc.assert(
      fc.property(props, props, (before, after) => {
        expectSame(before, after);
        expectSame(before, before);
        expectSame(after, before);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps deleted keys first, then changed ones, each in its object order', () => {
    const before: Props = { b: 1, a: 1, 10: 1, gone: 1 };
    const after: Props = { z: 2, a: 2, 2: 2, b: 1, 10: 1 };
    expectSame(before, after);
    // (integer-like keys come first in any object)
    expect(Object.keys(diff(before, after)!)).toEqual(['2', 'gone', 'z', 'a']);
  });
});
