// An edit of string-width in the bundle (see build/options.mjs): the same widths,
// without compiling its emoji expression until a text could hold an emoji.
//
// string-width (as Ink, widest-line and cli-truncate import it) measures a text that
// is not all printable ASCII grapheme by grapheme, and tests each grapheme against
// /^\p{RGI_Emoji}$/v. The first test compiles that expression, the set of every
// emoji sequence: some 50 ms on the main thread, and 5-6 MB malloc'd and freed, the
// first time a frame holds such a text (the Disks screen's ›, … and – with its 1,000
// disks: its first frame took ~100 ms, the expression most of it). In the bundle the
// test is made only of graphemes that could be RGI emoji (mayBeRgiEmoji), so the
// expression is compiled when an emoji is drawn, if ever; for every other grapheme
// its answer was false. test/unit/string-width.test.ts compares the widths.

/**
 * Whether a grapheme could be an RGI emoji (Unicode's UTS #51): each one starts with a
 * code point that has the Emoji property, and one that is a single code point has
 * Emoji_Presentation (a basic emoji; the others are sequences: a character and
 * U+FE0F, keycaps, modifier, flag, tag and ZWJ sequences). Cheap to compile: two
 * classes of code points.
 */
const possibleRgiEmoji = /^(?:\p{Emoji_Presentation}$|\p{Emoji}.)/su;

export function mayBeRgiEmoji(segment) {
  return possibleRgiEmoji.test(segment);
}

/** string-width 8's emoji test, as its index.js has it: what the build edits (text must match). */
export const STRING_WIDTH_EMOJI_TEST = {
  source: 'if (rgiEmojiRegex.test(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {',
  replacement:
    'if ((mayBeRgiEmoji(segment) && rgiEmojiRegex.test(segment)) || isDoubleWidthNonRgiEmojiSequence(segment)) {',
};
