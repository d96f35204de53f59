/** The human rendering of a snapshot run's report. Pure. */
import type { RunReport } from './run.js';

export interface Palette {
  ok(s: string): string;
  error(s: string): string;
  warning(s: string): string;
  muted(s: string): string;
  accent(s: string): string;
}

export function renderRunReport(r: RunReport, p: Palette): string {
  const lines: string[] = [];
  const would = r.dryRun ? 'would be ' : '';
  lines.push(`snapshot run at ${r.now}${r.dryRun ? ' (dry run: nothing changed)' : ''}`);
  for (const s of r.snapshots) {
    const head = `  ${p.accent(s.policy)} ${s.dataset}: `;
    switch (s.status) {
      case 'created':
        lines.push(head + `${p.ok('created')} ${s.snapshot}`);
        break;
      case 'would-create':
        lines.push(head + `would create ${s.snapshot}`);
        break;
      case 'not-due':
        lines.push(head + p.muted(`not due${s.time ? ` (taken for ${s.time})` : ''}`));
        break;
      case 'failed':
        lines.push(head + `${p.error('failed')}: ${s.error ?? ''}`);
        break;
    }
    for (const x of s.pruned)
      lines.push(`    ${would}pruned ${x.snapshot} ${p.muted(`(${x.reason})`)}`);
    for (const x of s.kept)
      if (x.reason !== 'within retention')
        lines.push(`    kept ${x.snapshot} ${p.muted(`(${x.reason})`)}`);
    if (s.pruneHeld) lines.push(`    ${p.warning('pruning held')}: ${s.pruneHeld}`);
    for (const e of s.pruneErrors) lines.push(`    ${p.error('prune failed')}: ${e}`);
  }
  for (const t of r.replications) {
    const head = `  ${t.source} → ${p.accent(t.target)}: `;
    const status =
      t.status === 'ok'
        ? p.ok('ok')
        : t.status === 'not-due'
          ? p.muted('not due')
          : t.status === 'diverged'
            ? p.warning('diverged, not overwritten')
            : p.error(t.status);
    lines.push(head + status + (t.error ? `: ${t.error}` : ''));
    for (const d of t.datasets) {
      const plan = d.planned ? 'would ' : '';
      let what: string;
      switch (d.action) {
        case 'full':
          what = `${plan}send ${d.to} in full`;
          break;
        case 'incremental':
          what = `${plan}send ${d.from} → ${d.to}`;
          break;
        case 'rollback':
          what = `${plan}roll back to ${d.to}`;
          break;
        case 'up-to-date':
          what = p.muted(`up to date at ${d.to}`);
          break;
        case 'nothing-to-send':
          what = p.muted(d.error ?? 'nothing to send');
          break;
        case 'diverged':
          what = `${p.warning('diverged')}: ${d.error ?? ''}`;
          break;
        case 'failed':
          what = `${p.error('failed')}: ${d.error ?? ''}`;
          break;
      }
      lines.push(`    ${d.source} → ${d.target}: ${what}`);
    }
    for (const n of t.notes) lines.push(`    ${p.muted(`note: ${n}`)}`);
  }
  if (r.snapshots.length === 0 && r.replications.length === 0)
    lines.push('  no scheduled snapshots or replications in this config');
  lines.push(r.ok ? p.ok('done') : p.error('some work failed (see above)'));
  return lines.join('\n') + '\n';
}
