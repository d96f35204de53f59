// Stands in for @alcalzone/ansi-tokenize in the bundle (see build/options.mjs): the
// package itself, with a tokenizer, a styler and a styledCharsToString that return
// the same values and throw far less away.
//
// Ink turns every frame into text cell by cell (ink/build/output.js): each line it
// writes is tokenized and styled into one object per character, and every line of
// the terminal is then written back as text from those cells. The package does this
// with a grapheme segmenter over the whole line (an iterator result, a segment object
// and a string per character), a copied style array per character, and three Sets and
// four arrays per pair of neighbours in styledCharsToString. For a full-screen frame
// of 100 × 30 cells that was ~2 MB of garbage per keystroke, the most of what the
// installer allocates while it runs: it grows the young generation and is promoted
// into the old one (bench/tui.bench.mjs, peak RSS).
//
// Here:
//   - tokenize reads printable ASCII and escape sequences itself; the segmenter gets
//     only the stretches around other characters, cut where a grapheme boundary is
//     certain (between two ASCII characters other than CR LF, and before an escape,
//     which is a control character: UAX #29 GB3-GB5, GB999).
//   - Tokens, style arrays and styled characters are shared: one object for each
//     character or code, one array for each style, one styled character for each pair
//     of those. Nothing in Ink changes them (it only reads cells, and puts them in
//     its grid), and neither does the package.
//   - styledCharsToString skips the work between two characters of the same style,
//     and works out the codes between two styles once for each pair of them.
// The values are the package's own: each token of a code or a grapheme is the one
// the package's tokenize makes for it, and each style is its reduceAnsiCodesIncremental.
// test/unit/ansi-tokenize.test.ts compares them with the package's on random text.
import * as pkg from '@alcalzone/ansi-tokenize';

export * from '@alcalzone/ansi-tokenize';

const { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental } = pkg;

const ESC = 0x1b;
const CSI8 = 0x9b; // the 8-bit CSI, an escape to the package as well
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Tables that are cleared when they grow past this many entries (text with ever new
 * characters or codes must not keep them all). Sharing is an optimisation only. */
const LIMIT = 4096;
function remember(map, key, value) {
  if (map.size >= LIMIT) map.clear();
  map.set(key, value);
  return value;
}

/** The package's token of one grapheme: one object per grapheme. */
const charTokens = new Map();
function charToken(grapheme) {
  return charTokens.get(grapheme) ?? remember(charTokens, grapheme, pkg.tokenize(grapheme)[0]);
}

/** The package's tokens of one escape sequence (a compound SGR code gives several). */
const codeTokens = new Map();
function codeTokensOf(code) {
  return codeTokens.get(code) ?? remember(codeTokens, code, pkg.tokenize(code));
}

/** The escape sequence that starts at `i` as the package recognises it (an SGR code
 * `ESC[…m` or an OSC 8 link `ESC]8;params;url BEL`), or undefined. */
function codeAt(str, i) {
  const next = str.codePointAt(i + 1);
  if (next === 0x5b /* [ */) {
    for (let j = i + 2; j < str.length; j++) {
      const c = str.charCodeAt(j);
      if (c === 0x6d /* m */) return str.slice(i, j + 1);
      if (c !== 0x3b /* ; */ && (c < 0x30 || c > 0x39)) return undefined;
    }
    return undefined;
  }
  if (next === 0x5d /* ] */) {
    if (str.charCodeAt(i + 2) !== 0x38 /* 8 */ || str.charCodeAt(i + 3) !== 0x3b) return undefined;
    const paramsEnd = str.indexOf(';', i + 4);
    if (paramsEnd === -1) return undefined;
    const end = str.indexOf('\u0007', paramsEnd + 1);
    return end === -1 ? undefined : str.slice(i, end + 1);
  }
  return undefined;
}

/** Whether a grapheme boundary is certain between str[p - 1] and str[p]. */
function certainBoundary(str, p) {
  const b = str.charCodeAt(p);
  if (b === ESC || b === CSI8) return true;
  const a = str.charCodeAt(p - 1);
  return a < 0x80 && b < 0x80 && !(a === 0x0d && b === 0x0a);
}

