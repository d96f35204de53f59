/**
 * End the process with `code` once each stream has handed over everything
 * written to it: `write('')` calls back after all earlier writes, and a pipe
 * may still hold back part of what was printed, which process.exit would lose.
 */
export async function exitWhenWritten(
  streams: readonly NodeJS.WritableStream[],
  code: number,
  exit: (code: number) => void = (c) => process.exit(c),
): Promise<void> {
  // A stream that failed (EPIPE: the reader went away) calls back with its error: nothing more to wait for.
  await Promise.all(
    streams.map((s) => new Promise<void>((resolve) => s.write('', () => resolve()))),
  );
  exit(code);
}
