/**
 * Running the commands of a snapshot run: local argv with execa, remote argv
 * over ssh (one shared connection per target: ControlMaster), and
 * `zfs send | ssh … zfs receive` as a two-process pipeline.
 */
import { openSync, closeSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { shQuote } from '../plan/shell.js';
import type { ResolvedTarget } from './targets.js';

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface PipeResult {
  ok: boolean;
  /** First line(s) of what failed, for the report. */
  error?: string | undefined;
}

const TAIL = 600;
export const tail = (s: string) => (s.length > TAIL ? `…${s.slice(-TAIL)}` : s).trim();

/** Run argv locally; never throws for a non-zero exit. */
export async function runLocal(
  argv: readonly string[],
  timeoutMs = 120_000,
): Promise<CommandResult> {
  const r = await execa(argv[0]!, argv.slice(1), {
    reject: false,
    stdin: 'ignore',
    timeout: timeoutMs,
  });
  return {
    exitCode: typeof r.exitCode === 'number' ? r.exitCode : 1,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? '') || (r.exitCode === undefined ? (r.shortMessage ?? '') : ''),
  };
}

export class SshError extends Error {
  constructor(
    message: string,
    readonly target: string,
  ) {
    super(message);
    this.name = 'SshError';
  }
}

export interface SshOptions {
  /** An ssh_config file (`ssh -F`), e.g. with the known hosts to trust. */
  configFile?: string | undefined;
  /** Seconds to wait for the TCP connection. */
  connectTimeout?: number | undefined;
}

/**
 * One target host: a master connection (one SSH handshake) that every command
 * of the run reuses through its control socket, closed with `ssh -O exit`.
 */
export class SshSession {
  private readonly dir: string;
  private readonly socket: string;
  private open_ = false;

  constructor(
    readonly target: ResolvedTarget,
    private readonly options: SshOptions = {},
  ) {
    // Short path: a control socket path must fit in sun_path (108 bytes).
    this.dir = mkdtempSync(join(tmpdir(), 'slipway-ssh-'));
    this.socket = join(this.dir, 'c');
  }

  /** ssh options shared by the master and every command. */
  baseArgs(): string[] {
    const t = this.target;
    return [
      ...(this.options.configFile ? ['-F', this.options.configFile] : []),
      '-o',
      'BatchMode=yes',
      '-o',
      `ConnectTimeout=${this.options.connectTimeout ?? 15}`,
      '-o',
      'ServerAliveInterval=30',
      '-o',
      `ControlPath=${this.socket}`,
      ...(t.port ? ['-p', String(t.port)] : []),
      ...(t.keyPath ? ['-i', t.keyPath, '-o', 'IdentitiesOnly=yes'] : []),
      ...(t.user ? ['-l', t.user] : []),
    ];
  }

  /** The host argv that runs `remote` on the target: each element quoted for the remote shell. */
  remoteArgv(remote: readonly string[]): string[] {
    return [
      'ssh',
      ...this.baseArgs(),
      '-o',
      'ControlMaster=no',
      this.target.host,
      '--',
      ...remote.map(shQuote),
    ];
  }

  /**
   * Start the master connection. Its stderr goes to a file, not a pipe: the
   * backgrounded master keeps the descriptor open for as long as it lives.
   */
  async open(): Promise<void> {
    const errFile = join(this.dir, 'master.err');
    const fd = openSync(errFile, 'w');
    const argv = [
      ...this.baseArgs(),
      '-o',
      'ControlMaster=yes',
      '-o',
      'ControlPersist=600',
      '-f',
      '-N',
      this.target.host,
    ];
    const code = await new Promise<number>((resolve) => {
      const child = spawn('ssh', argv, { stdio: ['ignore', 'ignore', fd] });
      child.on('error', () => resolve(127));
      child.on('exit', (c) => resolve(c ?? 1));
    });
    closeSync(fd);
    if (code !== 0) {
      const err = readFileSync(errFile, 'utf8').trim();
      throw new SshError(
        `cannot connect to ${this.target.host}${this.target.port ? ` port ${this.target.port}` : ''}: ${tail(err) || `ssh exited ${code}`}`,
        this.target.label,
      );
    }
    this.open_ = true;
  }

  /** Run argv on the target. Exit 255 is ssh's own failure. */
  async run(remote: readonly string[], timeoutMs = 120_000): Promise<CommandResult> {
    const argv = this.remoteArgv(remote);
    return runLocal(argv, timeoutMs);
  }

  /** Close the master connection and remove the control directory. */
  async close(): Promise<void> {
    if (this.open_) {
      await runLocal(['ssh', ...this.baseArgs(), '-O', 'exit', this.target.host], 15_000);
      this.open_ = false;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `send | receive` as two processes, the first's stdout feeding the second's stdin. */
export async function runPipeline(
  send: readonly string[],
  receive: readonly string[],
  timeoutMs = 24 * 3600_000,
): Promise<PipeResult> {
  const sender = execa(send[0]!, send.slice(1), {
    reject: false,
    stdin: 'ignore',
    timeout: timeoutMs,
  });
  const receiver = execa(receive[0]!, receive.slice(1), {
    reject: false,
    stdin: 'pipe',
    timeout: timeoutMs,
  });
  sender.stdout.pipe(receiver.stdin);
  // The receiver ending early closes the pipe; the sender then fails with EPIPE.
  receiver.stdin.on('error', () => undefined);
  const [s, r] = await Promise.all([sender, receiver]);
  const sOk = s.exitCode === 0;
  const rOk = r.exitCode === 0;
  if (sOk && rOk) return { ok: true };
  const parts: string[] = [];
  if (!rOk)
    parts.push(
      `receive: ${tail(String(r.stderr ?? '')) || r.shortMessage || `exit ${r.exitCode}`}`,
    );
  if (!sOk && (rOk || String(s.stderr ?? '').trim()))
    parts.push(`send: ${tail(String(s.stderr ?? '')) || s.shortMessage || `exit ${s.exitCode}`}`);
  return { ok: false, error: parts.join('; ') };
}
