import { describe, expect, it } from 'vitest';
import { attachLocation } from '../../src/schema/parse.js';
import { formatPath, type Diagnostic, type PathSegment } from '../../src/schema/diagnostics.js';
import { attachLocations } from '../../src/validate/locate.js';
import { upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';

function allPaths(
  v: unknown,
  base: PathSegment[] = [],
  out: PathSegment[][] = [],
): PathSegment[][] {
  out.push(base);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...base, i], out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) allPaths(x, [...base, k], out);
  return out;
}

const diag = (path: string): Diagnostic => ({ severity: 'warning', path, message: 'm' });

describe('attachLocations (one pass) agrees with attachLocation (per path)', () => {
  const odd = JSON.stringify(
    {
      'a.b': { 'feature@x': [1, [2, { 'k"q': null }]], ok: true },
      list: [{}, [], 'x', -1.5e3],
      'back\\': ['C:\\dir\\', { after: '\\"' }],
    },
    null,
    2,
  );
  const texts = [...upstreamExampleNames.map((n) => [n, upstreamExample(n)]), ['odd keys', odd]];
  for (const [name, text] of texts) {
    it(`${name}: every path, and missing children of every path`, () => {
      // The per-path locator rescans the text for each path: sample every third one.
      const paths = allPaths(JSON.parse(text!))
        .map((p) => formatPath(p))
        .filter((_, i) => name === 'odd keys' || i % 3 === 0);
      const wanted = [
        ...paths,
        ...paths.filter((_, i) => i % 2 === 0).map((p) => `${p}.missing_key`),
        ...paths.filter((_, i) => i % 2 === 1).map((p) => `${p}[999]`),
      ].filter(Boolean);
      const one = wanted.map(diag);
      const each = wanted.map(diag);
      attachLocations(one, text!);
      for (const d of each) attachLocation(d, text!);
      expect(one).toEqual(each);
      expect(one.filter((d) => d.line !== undefined).length).toBeGreaterThanOrEqual(
        paths.length - 1,
      );
      expect(paths.length).toBeGreaterThanOrEqual(5);
    });
  }

  it('keeps locations that are already there and skips the root', () => {
    const ds: Diagnostic[] = [{ ...diag('system'), line: 7, column: 3 }, diag('')];
    attachLocations(ds, '{"system": {}}');
    expect(ds[0]).toMatchObject({ line: 7, column: 3 });
    expect(ds[1]!.line).toBeUndefined();
  });
});
