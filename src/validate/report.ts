/**
 * Collecting diagnostics. Every check writes through a `Report` with the path as
 * segments (`['storage', 'pools', 0]`) and always with a hint that says what to do.
 */
import { formatPath, type Diagnostic, type PathSegment } from '../schema/diagnostics.js';
import type { NameProblem } from './names.js';

export type Path = readonly PathSegment[];

export class Report {
  readonly diagnostics: Diagnostic[] = [];

  error(path: Path, message: string, hint: string): void {
    this.diagnostics.push({ severity: 'error', path: formatPath(path), message, hint });
  }

  warning(path: Path, message: string, hint: string): void {
    this.diagnostics.push({ severity: 'warning', path: formatPath(path), message, hint });
  }
}

/** `"x"` for messages; long values are cut so a diagnostic stays one line. */
export function q(value: string): string {
  return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '…' : value);
}

const NO_DUPLICATES: ReadonlyMap<string, number[]> = new Map();

/** Items that occur more than once, by key: key → indexes (only keys seen twice or more). */
export function duplicates<T>(
  items: readonly T[],
  key: (item: T) => string | undefined,
): ReadonlyMap<string, number[]> {
  // Fewer than two: none, and no Map made (a nested config's lists are empty or
  // one item long, and each of 200 containers' configs asked for seven).
  if (items.length < 2) return NO_DUPLICATES;
  const seen = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    if (k === undefined) return;
    const list = seen.get(k);
    if (list) list.push(i);
    else seen.set(k, [i]);
  });
  for (const [k, list] of seen) if (list.length < 2) seen.delete(k);
  return seen;
}

/** Report the problems of one name at `path`; true when one of them is an error. */
export function reportNameProblems(
  ctx: { report: Report },
  path: Path,
  problems: readonly NameProblem[],
): boolean {
  for (const p of problems) ctx.report[p.severity](path, p.message, p.hint);
  return problems.some((p) => p.severity === 'error');
}
