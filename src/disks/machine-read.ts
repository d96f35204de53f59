/**
 * Reading a recorded machine profile without zod: the file, its JSON, and the
 * disks of a valid profile exactly as machine.ts's zod schema returns them
 * (objects built in shape order, unknown keys left out, arrays copied).
 * Anything else — a profile with problems to report, or an unusual one — is
 * left to machine.ts, so that zod is loaded only then (`slipway --machine`,
 * `validate --machine`, `plan --machine` of a valid profile never load it).
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../cli/errors.js';
import type { Disk, InUse, InUseReason } from './types.js';

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

/** The reasons machine.ts's schema takes (its z.enum). */
export const IN_USE_REASONS = [
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
] as const satisfies readonly InUseReason[];
const reasons: ReadonlySet<unknown> = new Set(IN_USE_REASONS);

/** The JSON value of a machine profile file (`-`: standard input). */
export function readMachineFile(file: string): unknown {
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
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new MachineProfileError(`--machine ${file}: not JSON (${(err as Error).message})`);
  }
}

type Obj = Record<string, unknown>;

/** A plain object as JSON.parse makes it, or undefined. */
function plain(v: unknown): Obj | undefined {
  return typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.getPrototypeOf(v) === Object.prototype
    ? (v as Obj)
    : undefined;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNullableBoolean = (v: unknown): v is boolean | null => v === null || typeof v === 'boolean';

function readInUse(v: unknown): InUse | undefined {
  const o = plain(v);
  if (!o || !reasons.has(o.reason) || !isString(o.detail)) return undefined;
  return { reason: o.reason as InUseReason, detail: o.detail };
}

function readDisk(v: unknown): Disk | undefined {
  const o = plain(v);
  if (!o) return undefined;
  const { name, path, size_bytes, model, vendor, serial, wwn, by_id } = o;
  const { transport, rotational, ssd, removable, in_use } = o;
  if (
    !isString(name) ||
    name.length === 0 ||
    !isString(path) ||
    path.length === 0 ||
    !Number.isSafeInteger(size_bytes) ||
    (size_bytes as number) < 0 ||
    !isNullableString(model) ||
    !isNullableString(vendor) ||
    !isNullableString(serial) ||
    !isNullableString(wwn) ||
    !Array.isArray(by_id) ||
    !by_id.every(isString) ||
    !isNullableString(transport) ||
    !isNullableBoolean(rotational) ||
    !isNullableBoolean(ssd) ||
    typeof removable !== 'boolean' ||
    !Array.isArray(in_use)
  )
    return undefined;
  const uses: InUse[] = [];
  for (const u of in_use) {
    const use = readInUse(u);
    if (!use) return undefined;
    uses.push(use);
  }
  return {
    name,
    path,
    size_bytes: size_bytes as number,
    model,
    vendor,
    serial,
    wwn,
    by_id: [...(by_id as string[])],
    transport,
    rotational,
    ssd,
    removable,
    in_use: uses,
  };
}

/**
 * The disks of a decoded profile (an array of disks, or `{"disks": [...]}`) when
 * every one is valid: what machine.ts's parseMachineProfile returns for it.
 * Undefined for anything else (machine.ts then reports the problems).
 */
export function readMachineQuickly(value: unknown): Disk[] | undefined {
  const wrapper = plain(value);
  const list = wrapper && 'disks' in wrapper ? wrapper.disks : value;
  if (!Array.isArray(list)) return undefined;
  const disks: Disk[] = [];
  for (const v of list) {
    const disk = readDisk(v);
    if (!disk) return undefined;
    disks.push(disk);
  }
  return disks;
}
