/**
 * build/ink-output.mjs and build/widest-line.mjs, the stand-ins the bundle gives
 * Ink for its output grid and for widest-line: each frame must come out as the text
 * Ink's own Output writes, and each width as widest-line's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import InkOutput from '../../node_modules/ink/build/output.js';
import widestLine from 'widest-line';
import LeanOutput from '../../build/ink-output.mjs';
import rememberedWidestLine from '../../build/widest-line.mjs';

const piece = fc.oneof(
  fc.constantFrom('\u001b[1m', '\u001b[22m', '\u001b[31m', '\u001b[39m', '\u001b[7m', '\u001b[0m'),
  fc.constantFrom('a', 'b', ' ', '  ', '\t', '\u00a0', '\n', '─', '›', '界', '👍', 'e\u0301'),
);
const text = fc.array(piece, { minLength: 1, maxLength: 24 }).map((p) => p.join(''));
const transformer = fc.constantFrom<Transformer>(
  (s: string) => s,
  (s: string) => s.toUpperCase(),
  (s: string, i: number) => `${i}${s}`,
  (s: string) => `\u001b[32m${s}\u001b[39m`,
);
const operation: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    type: fc.constant('write' as const),
    x: fc.nat(24),
    y: fc.nat(7),
    text,
    transformers: fc.array(transformer, { maxLength: 2 }),
  }),
  fc.record({
    type: fc.constant('clip' as const),
    x1: fc.option(fc.nat(12), { nil: undefined }),
    x2: fc.option(fc.nat(24), { nil: undefined }),
    y1: fc.option(fc.nat(4), { nil: undefined }),
    y2: fc.option(fc.nat(8), { nil: undefined }),
  }),
  fc.record({ type: fc.constant('unclip' as const) }),
);

type Op =
  | { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] }
  | { type: 'clip'; x1?: number; x2?: number; y1?: number; y2?: number }
  | { type: 'unclip' };
type Transformer = (s: string, index: number) => string;

function draw(grid: InkOutput, ops: Op[]) {
  for (const op of ops) {
    if (op.type === 'write') grid.write(op.x, op.y, op.text, { transformers: op.transformers });
    else if (op.type === 'clip') grid.clip({ x1: op.x1, x2: op.x2, y1: op.y1, y2: op.y2 });
    else grid.unclip();
  }
}

describe('build/ink-output.mjs', () => {
  it("writes every frame as Ink's Output does", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(operation, { maxLength: 12 }),
        (width, height, ops) => {
          const ink = new InkOutput({ width, height });
          const lean = new LeanOutput({ width, height });
          draw(ink, ops);
          draw(lean, ops);
          expect(lean.get()).toEqual(ink.get());
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('build/widest-line.mjs', () => {
  it('gives the width widest-line gives, also once texts are forgotten', () => {
    const texts = fc.array(text, { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(texts, (list) => {
        for (const t of [...list, ...list]) expect(rememberedWidestLine(t)).toBe(widestLine(t));
      }),
    );
    // More texts than both generations hold, then the first ones again.
    const many = Array.from({ length: 2500 }, (_, i) => `${'界'.repeat(i % 7)}${i}`);
    for (const t of [...many, ...many.slice(0, 50)])
      expect(rememberedWidestLine(t)).toBe(widestLine(t));
  });
});
