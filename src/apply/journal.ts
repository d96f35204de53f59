/**
 * The apply journal: append-only NDJSON, one record per finished step, each
 * written and fsync'ed before the next step is reported done, so that an apply
 * killed at any point (kill -9, power loss) resumes on re-run.
 *
 * - The first line is a header with a random salt. A record's `hash` is an
 *   HMAC of the step's command (context, argv, pipe, stdin, env) under that
 *   salt: a changed config changes the hash and the step runs again, and the
 *   journal holds no value from which a secret could be guessed.
 * - A torn last line (the process died mid-write) is ignored on read, and the
 *   next append starts on a fresh line.
 * - Nothing from a step's output is stored; titles are redacted.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Step } from '../plan/types.js';
import { redact } from '../plan/shell.js';

export const JOURNAL_VERSION = 1;

export interface JournalHeader {
  slipway_journal: number;
  salt: string;
  created: string;
}

export interface JournalRecord {
  id: string;
  hash: string;
  status: 'ok' | 'skipped' | 'failed';
  elapsed_ms: number;
  at: string;
  title?: string | undefined;
}

export interface JournalReadResult {
  header?: JournalHeader | undefined;
  records: JournalRecord[];
  /** Lines that could not be read (a torn last line after a crash). */
  ignored: number;
  /** The file does not end with a newline (its last write was cut short). */
  torn: boolean;
}

/** Parse journal text; unreadable lines are counted and skipped. Pure. */
export function parseJournal(text: string): JournalReadResult {
  const out: JournalReadResult = {
    records: [],
    ignored: 0,
    torn: text !== '' && !text.endsWith('\n'),
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      out.ignored++;
      continue;
    }
    if (isHeader(v)) {
      // Records are only meaningful under the first header's salt.
      out.header ??= v;
    } else if (isRecord(v)) out.records.push(v);
    else out.ignored++;
  }
  return out;
}

function isHeader(v: unknown): v is JournalHeader {
  const o = v as Partial<JournalHeader> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.slipway_journal === 'number' &&
    typeof o.salt === 'string' &&
    o.salt.length >= 16
  );
}

function isRecord(v: unknown): v is JournalRecord {
  const o = v as Partial<JournalRecord> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.id === 'string' &&
    typeof o.hash === 'string' &&
    (o.status === 'ok' || o.status === 'skipped' || o.status === 'failed')
  );
}

/** What identifies "the same step with the same command": a changed config re-runs it. */
export function stepFingerprint(step: Step): string {
  return JSON.stringify({
    context: step.context,
    argv: step.argv,
    pipeTo: step.pipeTo ?? null,
    stdin: step.stdin ?? null,
    env: step.env ?? null,
  });
}

export function stepHash(step: Step, salt: string): string {
  return createHmac('sha256', salt).update(stepFingerprint(step)).digest('hex');
}

/** Journal operations the executor needs; tests may pass an in-memory one. */
export interface JournalStore {
  /** The step finished ok (or was found done) earlier with this very command. */
  isDone(step: Step): boolean;
  append(step: Step, status: JournalRecord['status'], elapsedMs: number): void;
  close(): void;
}

/** A journal file. Opening it reads what is there and prepares it for appends. */
export class FileJournal implements JournalStore {
  private fd: number | undefined;
  private readonly salt: string;
  private readonly done = new Map<string, string>();
  readonly read: JournalReadResult;

  constructor(readonly path: string) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.read = parseJournal(text);
    // Mode 0600: titles name users and paths of the machine.
    this.fd = openSync(path, 'a', 0o600);
    if (this.read.torn) this.write('\n');
    if (this.read.header) this.salt = this.read.header.salt;
    else {
      this.salt = randomBytes(16).toString('hex');
      const header: JournalHeader = {
        slipway_journal: JOURNAL_VERSION,
        salt: this.salt,
        created: new Date().toISOString(),
      };
      // Not fsync'ed on its own: the first record's fsync makes it durable with
      // that record, and a header lost before any record was written loses
      // nothing (a re-run writes a new one). One fsync fewer (1-11 ms measured on
      // this VM's ext4) between the safety check and the first step.
      this.write(JSON.stringify(header) + '\n', false);
    }
    for (const r of this.read.records) {
      if (r.status === 'failed') {
        if (this.done.get(r.id) === r.hash) this.done.delete(r.id);
      } else this.done.set(r.id, r.hash);
    }
  }

  isDone(step: Step): boolean {
    return this.done.get(step.id) === stepHash(step, this.salt);
  }

  append(step: Step, status: JournalRecord['status'], elapsedMs: number): void {
    const hash = stepHash(step, this.salt);
    const record: JournalRecord = {
      id: step.id,
      hash,
      status,
      elapsed_ms: Math.round(elapsedMs),
      at: new Date().toISOString(),
      title: redact(step.title, step.secrets),
    };
    this.write(JSON.stringify(record) + '\n');
    if (status === 'failed') this.done.delete(step.id);
    else this.done.set(step.id, hash);
  }

  private write(text: string, sync = true): void {
    if (this.fd === undefined) throw new Error('apply bug: journal written after close');
    writeSync(this.fd, text);
    if (sync) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A journal that keeps nothing (dry runs) or lives in memory (tests). */
export class MemoryJournal implements JournalStore {
  readonly records: JournalRecord[] = [];
  private readonly done = new Map<string, string>();
  constructor(private readonly salt = 'memory-journal-salt') {}
  isDone(step: Step): boolean {
    return this.done.get(step.id) === stepHash(step, this.salt);
  }
  append(step: Step, status: JournalRecord['status'], elapsedMs: number): void {
    const hash = stepHash(step, this.salt);
    this.records.push({
      id: step.id,
      hash,
      status,
      elapsed_ms: Math.round(elapsedMs),
      at: new Date().toISOString(),
      title: redact(step.title, step.secrets),
    });
    if (status === 'failed') this.done.delete(step.id);
    else this.done.set(step.id, hash);
  }
  close(): void {}
}

export { defaultJournalPath } from './journal-path.js';

/** The journal as it is on disk, for dry runs and pre-checks: reads, never writes. */
export class ReadOnlyJournal implements JournalStore {
  private readonly done = new Map<string, string>();
  private readonly salt: string | undefined;
  constructor(path: string) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const read = parseJournal(text);
    this.salt = read.header?.salt;
    for (const r of read.records)
      if (r.status === 'failed') {
        if (this.done.get(r.id) === r.hash) this.done.delete(r.id);
      } else this.done.set(r.id, r.hash);
  }
  isDone(step: Step): boolean {
    return this.salt !== undefined && this.done.get(step.id) === stepHash(step, this.salt);
  }
  append(): void {}
  close(): void {}
}
