/**
 * Reading a config: JSON text → parsed UnifiedConfig or diagnostics with JSON
 * paths (and line/column where the text tells it).
 */
import type { z } from 'zod';
import { UnifiedConfig } from './config.js';
import { type Diagnostic, type PathSegment, didYouMean, formatPath } from './diagnostics.js';
import { UNKNOWN_KEYS_MARKER } from './strict.js';
import { attachLocations } from './locate.js';
import { readConfigQuickly, type ParseResult } from './read.js';

export { parseJsonText, readConfigQuickly, type ParseResult } from './read.js';

/** Validate an already-decoded JSON value against the schema. */
export function parseConfigValue(value: unknown, text?: string): ParseResult {
  const result = UnifiedConfig.safeParse(value);
  if (result.success) return { ok: true, config: result.data, diagnostics: [] };
  const diagnostics = issuesToDiagnostics(result.error.issues, value);
  if (text !== undefined) attachLocations(diagnostics, text);
  return { ok: false, diagnostics };
}

/**
 * Read a config from JSON text: syntax, then schema. A valid document is read
 * by the generated reader (see read.ts); whatever it does not accept goes
 * through zod, which reports the problems.
 */
export function parseConfigText(text: string): ParseResult {
  const quick = readConfigQuickly(text);
  return quick.parsed ?? parseConfigValue(quick.value, text);
}

function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string')
    return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function issuesToDiagnostics(issues: readonly z.core.$ZodIssue[], root: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const push = (d: Diagnostic) => {
    const key = `${d.path}\u0000${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  for (const issue of flattenUnions(issues, root)) {
    const path = issue.path as PathSegment[];
    if (issue.code === 'unrecognized_keys') {
      const allowed = issue.message.startsWith(UNKNOWN_KEYS_MARKER)
        ? (JSON.parse(issue.message.slice(UNKNOWN_KEYS_MARKER.length)) as string[])
        : [];
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, allowed);
        push({
          severity: 'error',
          path: formatPath([...path, key]),
          message: `unknown key "${key}"`,
          hint: suggestion
            ? `did you mean "${suggestion}"? (rename the key)`
            : `remove it; keys allowed here: ${allowed.join(', ')}`,
        });
      }
      continue;
    }
    const here = valueAt(root, path);
    const p = formatPath(path);
    switch (issue.code) {
      case 'invalid_type': {
        if (here === undefined) {
          push({
            severity: 'error',
            path: p,
            message: `required ${String(path[path.length - 1] ?? 'value')} is missing`,
            hint: `add "${String(path[path.length - 1])}" (${issue.expected})`,
          });
        } else {
          push({
            severity: 'error',
            path: p,
            message: `expected ${issue.expected}, found ${describeType(here)}`,
            hint: `write a ${issue.expected} here`,
          });
        }
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map((v) => JSON.stringify(v));
        const suggestion =
          typeof here === 'string'
            ? didYouMean(
                here,
                issue.values.filter((v): v is string => typeof v === 'string'),
              )
            : undefined;
        push({
          severity: 'error',
          path: p,
          message: `${describeType(here)} is not one of ${values.join(', ')}`,
          hint: suggestion ? `did you mean "${suggestion}"?` : `use one of ${values.join(', ')}`,
        });
        break;
      }
      case 'too_small':
      case 'too_big': {
        push({
          severity: 'error',
          path: p,
          message: issue.message,
          hint:
            issue.code === 'too_small'
              ? `use a value of at least ${String(issue.minimum)}`
              : `use a value of at most ${String(issue.maximum)}`,
        });
        break;
      }
      default:
        push({
          severity: 'error',
          path: p,
          message: issue.message,
          hint: 'fix the value at this path',
        });
    }
  }
  return out;
}

/**
 * A union (`"filesystem"` | `{"volume": …}`, a device path | a selector…) reports
 * one `invalid_union` issue holding each branch's issues. Pick the branch that got
 * furthest for this input, so the message speaks of what the user meant.
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[], root: unknown): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'invalid_union' || !('errors' in issue) || issue.errors.length === 0) {
      out.push(issue);
      continue;
    }
    const here = valueAt(root, issue.path as PathSegment[]);
    const branches = issue.errors.map((branch) =>
      branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue),
    );
    // Prefer a branch whose issues are deeper than the union itself (it matched
    // the shape), then one that did not fail on the top-level type.
    const score = (b: z.core.$ZodIssue[]) => {
      let s = 0;
      for (const i of b) {
        if (i.path.length > issue.path.length) s += 10;
        if (i.code === 'invalid_type' && i.path.length === issue.path.length) s -= 5;
      }
      return s / Math.max(1, b.length);
    };
    const ranked = [...branches].sort((a, b) => score(b) - score(a));
    const best = ranked[0]!;
    if (score(best) <= 0) {
      // nothing matched the shape: one clear message listing the accepted forms
      out.push({
        code: 'custom',
        path: issue.path,
        input: here,
        message: `${describeType(here)} is not accepted here: ${unionForms(branches)}`,
      } as z.core.$ZodIssue);
    } else {
      out.push(...flattenUnions(best, root));
    }
  }
  return out;
}

function unionForms(branches: z.core.$ZodIssue[][]): string {
  const forms = new Set<string>();
  for (const b of branches) {
    for (const i of b) {
      if (i.code === 'invalid_value') for (const v of i.values) forms.add(JSON.stringify(v));
      else if (i.code === 'invalid_type')
        forms.add(`${/^[aeiou]/.test(i.expected) ? 'an' : 'a'} ${i.expected}`);
    }
  }
  return `expected ${[...forms].join(' or ')}`;
}

/** Give one diagnostic the line and column of its path (see `attachLocations` for many). */
export function attachLocation(d: Diagnostic, text: string): void {
  attachLocations([d], text);
}
