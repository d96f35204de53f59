/**
 * The apply engine's public contract: progress events (what the TUI and
 * `--progress ndjson` consume), options and the result of a run.
 */
import type { StepContext } from '../plan/types.js';

export type StepStatus = 'running' | 'ok' | 'skipped' | 'failed';

/** One step's progress. `running` may repeat while output arrives (with a newer `output_tail`). */
export interface StepEvent {
  event: 'step';
  id: string;
  title: string;
  context: StepContext;
  status: StepStatus;
  elapsed_ms: number;
  /** The last lines of the step's output (stdout and stderr interleaved), secrets redacted. */
  output_tail: string;
}

/** The last event of a run. `changed` counts the steps that ran and succeeded. */
export interface SummaryEvent {
  event: 'summary';
  changed: number;
  skipped: number;
  failed: number;
  elapsed_ms: number;
}

export type ApplyEvent = StepEvent | SummaryEvent;

/** What went wrong with a failed step, for the error report (secrets redacted). */
export interface StepFailure {
  id: string;
  title: string;
  context: StepContext;
  /** The full host command line, redacted. */
  command: string;
  /** null when the command was killed or could not be started. */
  exitCode: number | null;
  /** The last lines of stderr (or of the output when stderr is empty), redacted. */
  stderrTail: string;
  /** Why, in words, when there is no exit code: not installed, timed out, interrupted. */
  reason?: string | undefined;
}

export interface ApplyResult {
  summary: SummaryEvent;
  failures: StepFailure[];
  /** The run was stopped by its AbortSignal (Ctrl-C, SIGTERM). */
  interrupted: boolean;
  /** Steps that never started because a dependency failed or the run stopped. */
  notRun: string[];
}
