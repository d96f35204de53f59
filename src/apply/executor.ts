/**
 * The executor: runs a plan's steps in dependency order, independent steps
 * concurrently (at most `jobs` at once). Before each step its probe decides
 * whether it is already done (then it is `skipped`); each finished step is
 * recorded in the journal before it is reported. On a failure nothing new is
 * scheduled and the running steps finish; on abort the running commands are
 * killed and nothing new starts.
 */
import type { Plan, Step } from '../plan/types.js';
import { displayCommand, hostArgv, redact, shJoin } from '../plan/shell.js';
import type { CommandRunner, RunRequest, RunResult } from './runner.js';
import { processRunner } from './runner.js';
import { MemoryJournal, type JournalStore } from './journal.js';
import { defaultJobs } from './jobs.js';
import { ProbeOracle, type Verdict } from './probes.js';
export { defaultJobs };
import type { ApplyEvent, ApplyResult, StepEvent, StepFailure, SummaryEvent } from './types.js';

export interface ApplyOptions {
  plan: Plan;
  runner?: CommandRunner | undefined;
  journal?: JournalStore | undefined;
  /** How many steps may run at once (default: the CPU count). */
  jobs?: number | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: ApplyEvent) => void) | undefined;
  /** Lines of output kept in `output_tail` (default 10). */
  tailLines?: number | undefined;
  /** Least time between two `running` events of one step that carry new output. */
  outputIntervalMs?: number | undefined;
  /** Probe oracle to use (tests); default: one over `runner`. */
  probes?: ProbeOracle | undefined;
  now?: (() => number) | undefined;
}

const TAIL_BYTES = 16 * 1024;

/** Keeps the last bytes of a stream of output and cuts it to whole last lines. */
export class OutputTail {
  private text = '';
  constructor(private readonly lines: number) {}
  push(chunk: string): void {
    this.text += chunk;
    if (this.text.length > TAIL_BYTES * 2) this.text = this.text.slice(-TAIL_BYTES);
  }
  get(secrets: readonly string[] | undefined): string {
    return tailLines(redact(this.text, secrets), this.lines);
  }
}

export function tailLines(text: string, n: number): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.slice(-n).join('\n');
}

type Outcome = 'ok' | 'skipped' | 'failed' | 'notrun';

