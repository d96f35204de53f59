/**
 * One snapshot run at a time: a lock file created with O_EXCL holding the
 * owner's pid. A lock whose pid no longer runs is stale and taken over.
 */
import { openSync, writeSync, closeSync, readFileSync, statSync, unlinkSync } from 'node:fs';

export const DEFAULT_LOCK = '/run/slipway-snapshot.lock';

export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`another snapshot run (pid ${pid}) holds ${path}`);
    this.name = 'LockBusyError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o644);
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function holder(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function youngerThan(path: string, ms: number): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < ms;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Take the lock, waiting up to `waitSeconds` for a live holder to finish.
 * Returns the release function; throws LockBusyError when still held.
 */
export async function acquireLock(path: string, waitSeconds = 0): Promise<() => void> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    if (tryCreate(path)) {
      return () => {
        if (holder(path) === process.pid) unlinkSync(path);
      };
    }
    const pid = holder(path);
    if (pid === undefined && youngerThan(path, 5000)) {
      // just created by another run that has not written its pid yet
      if (Date.now() >= deadline) throw new LockBusyError(path, 0);
      await sleep(200);
      continue;
    }
    if (pid === undefined || !alive(pid)) {
      // stale (or half-written by a process that died): take it over
      try {
        if (holder(path) === pid) unlinkSync(path);
      } catch {
        /* someone else removed it first */
      }
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(path, pid);
    await sleep(500);
  }
}
