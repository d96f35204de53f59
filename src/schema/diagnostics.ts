/** A problem found in a config, with the JSON path it is at and what to do. */
export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Written like `storage.pools[0].topology.data[0]`; empty for the document itself. */
  path: string;
  message: string;
  hint?: string | undefined;
  /** 1-based line/column when known (JSON syntax errors, and best effort for others). */
  line?: number | undefined;
  column?: number | undefined;
}

export type PathSegment = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['storage','pools',0,'topology']` → `storage.pools[0].topology` */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  // indexed: for-of made an iterator result per segment (run for every finding)
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENT.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Join a base path and a relative one (used for nested configs). */
export function joinPath(base: string, rel: string): string {
  if (!base) return rel;
  if (!rel) return base;
  return rel.startsWith('[') ? base + rel : `${base}.${rel}`;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error');
}

/** Damerau-free Levenshtein distance, small and allocation-light. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (!m) return n;
  if (!n) return m;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n]!;
}

/**
 * The closest candidate to `word`, if it is close enough to be a plausible typo
 * (or one is a prefix/abbreviation of the other, as `dedup` of `deduplication`).
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let score = editDistance(w, cl);
    const limit = Math.max(2, Math.floor(Math.max(w.length, cl.length) / 3));
    if (score > limit) {
      // abbreviations and long forms: dedup ↔ deduplication, compress ↔ compression
      if (cl.length >= 4 && (w.startsWith(cl) || cl.startsWith(w)) && w.length >= 4) score = limit;
      else continue;
    }
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}
