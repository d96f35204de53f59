/**
 * Running one command: the only place apply spawns processes. Commands are argv
 * arrays (never a shell string); content goes on stdin; a `pipeTo` command reads
 * the first one's stdout (a two-process pipeline, no shell).
 *
 * Built on node:child_process directly: apply runs dozens of short commands
 * (probes, zfs, podman), and a process-spawning library cost more CPU to load
 * and per command than the commands' own start-up (measured: 8 probe commands,
 * 136 ms of CPU with execa against 55 ms here).
 */
import { spawn, type ChildProcess } from 'node:child_process';

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

/** Runs commands: the real one spawns processes; tests pass a recording one. */
export interface CommandRunner {
  run(request: RunRequest): Promise<RunResult>;
}

/** After SIGTERM (timeout, abort), SIGKILL this much later if the command is still there. */
const FORCE_KILL_MS = 3000;

interface Ended {
  code: number | null;
  error?: NodeJS.ErrnoException | undefined;
  stdout: string;
  stderr: string;
}

/** Wait for a process to end and its output streams to close; collect what it printed. */
function collect(
  child: ChildProcess,
  onOutput: RunRequest['onOutput'],
  stdoutToCaller: boolean,
): Promise<Ended> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let error: NodeJS.ErrnoException | undefined;
    if (stdoutToCaller && child.stdout) {
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (c: string) => {
        stdout += c;
        onOutput?.(c, 'stdout');
      });
    }
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (c: string) => {
      stderr += c;
      onOutput?.(c, 'stderr');
    });
    let done = false;
    const finish = (code: number | null) => {
      if (done) return;
      done = true;
      resolve({ code, error, stdout, stderr });
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      error ??= err;
      // It never started: there is no process to wait for.
      if (child.pid === undefined) finish(null);
    });
    child.on('close', (code) => finish(code));
  });
}

function outcome(e: Ended, argv0: string): RunResult {
  const notFound = e.error?.code === 'ENOENT';
  return {
    exitCode: notFound ? 127 : e.code,
    stdout: e.stdout,
    stderr: notFound ? `${argv0}: command not found` : e.stderr || (e.error?.message ?? ''),
    notFound,
  };
}

/** Commands of any processRunner that have started and not yet ended (see commandsEnded). */
let running = 0;
const onIdle: (() => void)[] = [];

/**
 * Resolves once no command started by a processRunner of this process is
 * still running (at once when none is): what apply waits for before it
 * returns, so that its process can end without waiting for anything else.
 */
export function commandsEnded(): Promise<void> {
  if (running === 0) return Promise.resolve();
  return new Promise((resolve) => onIdle.push(resolve));
}

/** The real machine: argv arrays, LC_ALL=C so that output parses the same everywhere. */
export function processRunner(): CommandRunner {
  return {
    async run(req) {
      const [file, ...args] = req.argv;
      if (!file) throw new Error('apply bug: empty argv');
      if (req.pipeTo && !req.pipeTo[0]) throw new Error('apply bug: empty pipeTo');
      if (req.signal?.aborted) return { exitCode: null, stdout: '', stderr: '', interrupted: true };
      const env = { ...process.env, LC_ALL: 'C', LANG: 'C', ...req.env };
      const procs: ChildProcess[] = [];
      let timedOut = false;
      let interrupted = false;
      let killTimer: NodeJS.Timeout | undefined;
      const stop = () => {
        const alive = () => procs.filter((p) => p.exitCode === null && p.signalCode === null);
        for (const p of alive()) p.kill('SIGTERM');
        killTimer ??= setTimeout(() => {
          for (const p of alive()) p.kill('SIGKILL');
        }, FORCE_KILL_MS);
      };
      const onAbort = () => {
        interrupted = true;
        stop();
      };
      req.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = req.timeoutMs
        ? setTimeout(() => {
            timedOut = true;
            stop();
          }, req.timeoutMs)
        : undefined;
      running++;
      try {
        const first = spawn(file, args, {
          env,
          stdio: [req.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
        });
        procs.push(first);
        const firstEnded = collect(first, req.onOutput, !req.pipeTo);
        if (req.stdin !== undefined && first.stdin) {
          // A command that exits without reading all of it is not an error here.
          first.stdin.on('error', () => undefined);
          first.stdin.end(req.stdin);
        }
        if (!req.pipeTo) {
          const r = outcome(await firstEnded, file);
          return { ...r, timedOut, interrupted };
        }
        const [file2, ...args2] = req.pipeTo;
        const second = spawn(file2!, args2, { env, stdio: ['pipe', 'pipe', 'pipe'] });
        procs.push(second);
        second.stdin?.on('error', () => undefined);
        first.stdout?.on('error', () => undefined);
        if (second.stdin) first.stdout?.pipe(second.stdin);
        const [a, b] = await Promise.all([firstEnded, collect(second, req.onOutput, true)]);
        const ra = outcome(a, file);
        const rb = outcome(b, file2!);
        // The pipeline fails when either side fails; report the side that failed.
        const failedSide = ra.exitCode !== 0 ? ra : rb;
        return {
          ...failedSide,
          stdout: rb.stdout,
          stderr: [ra.stderr, rb.stderr].filter(Boolean).join(''),
          interrupted,
          timedOut,
        };
      } finally {
        if (timer) clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        req.signal?.removeEventListener('abort', onAbort);
        if (--running === 0) for (const resolve of onIdle.splice(0)) resolve();
      }
    },
  };
}
