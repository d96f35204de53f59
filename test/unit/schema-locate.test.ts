import { describe, expect, it } from 'vitest';
import { attachLocations } from '../../src/schema/locate.js';
import { formatPath, type Diagnostic, type PathSegment } from '../../src/schema/diagnostics.js';
import { upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';

/** Every path of a JSON value, in document order, with the value found there. */
function allPaths(v: unknown, base: PathSegment[] = [], out: [PathSegment[], unknown][] = []) {
  out.push([base, v]);
  if (Array.isArray(v)) v.forEach((x, i) => allPaths(x, [...base, i], out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) allPaths(x, [...base, k], out);
  return out;
}

const diag = (path: string): Diagnostic => ({ severity: 'warning', path, message: 'm' });

function offsetOf(text: string, line: number, column: number): number {
  let l = 1;
  let i = 0;
  while (l < line) if (text[i++] === '\n') l++;
  return i + column - 1;
}

describe('attachLocations', () => {
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
    it(`${name}: members point at their key, elements at their value, in document order`, () => {
      const entries = allPaths(JSON.parse(text!)).filter(([p]) => p.length > 0);
      const ds = entries.map(([p]) => diag(formatPath(p)));
      attachLocations(ds, text!);
      let previous = -1;
      entries.forEach(([p, value], i) => {
        const d = ds[i]!;
        expect(d.line, d.path).toBeDefined();
        const at = offsetOf(text!, d.line!, d.column!);
        const last = p[p.length - 1]!;
        const expected =
          typeof last === 'string' ? JSON.stringify(last) : JSON.stringify(value)[0]!;
        expect(text!.slice(at, at + expected.length), d.path).toBe(expected);
        expect(at).toBeGreaterThan(previous);
        previous = at;
      });
    });
  }

  it('skips values that hold no wanted path, however deep and whatever their strings hold', () => {
    const tricky = ['{', ']', '"[', '\\', '\\"}', 'a\\\\', '\u2028', ''];
    const nest = (depth: number): unknown =>
      depth === 0
        ? tricky
        : {
            s: tricky[depth % tricky.length],
            l: [nest(depth - 1), [], {}],
            o: nest(depth - 1),
            // longer than the skipping expression's bounded loops (64 turns)
            strings: Array.from({ length: 150 }, (_, i) => tricky[i % tricky.length]),
            objects: Array.from({ length: 150 }, (_, i) => ({ i, s: tricky[i % tricky.length] })),
            lists: Array.from({ length: 150 }, (_, i) => [i, [tricky[i % tricky.length]]]),
          };
    for (const depth of [0, 1, 2, 3, 4, 6]) {
      for (const space of [0, 2]) {
        const text = JSON.stringify({ skip: nest(depth), x: [nest(depth), { y: 1 }] }, null, space);
        const ds = [diag('x[1].y'), diag('x[1]')];
        attachLocations(ds, text);
        const y = offsetOf(text, ds[0]!.line!, ds[0]!.column!);
        expect(text.slice(y, y + 3), `depth ${depth}`).toBe('"y"');
        const item = offsetOf(text, ds[1]!.line!, ds[1]!.column!);
        expect(text.slice(item).replace(/\s+/g, ''), `depth ${depth}`).toBe('{"y":1}]}');
      }
    }
  });

  it('a missing key is located at its nearest ancestor', () => {
    const text = '{\n  "storage": {\n    "pools": [\n      {"name": "t"}\n    ]\n  }\n}';
    const ds = [diag('storage.pools[0].topology.data'), diag('storage.nothing[3]')];
    attachLocations(ds, text);
    expect(ds[0]).toMatchObject({ line: 4, column: 7 });
    expect(ds[1]).toMatchObject({ line: 2, column: 3 });
  });

  it('keeps locations that are already there and skips the root', () => {
    const ds: Diagnostic[] = [{ ...diag('system'), line: 7, column: 3 }, diag('')];
    attachLocations(ds, '{"system": {}}');
    expect(ds[0]).toMatchObject({ line: 7, column: 3 });
    expect(ds[1]!.line).toBeUndefined();
  });
});
