/**
 * Running a command in this process: the standard streams as a CommandContext and
 * what happens after main() returns. Shared by the ES-module program (bin.ts) and
 * the CommonJS core of `validate` and `plan` (core.ts).
 */
import type { CommandContext } from './main.js';
import { hostPlatform, loadMachine } from './host.js';
import { exitWhenWritten } from './exit.js';
import { stdoutFileDescriptor } from './io.js';

/**
 * A standard stream, made when a command first uses it (`made`: whether it
 * was). process.stdin and process.stderr are getters that build a stream on
 * first access: for a pipe that loads net, stream and tty (~5 ms each here),
 * which `slipway plan --json` never writes to or reads from.
 */
type Lazy<T> = (() => T) & { readonly made: T | undefined };

function lazy<T extends NodeJS.WritableStream | NodeJS.ReadableStream>(make: () => T): Lazy<T> {
  let made: T | undefined;
  const get = () => (made ??= make());
  return Object.defineProperty(get, 'made', { get: () => made }) as Lazy<T>;
}

// `slipway plan … | head` closes the pipe early: that is not an error.
function quietOnEpipe<T extends NodeJS.WritableStream>(stream: T): T {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  return stream;
}

const stdout = lazy(() => quietOnEpipe(process.stdout));
const stderr = lazy(() => quietOnEpipe(process.stderr));
const stdin = lazy(() => process.stdin);
const ctx: CommandContext = {
  get stdout() {
    return stdout();
  },
  get stderr() {
    return stderr();
  },
  get stdin() {
    return stdin();
  },
  stdoutFile: () => (stdout.made ? undefined : stdoutFileDescriptor()),
  hostPlatform,
  loadMachine,
};

/** Run `main` on this process's arguments and streams; its result is the exit code. */
export async function runMain(
  main: (argv: string[], ctx: CommandContext) => Promise<number>,
): Promise<void> {
  const argv = process.argv.slice(2);
  const code = await main(argv, ctx);
  process.exitCode = code;
  // `slipway apply` returns only once every command it started has ended and its
  // journal is closed: all that is left is tearing down the heap, page by page,
  // which process.exit skips. From the 'exit' event to the parent seeing the end,
  // on a loaded 2-core VM: 60-97 ms after a fresh e2e apply, 36-60 ms this way;
  // 32 -> 20 ms (medians) after a no-op re-run.
  if (argv[0] === 'apply') await exitWhenWritten([stdout(), stderr()], code);
  // `validate` and `plan` have nothing running once main returns: the same, on
  // the streams they wrote to (making one they did not would load tty or net).
  // After the 7 MB of a 10,000-dataset `plan --json`, V8 freed its heap in ~60
  // munmap calls, 18 ms from the last write to exit_group; 4 ms this way (strace).
  else if (argv[0] === 'validate' || argv[0] === 'plan') {
    const written = [stdout.made, stderr.made].filter((s) => s !== undefined);
    await exitWhenWritten(written, code);
  }
}
