// Stands in for @alcalzone/ansi-tokenize in the bundle (see build/options.mjs): the
// package itself, with a faster styledCharsToString.
//
// Ink turns every frame into text cell by cell (ink/build/output.js): each line of
// the terminal is an array of styled characters, and styledCharsToString asks
// diffAnsiCodes for the codes between each pair of neighbours — three Sets and four
// arrays per character, also for the blank cells that fill a full-screen frame
// (100 × 30 cells: several MB of garbage per keystroke). Two neighbours with the
// same codes need none: diffAnsiCodes(a, b) is [] when a and b hold the same codes
// in the same order (every code of a has its start code and end code in b, every
// code of b its start code in a), so the text is the same without calling it.
// test/unit/ansi-tokenize.test.ts compares both on random styled text.
import { ansiCodesToString, diffAnsiCodes } from '@alcalzone/ansi-tokenize';

export * from '@alcalzone/ansi-tokenize';

function sameCodes(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

export function styledCharsToString(chars) {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (i === 0) ret += ansiCodesToString(char.styles);
    else if (!sameCodes(chars[i - 1].styles, char.styles))
      ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
    ret += char.value;
    // reset active styles at the end of the string
    if (i === chars.length - 1 && char.styles.length > 0)
      ret += ansiCodesToString(diffAnsiCodes(char.styles, []));
  }
  return ret;
}
