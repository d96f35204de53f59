import { readFileSync } from 'node:fs';
import { UserError } from './errors.js';

/** Read FILE, or `stdin` (the command's standard input) when FILE is `-`. */
export async function readInput(
  file: string | undefined,
  command: string,
  stdin: NodeJS.ReadableStream,
): Promise<{ text: string; name: string }> {
  if (!file)
    throw new UserError(
      `"slipway ${command}" needs a config file`,
      `slipway ${command} FILE   (or - for standard input)`,
    );
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    return { text: Buffer.concat(chunks).toString('utf8'), name: '<stdin>' };
  }
  try {
    return { text: readFileSync(file, 'utf8'), name: file };
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