export function tokenize(str, endChar = Number.POSITIVE_INFINITY) {
  const ret = [];
  const n = str.length;
  let visible = 0;
  // Like the package: a grapheme that starts inside an escape sequence is skipped
  // (its last character with what combines with it).
  let codeEnd = 0;
  let i = 0;
  while (i < n) {
    const c = str.charCodeAt(i);
    if (c === ESC || c === CSI8) {
      const code = codeAt(str, i);
      if (code) {
        // Indexed loops here and below: the TUI runs unoptimised code (src/cli/tui.ts),
        // where a for-of allocates a result object per element.
        const tokens = codeTokensOf(code);
        for (let t = 0; t < tokens.length; t++) ret.push(tokens[t]);
        codeEnd = i + code.length;
        i = codeEnd;
        // What follows may combine with the code's last character: read it with the
        // segmenter from there, as the package does.
        if (i < n && !certainBoundary(str, i)) i--;
        continue;
      }
    }
    let end = i + 1;
    if (c >= 0x20 && c < 0x7f && (end === n || certainBoundary(str, end))) {
      // A printable ASCII character with certain boundaries on both sides (where i
      // starts is always one): a grapheme of its own.
      if (i >= codeEnd) {
        ret.push(charToken(str[i]));
        if (++visible >= endChar) return ret;
      }
      i = end;
      continue;
    }
    while (end < n && !certainBoundary(str, end)) end++;
    for (const { segment, index } of segmenter.segment(str.slice(i, end))) {
      if (i + index < codeEnd) continue;
      const t = charToken(segment);
      ret.push(t);
      visible += t.fullWidth ? 2 : 1;
      if (visible >= endChar) return ret;
    }
    i = end;
  }
  return ret;
}

/** One array per style: the style after each code, from the style before it. */
const NO_STYLE = [];
const nextStyles = new Map();
function styleAfter(styles, code) {
  let byCode = nextStyles.get(styles);
  if (!byCode) byCode = remember(nextStyles, styles, new Map());
  return (
    byCode.get(code) ??
    remember(byCode, code, internStyle(reduceAnsiCodesIncremental(styles, [code])))
  );
}
const styleByKey = new Map();
function internStyle(styles) {
  if (styles.length === 0) return NO_STYLE;
  const key = styles.map((s) => `${s.code}\u0000${s.endCode}`).join('\u0001');
  return styleByKey.get(key) ?? remember(styleByKey, key, styles);
}

/** One styled character per (style, token). */
const styledByStyle = new Map();
function styledChar(styles, token) {
  let byToken = styledByStyle.get(styles);
  if (!byToken) byToken = remember(styledByStyle, styles, new Map());
  return byToken.get(token) ?? remember(byToken, token, { ...token, styles });
}

export function styledCharsFromTokens(tokens) {
  let styles = NO_STYLE;
  const ret = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === 'ansi') styles = styleAfter(styles, token);
    else if (token.type === 'char') ret.push(styledChar(styles, token));
  }
  return ret;
}

function sameCodes(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;
  return true;
}

/** The codes from one style to another, as text: once per pair of style arrays
 * (three Sets and four arrays each time otherwise). */
const transitions = new Map();
function codesBetween(from, to) {
  let byTo = transitions.get(from);
  if (!byTo) byTo = remember(transitions, from, new Map());
  let text = byTo.get(to);
  if (text === undefined) text = remember(byTo, to, ansiCodesToString(diffAnsiCodes(from, to)));
  return text;
}

export function styledCharsToString(chars) {
  let ret = '';
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    if (i === 0) {
      if (char.styles.length > 0) ret += ansiCodesToString(char.styles);
    } else if (!sameCodes(chars[i - 1].styles, char.styles))
      ret += codesBetween(chars[i - 1].styles, char.styles);
    ret += char.value;
    // reset active styles at the end of the string
    if (i === chars.length - 1 && char.styles.length > 0)
      ret += codesBetween(char.styles, NO_STYLE);
  }
  return ret;
}
