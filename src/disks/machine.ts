import { readFileSync } from 'node:fs';
import { UserError } from '../cli/errors.js';
import type { Disk } from './types.js';

/** A recorded machine profile: the output of `slipway disks --json` (an array, or {"disks": [...]}). */
export function loadMachineProfile(file: string): Disk[] {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(
      `--machine ${file}: ${(err as Error).message}`,
      'give the output of "slipway disks --json"',
    );
  }
  const disks = Array.isArray(value) ? value : (value as { disks?: unknown })?.disks;
  if (!Array.isArray(disks))
    throw new UserError(
      `--machine ${file}: expected a list of disks`,
      'give the output of "slipway disks --json"',
    );
  return disks as Disk[];
}
