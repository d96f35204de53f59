/**
 * Line and column of many JSON paths in one pass over the text (the per-path
 * `locatePath` rescans the whole document each time, which is quadratic for a
 * large config with many diagnostics). The text must be valid JSON.
 *
 * A member of an object is located at its key; an element of an array at the
 * start of its value — the same places `attachLocation` points at.
 */
import type { Diagnostic } from './diagnostics.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function memberPath(base: string, key: string): string {
  if (IDENT.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

interface Frame {
  kind: 'obj' | 'arr';
  path: string;
  /** Whether a wanted path lies inside; if not, the content is only skipped over. */
  relevant: boolean;
  index: number;
  /** Objects: a key was read and its value is pending. */
  afterKey: boolean;
}

/** Offsets (0-based) of the first occurrence of each wanted path. */
export function locatePaths(text: string, wanted: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  const stack: Frame[] = [];
  let pending: string | undefined; // path of the value about to start
  const n = text.length;
  let i = 0;
  const mark = (path: string, at: number) => {
    if (wanted.has(path) && !found.has(path)) found.set(path, at);
  };
  const valueStart = (at: number) => {
    const top = stack[stack.length - 1];
    if (!top) pending = '';
    else if (top.kind === 'obj') {
      // the key already set `pending`
      top.afterKey = false;
      if (!top.relevant) pending = undefined;
    } else if (!top.relevant) pending = undefined;
    else {
      pending = `${top.path}[${top.index}]`;
      mark(pending, at);
    }
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace, ':' and ','
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 58) {
      i++;
      continue;
    }
    if (c === 44) {
      const top = stack[stack.length - 1];
      if (top?.kind === 'arr') top.index++;
      i++;
      continue;
    }
    if (c === 123 || c === 91) {
      // { or [
      valueStart(i);
      const path = pending ?? '';
      const relevant = pending !== undefined && (path === '' || wanted.has(path));
      if (!relevant) {
        // nothing wanted inside: jump past the whole value
        i = skipContainer(text, i);
        continue;
      }
      stack.push({ kind: c === 123 ? 'obj' : 'arr', path, index: 0, afterKey: false, relevant });
      i++;
      continue;
    }
    if (c === 125 || c === 93) {
      stack.pop();
      i++;
      continue;
    }
    if (c === 34) {
      // a string: a key when an object is waiting for one
      // the closing quote: the next one not escaped by an odd number of backslashes
      const j = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.kind === 'obj' && !top.afterKey) {
        top.afterKey = true;
        if (top.relevant) {
          const raw = text.slice(i + 1, j);
          let key = raw;
          if (raw.includes('\\'))
            try {
              key = JSON.parse(text.slice(i, j + 1)) as string;
            } catch {
              key = raw;
            }
          pending = memberPath(top.path, key);
          mark(pending, i);
        } else pending = undefined;
      } else valueStart(i);
      i = j + 1;
      continue;
    }
    // number, true, false, null
    valueStart(i);
    while (i < n) {
      const d = text.charCodeAt(i);
      if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
      i++;
    }
  }
  return found;
}

/** The offset of the closing quote of the string whose opening quote is at `open`. */
function stringEnd(text: string, open: number): number {
  for (let j = open + 1; ; j++) {
    j = text.indexOf('"', j);
    if (j < 0) return text.length;
    let slashes = 0;
    while (text.charCodeAt(j - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) return j;
  }
}

/**
 * Skipping a value that holds no wanted path, with a regular expression: it
 * runs as native code, where a loop over every character was ~10 ms for the
 * 940 KB of `storage` that a config with 10,000 datasets holds before the
 * `containers` of its 200 warnings (and TurboFan compiling that loop touched
 * ~200 fresh pages); this is ~2 ms.
 *
 * RUN: text without an unquoted bracket, strings taken whole. SKIP: a run,
 * then bracketed values nested at most two deep, each followed by a run: one
 * call takes, for example, a whole list of 50 datasets. Sticky (it matches at
 * `lastIndex`) and it always matches, possibly nothing: it ends before the
 * first bracket it cannot take whole. Each loop is bounded at 64 turns: the
 * engine keeps a backtracking entry per turn, and a call over 100,000 strings
 * in a row was ~10 times slower per string than calls of 64 (it then ends
 * before a quote, and the next call goes on from there).
 */
const N = String.raw`[^"{}[\]]*`;
const RUN = String.raw`${N}(?:"[^"\\]*(?:\\.[^"\\]*)*"${N}){0,64}`;
const ONE_DEEP = String.raw`${RUN}(?:[{[]${RUN}[}\]]${RUN}){0,64}`;
const SKIP = new RegExp(String.raw`${RUN}(?:[{[]${ONE_DEEP}[}\]]${RUN}){0,64}`, 'y');

/** The offset just past the object or array that starts at `open`. */
function skipContainer(text: string, open: number): number {
  const n = text.length;
  let depth = 1;
  let i = open + 1;
  try {
    while (i < n) {
      SKIP.lastIndex = i;
      SKIP.test(text);
      const j = SKIP.lastIndex;
      const c = text.charCodeAt(j);
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (--depth === 0) return j + 1;
      } else if (c === 34 && j > i) {
        i = j; // a bound was reached before a string
        continue;
      } else return n; // an unterminated string (not valid JSON): the end
      i = j + 1;
    }
    return n;
  } catch {
    // the engine's backtracking stack overflowed: one character at a time
    return skipContainerSlowly(text, open);
  }
}

function skipContainerSlowly(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i);
    else if (c === 123 || c === 91) depth++;
    else if ((c === 125 || c === 93) && --depth === 0) return i + 1;
  }
  return text.length;
}

function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut > 0 ? path.slice(0, cut) : '';
}

/**
 * Give each diagnostic without a line the line and column of its path, or of
 * its nearest ancestor that appears in the text (a missing key has no place).
 */
export function attachLocations(diagnostics: readonly Diagnostic[], text: string): void {
  const wanted = new Set<string>();
  for (const d of diagnostics) {
    if (d.line !== undefined || !d.path) continue;
    for (let p = d.path; p; p = parentPath(p)) wanted.add(p);
  }
  if (wanted.size === 0) return;
  const found = locatePaths(text, wanted);
  // Each diagnostic's offset, then lines counted once up to the offsets in
  // order: an array of every line's start was 200,000 numbers (1.6 MB, fresh
  // pages) for a pretty-printed config with 10,000 datasets.
  const at: { d: Diagnostic; offset: number }[] = [];
  for (const d of diagnostics) {
    if (d.line !== undefined || !d.path) continue;
    for (let p = d.path; p; p = parentPath(p)) {
      const offset = found.get(p);
      if (offset !== undefined) {
        at.push({ d, offset });
        break;
      }
    }
  }
  at.sort((a, b) => a.offset - b.offset);
  let line = 1;
  let lineStart = 0;
  let nl = text.indexOf('\n');
  for (const { d, offset } of at) {
    while (nl >= 0 && nl < offset) {
      line++;
      lineStart = nl + 1;
      nl = text.indexOf('\n', lineStart);
    }
    d.line = line;
    d.column = offset - lineStart + 1;
  }
}
