/**
 * The progress view's state, built from the apply engine's events (the same
 * records `slipway apply --progress ndjson` prints). Pure.
 */
import type { ApplyEvent, StepEvent, SummaryEvent } from '../../src/apply/types.js';
import { contextLabel } from '../../src/plan/shell.js';

export type { ApplyEvent, StepEvent, SummaryEvent };

export interface StepView {
  id: string;
  title: string;
  context: string;
  status: StepEvent['status'];
  elapsedMs: number;
  tail: string[];
  /** In a dry run: the command that would run. */
  command?: string | undefined;
  /** In a dry run: why the step would fail (it exists but differs in what apply does not change). */
  refuse?: string | undefined;
}

/** What went wrong, for the failure box: the step, its command and error, what to do next. */
export interface RunFailure {
  message: string;
  details: string[];
  hint?: string | undefined;
}

export interface ApplyRun {
  status: 'running' | 'failed' | 'done';
  startedAt: number;
  /** Steps in the order they first appeared. */
  order: string[];
  steps: Record<string, StepView>;
  /** Finished steps in the order they finished: what <Static> prints, append-only. */
  finished: string[];
  summary?: SummaryEvent | undefined;
  failure?: RunFailure | undefined;
  configPath?: string | undefined;
  journalPath?: string | undefined;
}

export function newRun(startedAt: number, configPath?: string, journalPath?: string): ApplyRun {
  return {
    status: 'running',
    startedAt,
    order: [],
    steps: {},
    finished: [],
    configPath,
    journalPath,
  };
}

export const TAIL_LINES = 5;

export function tailOf(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-TAIL_LINES);
}

/** Fold one event into the run. A summary ends the run unless a failure was reported. */
export function applyEvent(run: ApplyRun, e: ApplyEvent): ApplyRun {
  if (e.event === 'summary')
    return {
      ...run,
      summary: e,
      status:
        e.failed > 0 || run.failure ? 'failed' : run.status === 'failed' ? 'failed' : run.status,
    };
  const prev = run.steps[e.id];
  const step: StepView = {
    id: e.id,
    title: e.title,
    context: contextLabel(e.context),
    status: e.status,
    elapsedMs: e.elapsed_ms,
    tail: e.output_tail ? tailOf(e.output_tail) : (prev?.tail ?? []),
    command: prev?.command,
  };
  const isFinal = e.status !== 'running';
  return {
    ...run,
    order: prev ? run.order : [...run.order, e.id],
    steps: { ...run.steps, [e.id]: step },
    finished: isFinal && !run.finished.includes(e.id) ? [...run.finished, e.id] : run.finished,
  };
}

/** The run is over: done, or failed with what to tell the user. */
export function endRun(run: ApplyRun, failure?: RunFailure): ApplyRun {
  if (failure) return { ...run, status: 'failed', failure };
  return { ...run, status: run.summary && run.summary.failed > 0 ? 'failed' : 'done' };
}

/**
 * A dry run's row, shown as a finished step: would run (ok), already done
 * (skipped), or would fail (failed, with the reason).
 */
export function dryRunStep(
  run: ApplyRun,
  row: {
    id: string;
    title: string;
    context: string;
    would: 'run' | 'skip';
    command: string;
    refuse?: string | undefined;
  },
): ApplyRun {
  const step: StepView = {
    id: row.id,
    title: row.title,
    context: row.context,
    status: row.refuse !== undefined ? 'failed' : row.would === 'run' ? 'ok' : 'skipped',
    elapsedMs: 0,
    tail: [],
    command: row.command,
    refuse: row.refuse,
  };
  return {
    ...run,
    order: [...run.order, row.id],
    steps: { ...run.steps, [row.id]: step },
    finished: [...run.finished, row.id],
  };
}
