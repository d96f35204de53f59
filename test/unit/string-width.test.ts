/**
 * build/string-width.mjs, the bundle's edit of string-width: its text is still in
 * string-width, mayBeRgiEmoji holds for every grapheme the RGI emoji expression
 * matches (so skipping the expression when it is false changes no answer), and the
 * edited string-width measures every text as string-width does.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import stringWidth from 'string-width';
import { STRING_WIDTH_EMOJI_TEST, mayBeRgiEmoji } from '../../build/string-width.mjs';
import { repoRoot } from '../helpers/upstream.js';

const indexJs = readFileSync(join(repoRoot, 'node_modules/string-width/index.js'), 'utf8');
// string-width's own expression (the v flag is newer than the target TypeScript checks for).
const rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');

/** Every code point but the surrogates, as a string. */
function* codePoints(): Generator<string> {
  for (let cp = 0; cp <= 0x10ffff; cp++)
    if (cp < 0xd800 || cp > 0xdfff) yield String.fromCodePoint(cp);
}

/** What may follow the first code point of an emoji sequence (UTS #51). */
const SUFFIXES = [
  '\ufe0f', // emoji presentation
  '\u20e3',
  '\ufe0f\u20e3', // keycap
  '\u{1f3fb}',
  '\u{1f3ff}', // skin tones
  '\u{1f1e6}',
  '\u{1f1fa}', // a second regional indicator
  '\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}', // tag sequence
  '\u200d\u{1f468}',
  '\u200d\u2764\ufe0f',
  '\ufe0f\u200d\u{1f5e8}\ufe0f',
  '\u{1f3fb}\u200d\u{1f91d}\u200d\u{1f9d1}\u{1f3fd}', // ZWJ sequences
];

const EMOJI = [
  '👍',
  '👍🏽',
  '❤️',
  '❤',
  '#️⃣',
  '#⃣',
  '1️⃣',
  '🇫🇷',
  '🇫',
  '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
  '👨‍👩‍👧‍👦',
  '🧑🏻‍🤝‍🧑🏽',
  '🏳️‍🌈',
  '⌚',
  '™️',
  '™',
  '©',
  '😀‍😀',
];
const piece = fc.oneof(
  fc.constantFrom(...EMOJI),
  fc.constantFrom('a', '1', '#', ' ', '›', '…', '–', '─', '✓', '✗', '▸', '界', 'ｶﾞ', 'e\u0301'),
  fc.constantFrom('\u200d', '\ufe0f', '\u20e3', '\u{1f3fb}', '\u{e0067}', '\u001b[31m', '\t'),
  fc.string({ unit: 'binary', maxLength: 3 }),
);
const text = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));

let edited: (text: string, options?: { ambiguousIsNarrow?: boolean }) => number;
let dir: string;

beforeAll(async () => {
  // string-width's index.js edited as the build edits it, its imports resolved.
  dir = mkdtempSync(join(tmpdir(), 'slipway-string-width-'));
  const dependency = (name: string) =>
    JSON.stringify(
      pathToFileURL(realpathSync(join(repoRoot, 'node_modules', name, 'index.js'))).href,
    );
  const source =
    `import { mayBeRgiEmoji } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'build/string-width.mjs')).href)};\n` +
    indexJs
      .split(STRING_WIDTH_EMOJI_TEST.source)
      .join(STRING_WIDTH_EMOJI_TEST.replacement)
      .replace("from 'strip-ansi'", `from ${dependency('strip-ansi')}`)
      .replace("from 'get-east-asian-width'", `from ${dependency('get-east-asian-width')}`);
  writeFileSync(join(dir, 'index.mjs'), source);
  edited = (
    (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { default: typeof edited }
  ).default;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('string-width, its emoji expression compiled only for graphemes that could be emoji', () => {
  it("edits string-width's emoji test, whose text the build looks for, exactly once", () => {
    expect(indexJs.split(STRING_WIDTH_EMOJI_TEST.source)).toHaveLength(2);
    expect(indexJs).toContain('const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;');
  });

  it('may be an RGI emoji: every code point the expression matches, alone or starting a sequence', () => {
    let alone = 0;
    let sequences = 0;
    for (const c of codePoints()) {
      if (rgiEmoji.test(c)) {
        alone++;
        expect(mayBeRgiEmoji(c), c).toBe(true);
      }
      for (const suffix of SUFFIXES)
        if (rgiEmoji.test(c + suffix)) {
          sequences++;
          expect(mayBeRgiEmoji(c + suffix), c + suffix).toBe(true);
        }
    }
    // The expression matched something of each kind (not a vacuous check).
    expect(alone).toBeGreaterThan(1000);
    expect(sequences).toBeGreaterThan(300);
    for (const e of EMOJI) if (rgiEmoji.test(e)) expect(mayBeRgiEmoji(e), e).toBe(true);
  }, 60_000);

  it('is not one for the non-ASCII characters the screens draw, nor for a digit', () => {
    for (const c of ['›', '…', '–', '—', '─', '│', '└', '├', '✓', '✗', '▸', '▾', '·', '1', '#'])
      expect(mayBeRgiEmoji(c), c).toBe(false);
  });

  it('measures as string-width does: each code point, emoji, and random texts', () => {
    for (const c of SUFFIXES.concat(EMOJI)) {
      expect(edited(c), c).toBe(stringWidth(c));
      expect(edited(`a${c}›`), c).toBe(stringWidth(`a${c}›`));
    }
    for (let cp = 0x80; cp <= 0x10ffff; cp += cp < 0x30000 ? 1 : 97)
      if (cp < 0xd800 || cp > 0xdfff) {
        const c = String.fromCodePoint(cp);
        if (edited(c) !== stringWidth(c)) expect(edited(c), c).toBe(stringWidth(c));
      }
    fc.assert(
      fc.property(text, fc.boolean(), (t, ambiguousIsNarrow) => {
        expect(edited(t, { ambiguousIsNarrow })).toBe(stringWidth(t, { ambiguousIsNarrow }));
      }),
      { numRuns: 3000 },
    );
  }, 60_000);
});
