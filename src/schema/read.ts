/**
 * Reading a config without zod: JSON syntax (errors with line and column), then
 * the reader generated from the schemas (fast-parse.generated.ts), which
 * returns what zod would for a valid document. zod (parse.ts) is needed only
 * for what that reader leaves to it: a document with problems to report, or
 * an unusual one. Kept apart from parse.ts so that `slipway validate` and
 * `plan` load zod and build its schemas only then (src/validate/load.ts).
 */
import type { UnifiedConfig } from './config.js';
import type { Diagnostic } from './diagnostics.js';
import { fastParseConfig } from './fast-parse.generated.js';

export type ParseResult =
  | { ok: true; config: UnifiedConfig; diagnostics: Diagnostic[] }
  | { ok: false; config?: undefined; diagnostics: Diagnostic[] };

/**
 * JSON text → the parse result when it is settled without zod (a syntax error,
 * or a document the generated reader accepted), else the decoded value for
 * zod's `parseConfigValue`.
 */
export function readConfigQuickly(
  text: string,
): { parsed: ParseResult; value?: undefined } | { parsed?: undefined; value: unknown } {
  const json = parseJsonText(text);
  if (!json.ok) return { parsed: { ok: false, diagnostics: [json.diagnostic] } };
  const config = fastParseConfig(json.value);
  if (config) return { parsed: { ok: true, config, diagnostics: [] } };
  return { value: json.value };
}

/** Parse JSON text. Syntax errors carry line and column. */
export function parseJsonText(
  text: string,
): { ok: true; value: unknown } | { ok: false; diagnostic: Diagnostic } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const { line, column } = locateJsonError(text, msg);
    return {
      ok: false,
      diagnostic: {
        severity: 'error',
        path: '',
        message: `not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`,
        hint: `look at line ${line}, column ${column} (a missing comma, a trailing comma, or an unquoted key are the usual causes)`,
        line,
        column,
      },
    };
  }
}

function locateJsonError(text: string, message: string): { line: number; column: number } {
  // Node 20: "... in JSON at position 123" (sometimes with " (line 4 column 5)")
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  const offset = pos ? Number(pos[1]) : text.length;
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}
