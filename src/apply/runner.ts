/**
 * Running one command: the only place apply spawns processes. Commands are argv
 * arrays (never a shell string); content goes on stdin; a `pipeTo` command reads
 * the first one's stdout (a two-process pipeline, no shell).
 */
import type { ResultPromise } from 'execa';

export interface RunRequest {
  argv: readonly string[];
  /** Fed on stdin; without it stdin is closed (/dev/null), so nothing waits on a terminal. */
  stdin?: string | undefined;
  env?: Record<string, string> | undefined;
  /** A second command, run on the host, that reads the first one's stdout. */
  pipeTo?: readonly string[] | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Called with output as it arrives (both streams). */
  onOutput?: ((chunk: string, stream: 'stdout' | 'stderr') => void) | undefined;
}

export interface RunResult {
  /** null when the command was killed or never started. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The program does not exist (exit code reported as 127). */
  notFound?: boolean | undefined;
  timedOut?: boolean | undefined;
  /** Stopped by the request's AbortSignal. */
  interrupted?: boolean | undefined;
}

/** Runs commands: the real one uses execa; tests pass a recording one. */
export interface CommandRunner {
  run(request: RunRequest): Promise<RunResult>;
}

const FORCE_KILL_MS = 3000;

interface ExecaOutcome {
  exitCode?: number | undefined;
  stdout?: unknown;
  stderr?: unknown;
  code?: string | undefined;
  timedOut?: boolean | undefined;
  isCanceled?: boolean | undefined;
  failed?: boolean | undefined;
  originalMessage?: string | undefined;
}

function outcome(r: ExecaOutcome, argv0: string): RunResult {
  const notFound = r.code === 'ENOENT';
  const stderr = notFound ? `${argv0}: command not found` : String(r.stderr ?? '');
  return {
    exitCode: notFound ? 127 : (r.exitCode ?? null),
    stdout: String(r.stdout ?? ''),
    stderr:
      stderr === '' && r.failed && r.exitCode === undefined && r.originalMessage
        ? r.originalMessage
        : stderr,
    notFound,
    timedOut: Boolean(r.timedOut),
    interrupted: Boolean(r.isCanceled),
  };
}

/** The real machine: execa, argv arrays, LC_ALL=C so that output parses the same everywhere. */
export function execaRunner(): CommandRunner {
  return {
    async run(req) {
      const { execa } = await import('execa');
      const [file, ...args] = req.argv;
      if (!file) throw new Error('apply bug: empty argv');
      const base = {
        reject: false,
        env: { LC_ALL: 'C', LANG: 'C', ...req.env },
        extendEnv: true,
        forceKillAfterDelay: FORCE_KILL_MS,
        ...(req.signal ? { cancelSignal: req.signal } : {}),
        ...(req.timeoutMs ? { timeout: req.timeoutMs } : {}),
        stripFinalNewline: false,
      } as const;
      const first = execa(file, args, {
        ...base,
        ...(req.stdin !== undefined ? { input: req.stdin } : { stdin: 'ignore' as const }),
      });
      listen(first, req, !req.pipeTo);
      if (!req.pipeTo) return outcome((await first) as ExecaOutcome, file);

      const [file2, ...args2] = req.pipeTo;
      if (!file2) throw new Error('apply bug: empty pipeTo');
      const second = execa(file2, args2, base);
      listen(second, req, true);
      const piped = first.pipe(second);
      const [a, b] = await Promise.all([first, second, piped.catch(() => undefined)]);
      const ra = outcome(a as ExecaOutcome, file);
      const rb = outcome(b as ExecaOutcome, file2);
      // The pipeline fails when either side fails; report the side that failed.
      const failedSide = ra.exitCode !== 0 ? ra : rb;
      return {
        ...failedSide,
        stdout: rb.stdout,
        stderr: [ra.stderr, rb.stderr].filter(Boolean).join(''),
        interrupted: ra.interrupted || rb.interrupted,
        timedOut: ra.timedOut || rb.timedOut,
      };
    },
  };
}

function listen(p: ResultPromise, req: RunRequest, stdoutToo: boolean): void {
  if (!req.onOutput) return;
  const cb = req.onOutput;
  if (stdoutToo) p.stdout?.on('data', (c: Buffer) => cb(c.toString('utf8'), 'stdout'));
  p.stderr?.on('data', (c: Buffer) => cb(c.toString('utf8'), 'stderr'));
}
