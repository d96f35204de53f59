/**
 * Typed errors of disk detection. A probe that fails, or prints something we
 * cannot read, is an error naming the command — never an empty list that would
 * read as "this machine has no disks".
 */

/** Output of a probe command that does not have the expected shape (thrown by the pure parsers). */
export class DiskParseError extends Error {
  constructor(
    /** What was being parsed, e.g. "lsblk JSON" or "diskinfo -cHp". */
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'DiskParseError';
  }
}

/** A probe command failed or its output could not be parsed. */
export class DiskProbeError extends Error {
  constructor(
    /** The argv that was run. */
    readonly argv: readonly string[],
    /** Its exit code (127 when it could not be started, null when it was killed). */
    readonly exitCode: number | null,
    /** The last lines of its standard error. */
    readonly stderrTail: string,
    /** What went wrong, in one line. */
    readonly reason: string,
  ) {
    super(
      `disk probe "${argv.join(' ')}" ${reason}` +
        (exitCode !== null && exitCode !== 0 ? ` (exit ${exitCode})` : '') +
        (stderrTail ? `: ${stderrTail}` : ''),
    );
    this.name = 'DiskProbeError';
  }
}

/** The last few non-empty lines of a command's stderr, on one line. */
export function stderrTail(stderr: string, lines = 3): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-lines)
    .join(' | ');
}
