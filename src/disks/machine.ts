/**
 * Recorded machine profiles: the output of `slipway disks --json` (an array of
 * Disk objects, or `{"disks": [...]}`), given to `validate` and `plan` as
 * `--machine FILE` to check a preseed offline. The shape is checked with zod;
 * errors name the JSON path (`[2].size_bytes`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UserError } from '../cli/errors.js';
import { formatPath, type PathSegment } from '../schema/diagnostics.js';
import type { Disk } from './types.js';

const InUseSchema = z.object({
  reason: z.enum([
    'mounted',
    'zpool',
    'zpool-exported',
    'swap',
    'dump',
    'md',
    'lvm',
    'device-mapper',
    'partition-in-use',
    'install-media',
    'root',
    'open',
  ]),
  detail: z.string(),
});

export const DiskSchema = z.object({
  name: z.string().min(1),
  path: z.string().min(1),
  size_bytes: z.number().int().nonnegative(),
  model: z.string().nullable(),
  vendor: z.string().nullable(),
  serial: z.string().nullable(),
  wwn: z.string().nullable(),
  by_id: z.array(z.string()),
  transport: z.string().nullable(),
  rotational: z.boolean().nullable(),
  ssd: z.boolean().nullable(),
  removable: z.boolean(),
  in_use: z.array(InUseSchema),
});

export class MachineProfileError extends UserError {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(
      message,
      'give the output of "slipway disks --json" (an array of disks, or {"disks": [...]})',
    );
    this.name = 'MachineProfileError';
  }
}

/** Check a decoded profile; throws MachineProfileError listing each problem with its path. */
export function parseMachineProfile(value: unknown, name = 'machine profile'): Disk[] {
  const isObj = value !== null && typeof value === 'object';
  const target =
    isObj && !Array.isArray(value) && 'disks' in value
      ? (value as { disks: unknown }).disks
      : value;
  const prefix: PathSegment[] = target === value ? [] : ['disks'];
  if (!Array.isArray(target))
    throw new MachineProfileError(
      `${name}: expected a list of disks, found ${value === null ? 'null' : typeof value}`,
    );
  const r = z.array(DiskSchema).safeParse(target);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const problems = issues.slice(0, 10).map((i) => {
    const path = formatPath([...prefix, ...(i.path as PathSegment[])]);
    return `${path || '(top)'}: ${i.message}`;
  });
  throw new MachineProfileError(
    `${name}: not a machine profile: ${problems.join('; ')}${issues.length > 10 ? ` (and ${issues.length - 10} more)` : ''}`,
    problems,
  );
}

/** Read and check a recorded machine profile file. */
export function loadMachineProfile(file: string): Disk[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MachineProfileError(
      code === 'ENOENT'
        ? `--machine ${file}: no such file`
        : `--machine ${file}: ${(err as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MachineProfileError(`--machine ${file}: not JSON (${(err as Error).message})`);
  }
  return parseMachineProfile(value, `--machine ${file}`);
}
