import { readFileSync } from 'node:fs';
import { UserError } from './errors.js';

/** Read FILE, or standard input when FILE is `-`. */
export function readInput(
  file: string | undefined,
  command: string,
): { text: string; name: string } {
  if (!file)
    throw new UserError(
      `"slipway ${command}" needs a config file`,
      `slipway ${command} FILE   (or - for standard input)`,
    );
  try {
    if (file === '-') return { text: readFileSync(0, 'utf8'), name: '<stdin>' };
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
