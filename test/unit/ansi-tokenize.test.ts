/**
 * build/ansi-tokenize.mjs, the stand-in the bundle gives Ink for
 * @alcalzone/ansi-tokenize: its tokenize and styledCharsFromTokens must return what
 * the package's own do, and its styledCharsToString must write exactly the text the
 * package's does, for any styled text — also for lines put together from cells of
 * different texts, as Ink's output grid does.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as original from '@alcalzone/ansi-tokenize';
import * as faster from '../../build/ansi-tokenize.mjs';

const SGR = [
  '\u001b[1m',
  '\u001b[2m',
  '\u001b[3m',
  '\u001b[4m',
  '\u001b[7m',
  '\u001b[22m',
  '\u001b[23m',
  '\u001b[24m',
  '\u001b[27m',
  '\u001b[31m',
  '\u001b[32m',
  '\u001b[39m',
  '\u001b[90m',
  '\u001b[38;5;208m',
  '\u001b[38;2;1;2;3m',
  '\u001b[41m',
  '\u001b[49m',
  '\u001b[0m',
  '\u001b]8;;https://example.org\u0007',
  '\u001b]8;;\u0007',
];
const piece = fc.oneof(
  fc.constantFrom(...SGR),
  fc.constantFrom('a', ' ', 'x', '─', '›', '界', '✓', '👍'),
);
const styledText = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));

// What the tokenizer reads itself or leaves to the grapheme segmenter, and the edges
// between them: combining marks (also after an escape code), a prepended mark, ZWJ
// emoji, flags, a variation selector, CR LF and other controls, escapes the package
// does not recognise (also the 8-bit CSI), and pieces of codes.
const edgy = fc.oneof(
  fc.constantFrom(...SGR),
  fc.constantFrom('a', 'm', '1', ';', '[', ']', '8', ' ', '~', '\u0007', '\t', '\r', '\n'),
  fc.constantFrom('\u001b', '\u001b[', '\u001b]8;', '\u009b', '\u009b[31m', '\u001b[3x'),
  fc.constantFrom('\u0301', '\u0308', '\u0600', '\u200d', '\ufe0f', '\u20e3', '\u1100', '\u1161'),
  fc.constantFrom('é', '›', '界', '👍', '👩‍💻', '🇩🇪', '\ud83c', '\udf89', '─'),
);
const edgyText = fc.array(edgy, { maxLength: 30 }).map((p) => p.join(''));

const chars = (text: string) => original.styledCharsFromTokens(original.tokenize(text));

describe('build/ansi-tokenize.mjs', () => {
  it('re-exports the package', () => {
    for (const name of Object.keys(original)) expect(name in faster).toBe(true);
    expect(faster.styledCharsToString).not.toBe(original.styledCharsToString);
  });

  it('tokenize and styledCharsFromTokens return what the package returns, for any text', () => {
    fc.assert(
      fc.property(fc.oneof(styledText, edgyText), fc.option(fc.nat(30)), (text, endChar) => {
        const tokens = faster.tokenize(text, endChar ?? undefined);
        expect(tokens).toEqual(original.tokenize(text, endChar ?? undefined));
        expect(faster.styledCharsFromTokens(tokens)).toEqual(
          original.styledCharsFromTokens(original.tokenize(text, endChar ?? undefined)),
        );
      }),
      { numRuns: 5000 },
    );
  });

  it('styledCharsToString writes what the package writes, for any styled text', () => {
    fc.assert(
      fc.property(styledText, (text) => {
        const c = chars(text);
        expect(faster.styledCharsToString(c)).toBe(original.styledCharsToString(c));
      }),
      { numRuns: 2000 },
    );
  });

  it('also for a line of cells from several texts and blank cells (Ink output grid)', () => {
    fc.assert(
      fc.property(fc.array(fc.option(styledText), { maxLength: 8 }), (texts) => {
        const line = texts.flatMap((t) =>
          t === null
            ? [{ type: 'char' as const, value: ' ', fullWidth: false, styles: [] }]
            : chars(t),
        );
        expect(faster.styledCharsToString(line)).toBe(original.styledCharsToString(line));
      }),
      { numRuns: 2000 },
    );
  });
});