/** Run a plan. Resolves when every step that could run has finished (never rejects for a failed step). */
export async function runApply(options: ApplyOptions): Promise<ApplyResult> {
  const { plan, signal } = options;
  const runner = options.runner ?? processRunner();
  const journal = options.journal ?? new MemoryJournal();
  const jobs = Math.max(1, Math.floor(options.jobs ?? defaultJobs()));
  const now = options.now ?? (() => performance.now());
  const nLines = options.tailLines ?? 10;
  const interval = options.outputIntervalMs ?? 250;
  const probes = options.probes ?? new ProbeOracle(runner, plan, journal, signal);
  const emit = (e: ApplyEvent) => options.onEvent?.(e);
  const started = now();
  probes.prefetch();

  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  for (const s of plan.steps)
    for (const d of s.dependsOn)
      if (!byId.has(d)) throw new Error(`apply bug: step ${s.id} depends on unknown step ${d}`);

  const state = new Map<string, Outcome | 'running'>();
  const failures: StepFailure[] = [];
  let stop = false;
  const counts = { ok: 0, skipped: 0, failed: 0 };
  const running = new Map<string, Promise<void>>();

  const event = (
    step: Step,
    status: StepEvent['status'],
    elapsed: number,
    tail: string,
  ): StepEvent => ({
    event: 'step',
    id: step.id,
    title: redact(step.title, step.secrets),
    context: step.context,
    status,
    elapsed_ms: Math.round(elapsed),
    output_tail: tail,
  });

  async function execute(step: Step): Promise<Outcome> {
    const t0 = now();
    const verdict = await probes.check(step);
    if (verdict.done) {
      if (!journal.isDone(step)) journal.append(step, 'skipped', now() - t0);
      emit(event(step, 'skipped', now() - t0, ''));
      return 'skipped';
    }
    if (signal?.aborted || stop) return 'notrun';
    // A thing that exists but differs: the fix's own title and commands.
    const title = verdict.fix ? verdict.fix.title : undefined;
    const ev = (status: StepEvent['status'], elapsed: number, tail: string) => {
      const e = event(step, status, elapsed, tail);
      return title ? { ...e, title: redact(title, step.secrets) } : e;
    };
    if (verdict.refuse !== undefined) {
      // Nothing runs: apply does not re-create things on its own.
      const reason = redact(verdict.refuse, step.secrets);
      journal.append(step, 'failed', now() - t0);
      failures.push({
        id: step.id,
        title: redact(step.title, step.secrets),
        context: step.context,
        command: `not run: ${displayCommand(step)}`,
        exitCode: null,
        stderrTail: '',
        reason,
      });
      emit(ev('failed', now() - t0, reason));
      return 'failed';
    }
    const commands: RunRequest[] = verdict.fix
      ? verdict.fix.argvs.map((argv) => ({ argv }))
      : [
          {
            argv: hostArgv(step),
            stdin: step.stdin,
            env: step.env,
            pipeTo: step.pipeTo,
          },
        ];
    const tail = new OutputTail(nLines);
    const stderr = new OutputTail(nLines);
    let lastEmit = 0;
    let pending: NodeJS.Timeout | undefined;
    const flush = () => {
      pending = undefined;
      lastEmit = now();
      emit(ev('running', now() - t0, tail.get(step.secrets)));
    };
    emit(ev('running', 0, ''));
    let result: RunResult = { exitCode: 0, stdout: '', stderr: '' };
    let ran: RunRequest = commands[0]!;
    for (const req of commands) {
      ran = req;
      try {
        result = await runner.run({
          ...req,
          timeoutMs: step.timeoutSeconds ? step.timeoutSeconds * 1000 : undefined,
          signal,
          onOutput: (chunk, stream) => {
            tail.push(chunk);
            if (stream === 'stderr') stderr.push(chunk);
            if (pending) return;
            const wait = Math.max(0, interval - (now() - lastEmit));
            pending = setTimeout(flush, wait);
          },
        });
      } catch (err) {
        result = { exitCode: null, stdout: '', stderr: (err as Error).message };
      }
      if (result.exitCode !== 0 || result.interrupted) break;
    }
    if (pending) clearTimeout(pending);
    const elapsed = now() - t0;
    if (!tail.get(undefined)) {
      tail.push(result.stdout);
      tail.push(result.stderr);
    }
    if (!stderr.get(undefined)) stderr.push(result.stderr);
    probes.invalidate(step);
    const ok =
      !result.interrupted &&
      result.exitCode !== null &&
      (result.exitCode === 0 ||
        (!verdict.fix && (step.okExitCodes ?? []).includes(result.exitCode)));
    if (ok) {
      journal.append(step, 'ok', elapsed);
      emit(ev('ok', elapsed, tail.get(step.secrets)));
      return 'ok';
    }
    const reason = result.interrupted
      ? 'interrupted'
      : result.timedOut
        ? `timed out after ${step.timeoutSeconds ?? '?'} s`
        : result.notFound
          ? `${ran.argv[0]} is not installed`
          : result.exitCode === null
            ? 'killed'
            : undefined;
    // An interrupted step is not journaled: it neither finished nor failed on its own.
    if (!result.interrupted) journal.append(step, 'failed', elapsed);
    const errTail = stderr.get(step.secrets) || tail.get(step.secrets);
    failures.push({
      id: step.id,
      title: redact(title ?? step.title, step.secrets),
      context: step.context,
      command: verdict.fix ? redact(shJoin(ran.argv), step.secrets) : displayCommand(step),
      exitCode: result.exitCode,
      stderrTail: errTail,
      reason,
    });
    emit(ev('failed', elapsed, tail.get(step.secrets) || (reason ?? '')));
    return 'failed';
  }

  const ready = (s: Step) =>
    !state.has(s.id) &&
    s.dependsOn.every((d) => {
      const st = state.get(d);
      return st === 'ok' || st === 'skipped';
    });

  for (;;) {
    if (!stop && !signal?.aborted) {
      for (const s of plan.steps) {
        if (running.size >= jobs) break;
        if (!ready(s)) continue;
        state.set(s.id, 'running');
        const p = execute(s)
          .catch((err: unknown): Outcome => {
            failures.push({
              id: s.id,
              title: redact(s.title, s.secrets),
              context: s.context,
              command: displayCommand(s),
              exitCode: null,
              stderrTail: '',
              reason: redact(String((err as Error)?.message ?? err), s.secrets),
            });
            emit(event(s, 'failed', 0, ''));
            return 'failed';
          })
          .then((o) => {
            state.set(s.id, o);
            if (o !== 'notrun') counts[o]++;
            if (o === 'failed') stop = true;
            running.delete(s.id);
          });
        running.set(s.id, p);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  const summary: SummaryEvent = {
    event: 'summary',
    changed: counts.ok,
    skipped: counts.skipped,
    failed: counts.failed,
    elapsed_ms: Math.round(now() - started),
  };
  emit(summary);
  return {
    summary,
    failures,
    interrupted: Boolean(signal?.aborted),
    notRun: plan.steps
      .filter((s) => !state.has(s.id) || state.get(s.id) === 'notrun')
      .map((s) => s.id),
  };
}

/**
 * The same run as an async iterable of events (for the TUI):
 * `for await (const e of applyPlan(opts)) …`; `result` resolves at the end.
 */
export function applyPlan(
  options: Omit<ApplyOptions, 'onEvent'>,
): AsyncIterable<ApplyEvent> & { result: Promise<ApplyResult> } {
  const queue: ApplyEvent[] = [];
  let wake: (() => void) | undefined;
  let done = false;
  const result = runApply({
    ...options,
    onEvent: (e) => {
      queue.push(e);
      wake?.();
    },
  }).finally(() => {
    done = true;
    wake?.();
  });
  return {
    result,
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        if (done) {
          await result;
          return;
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
}

/** What a dry run found for one step. */
export interface DryRunStep {
  step: Step;
  /** skip: the probe says it is already done; run: apply would run it (or fail it: `refuse`). */
  would: 'skip' | 'run';
  /** What would run: the step's command, or the fix of something that exists but differs. */
  command: string;
  /** The title of that fix (`zfs set` of what differs, a container `update`). */
  fix?: string | undefined;
  /** It exists but differs in a way apply does not change on its own: the step would fail with this. */
  refuse?: string | undefined;
}

/**
 * Dry run: answer every probe (probes only read: `zpool status`, `zfs get`,
 * `podman ps`, `getent passwd`, `sha256sum`, the plan's own check commands)
 * and run nothing. A step whose probe cannot be answered yet (its container
 * does not exist) would run.
 */
export async function dryRunPlan(
  plan: Plan,
  options: { runner?: CommandRunner; journal?: JournalStore; probe?: boolean } = {},
): Promise<DryRunStep[]> {
  const runner = options.runner ?? processRunner();
  const probes = new ProbeOracle(runner, plan, options.journal);
  if (options.probe !== false) probes.prefetch();
  const out: DryRunStep[] = [];
  for (const step of plan.steps) {
    const v: Verdict = options.probe === false ? { done: false } : await probes.check(step);
    if (v.done) out.push({ step, would: 'skip', command: displayCommand(step) });
    else if (v.refuse !== undefined)
      out.push({
        step,
        would: 'run',
        command: displayCommand(step),
        refuse: redact(v.refuse, step.secrets),
      });
    else if (v.fix)
      out.push({
        step,
        would: 'run',
        command: redact(v.fix.argvs.map((a) => shJoin(a)).join(' && '), step.secrets),
        fix: redact(v.fix.title, step.secrets),
      });
    else out.push({ step, would: 'run', command: displayCommand(step) });
  }
  return out;
}
