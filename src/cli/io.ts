import { fstatSync, readFileSync, statSync, writeSync } from 'node:fs';
import { UserError } from './errors.js';

/**
 * Read FILE, or the command's standard input when FILE is `-` (`from.stdin` is
 * read only then: making the stream of a pipe loads net and stream).
 */
export async function readInput(
  file: string | undefined,
  command: string,
  from: { readonly stdin: NodeJS.ReadableStream },
): Promise<{ text: string; name: string }> {
  if (!file)
    throw new UserError(
      `"slipway ${command}" needs a config file`,
      `slipway ${command} FILE   (or - for standard input)`,
    );
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of from.stdin)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return { text: Buffer.concat(chunks).toString('utf8'), name: '<stdin>' };
  }
  try {
    // The bytes, then one decoding: readFileSync(file, 'utf8') decodes the same
    // way but touched ~190 more fresh pages for a 1 MB config (~3 ms here).
    return { text: readFileSync(file).toString('utf8'), name: file };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${file}: no such file`, 'check the path');
    if (code === 'EISDIR')
      throw new UserError(`${file} is a directory`, 'give the path of a JSON config file');
    if (code === 'EACCES') throw new UserError(`${file}: permission denied`);
    throw new UserError(`${file}: ${(err as Error).message}`);
  }
}

export interface Out {
  write(s: string): void;
}

/**
 * Write `pieces` to `out`, in order. Node's stream for a standard output
 * redirected to a file (or /dev/null) copies each string into a new Buffer
 * before its synchronous write: for the 7 MB of a 10,000-dataset `plan --json`
 * that copy cost more than writing. There the pieces go to fs.writeSync, which
 * encodes a string straight into the write; both are synchronous, so the bytes
 * and their order are the same. `out` may also be such a descriptor itself
 * (stdoutFileDescriptor: no stream made at all).
 */
export function writePieces(out: NodeJS.WritableStream | number, pieces: Iterable<string>): void {
  const fd = typeof out === 'number' ? out : fileDescriptor(out);
  if (fd !== undefined) for (const piece of pieces) writeSync(fd, piece);
  else if (typeof out !== 'number') for (const piece of pieces) out.write(piece);
}

/**
 * Standard output's descriptor (1) when it is a regular file or /dev/null, told
 * from the descriptor alone: writePieces writes there with fs.writeSync anyway,
 * and making process.stdout for it would load Node's stream modules (~3 ms on
 * Node 26). Anything else (a terminal, a pipe, another device) is left to the stream.
 */
export function stdoutFileDescriptor(): number | undefined {
  try {
    const st = fstatSync(1);
    if (st.isFile()) return 1;
    if (st.isCharacterDevice() && st.rdev === statSync('/dev/null').rdev) return 1;
  } catch {
    // no standard output, or no /dev/null: the stream decides
  }
  return undefined;
}

/** The descriptor of a stream that writes to a file or a device other than a terminal. */
function fileDescriptor(out: NodeJS.WritableStream): number | undefined {
  const { fd, isTTY } = out as { fd?: unknown; isTTY?: boolean };
  if (typeof fd !== 'number') return undefined;
  try {
    const st = fstatSync(fd);
    // the stream's own isTTY, not tty.isatty: node:tty loads net and stream
    return st.isFile() || (st.isCharacterDevice() && !isTTY) ? fd : undefined;
  } catch {
    return undefined;
  }
}
