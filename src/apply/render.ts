/**
 * Headless progress output: NDJSON (one event per line, the machine contract)
 * or a line-based human view. Both only format events; they run nothing.
 */
import { contextLabel } from '../plan/shell.js';
import type { ApplyEvent, ApplyResult, StepFailure } from './types.js';

export interface Out {
  write(s: string): unknown;
}

export interface Palette {
  muted(s: string): string;
  accent(s: string): string;
  error(s: string): string;
  warning(s: string): string;
  ok?(s: string): string;
}

export function ndjsonRenderer(out: Out): (e: ApplyEvent) => void {
  return (e) => void out.write(JSON.stringify(e) + '\n');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** One line per started and finished step; the output tail of failed steps. */
export function ttyRenderer(out: Out, p: Palette, total: number): (e: ApplyEvent) => void {
  const started = new Set<string>();
  let finished = 0;
  const width = String(total).length;
  return (e) => {
    if (e.event === 'summary') {
      const parts = [
        `${e.changed} changed`,
        `${e.skipped} already done`,
        e.failed ? p.error(`${e.failed} failed`) : '0 failed',
      ];
      out.write(`\n${parts.join(', ')} in ${seconds(e.elapsed_ms)}\n`);
      return;
    }
    const ctx = e.context.kind === 'host' ? '' : ` ${p.muted(`[${contextLabel(e.context)}]`)}`;
    if (e.status === 'running') {
      if (started.has(e.id)) return;
      started.add(e.id);
      out.write(`${p.muted('  …')} ${e.title}${ctx}\n`);
      return;
    }
    finished++;
    const n = `[${String(finished).padStart(width)}/${total}]`;
    const mark =
      e.status === 'ok'
        ? (p.ok ?? p.accent)('✓')
        : e.status === 'skipped'
          ? p.muted('=')
          : p.error('✗');
    const note = e.status === 'skipped' ? p.muted(' (already done)') : '';
    out.write(`${p.muted(n)} ${mark} ${e.title}${ctx}${note} ${p.muted(seconds(e.elapsed_ms))}\n`);
    if (e.status === 'failed' && e.output_tail)
      out.write(
        e.output_tail
          .split('\n')
          .map((l) => `      ${p.muted('│')} ${l}\n`)
          .join(''),
      );
  };
}

/** The report after a failed or interrupted run: what failed, how, and how to resume. */
export function failureReport(
  result: ApplyResult,
  p: Palette,
  resumeCommand: string,
  journalPath: string | undefined,
): string {
  let s = '';
  for (const f of result.failures) s += describeFailure(f, p);
  if (result.interrupted)
    s += `${p.warning('interrupted')}: stopped before finishing; ${result.notRun.length} step${result.notRun.length === 1 ? '' : 's'} not run\n`;
  else if (result.notRun.length)
    s += `${result.notRun.length} step${result.notRun.length === 1 ? '' : 's'} not run because of the failure\n`;
  s += `to resume: ${result.interrupted ? '' : 'fix the cause above, then '}run the same command again:\n  ${resumeCommand}\n`;
  s += `finished steps are found done and skipped${journalPath ? ` (journal: ${journalPath})` : ''}\n`;
  return s;
}

export function describeFailure(f: StepFailure, p: Palette): string {
  const where = f.context.kind === 'host' ? '' : ` in ${contextLabel(f.context)}`;
  let s = `${p.error('failed')}: ${f.title}${where} (step ${f.id})\n`;
  s += `  command: ${f.command}\n`;
  s += `  ${f.exitCode === null ? `no exit code: ${f.reason ?? 'killed'}` : `exit code ${f.exitCode}${f.reason ? ` (${f.reason})` : ''}`}\n`;
  if (f.stderrTail)
    s += `  last lines of stderr:\n${f.stderrTail
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`;
  return s;
}
