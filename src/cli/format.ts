import type { Diagnostic } from '../schema/index.js';

export interface Palette {
  error(s: string): string;
  warning(s: string): string;
  muted(s: string): string;
  accent(s: string): string;
  ok(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

/** Colours by role; plain when NO_COLOR is set or the stream is not a terminal. */
export function palette(stream: { isTTY?: boolean } | undefined): Palette {
  const plain = !stream?.isTTY || 'NO_COLOR' in process.env;
  if (plain) {
    const id = (s: string) => s;
    return { error: id, warning: id, muted: id, accent: id, ok: id };
  }
  return {
    error: wrap(31, 39),
    warning: wrap(33, 39),
    muted: wrap(2, 22),
    accent: wrap(36, 39),
    ok: wrap(32, 39),
  };
}

/** `FILE:LINE:COL: error: PATH: message` then an indented hint: greppable and editor-friendly. */
export function formatDiagnostic(d: Diagnostic, file: string, p: Palette): string {
  const loc = d.line !== undefined ? `${file}:${d.line}:${d.column ?? 1}` : file;
  const sev = d.severity === 'error' ? p.error('error') : p.warning('warning');
  const path = d.path ? `${p.accent(d.path)}: ` : '';
  let out = `${loc}: ${sev}: ${path}${d.message}\n`;
  if (d.hint) out += `  ${p.muted('hint:')} ${d.hint}\n`;
  return out;
}

export function summarize(diags: readonly Diagnostic[]): string {
  const e = diags.filter((d) => d.severity === 'error').length;
  const w = diags.length - e;
  return `${e} error${e === 1 ? '' : 's'}, ${w} warning${w === 1 ? '' : 's'}`;
}
