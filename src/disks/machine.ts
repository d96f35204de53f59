/**
 * Recorded machine profiles: the output of `slipway disks --json` (an array of
 * Disk objects, or `{"disks": [...]}`), given to `validate` and `plan` as
 * `--machine FILE` to check a preseed offline. A valid profile is read without
 * zod (machine-read.ts); anything else is checked with zod here, and the errors
 * name the JSON path (`[2].size_bytes`).
 */
import { z } from 'zod';
import { formatPath, type PathSegment } from '../schema/diagnostics.js';
import type { Disk } from './types.js';
import {
  IN_USE_REASONS,
  MachineProfileError,
  readMachineFile,
  readMachineQuickly,
} from './machine-read.js';

export { MachineProfileError } from './machine-read.js';

const InUseSchema = z.object({
  reason: z.enum(IN_USE_REASONS),
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
  const quick = readMachineQuickly(value);
  if (quick) return quick;
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
  return parseMachineProfile(readMachineFile(file), `--machine ${file}`);
}
