/**
 * What a command asks of the machine it runs on (CommandContext's hostPlatform
 * and loadMachine): shared by the ES-module program (bin.ts) and the CommonJS
 * core of `validate` and `plan` (core.ts).
 */
import type { Platform } from '../plan/types.js';
import type { Disk } from '../disks/types.js';

export function hostPlatform(): Platform {
  switch (process.platform) {
    case 'sunos':
      return 'illumos';
    case 'freebsd':
      return 'freebsd';
    default:
      return 'linux';
  }
}

export async function loadMachine(file: string): Promise<Disk[]> {
  // A valid profile is read without zod; machine.js (zod) reports the problems.
  const { readMachineFile, readMachineQuickly } = await import('../disks/machine-read.js');
  const value = readMachineFile(file);
  return (
    readMachineQuickly(value) ??
    (await import('../disks/machine.js')).parseMachineProfile(value, `--machine ${file}`)
  );
}
