/**
 * The last check before Slipway writes to a disk. The apply engine calls
 * `checkDevicesBeforeWrite` with freshly detected disks just before the first
 * destructive step, and refuses (exit 3) when it returns any problem. Pure.
 *
 * For each device path:
 * - a path that is not under `/dev/` and has a `/` in it is a FILE (zfs-fuse and
 *   test pools use sparse files): not a disk, so it is not in-use-checked and
 *   has no identity; it is accepted as is;
 * - anything else must be a detected disk (its path, a /dev/disk/by-id link, or
 *   its name); a partition, a missing disk or an unknown device is refused
 *   (Slipway writes whole disks);
 * - a disk with any in-use reason is refused;
 * - when an identity was recorded for the path (serial, wwn, size_bytes), the
 *   disk found there must have the same values; otherwise it is not the disk
 *   that was reviewed, and it is refused;
 * - two paths that lead to the same disk are refused.
 */
import type { DeviceRef, UnifiedConfig } from '../schema/config.js';
import { findDiskByPath, identityDifferences } from './select.js';
import type { Disk } from './types.js';

export interface RecordedIdentity {
  serial?: string | undefined;
  wwn?: string | undefined;
  size_bytes?: number | undefined;
}

export type DeviceProblemKind = 'in-use' | 'identity-mismatch' | 'not-a-disk' | 'duplicate';

export interface DeviceProblem {
  device: string;
  kind: DeviceProblemKind;
  message: string;
  hint: string;
}

/** A path Slipway treats as a plain file (a file vdev), not a disk. */
export function isFileVdev(path: string): boolean {
  return path.includes('/') && !path.startsWith('/dev/');
}

/** Problems that make writing to these devices unsafe; empty when all is well. */
export function checkDevicesBeforeWrite(
  devicePaths: readonly string[],
  recorded: Readonly<Record<string, RecordedIdentity>> | ReadonlyMap<string, RecordedIdentity>,
  detected: readonly Disk[],
): DeviceProblem[] {
  const problems: DeviceProblem[] = [];
  const get = (p: string): RecordedIdentity | undefined =>
    recorded instanceof Map
      ? recorded.get(p)
      : (recorded as Readonly<Record<string, RecordedIdentity>>)[p];
  const seen = new Map<string, string>();
  for (const device of devicePaths) {
    if (isFileVdev(device)) continue;
    const disk = findDiskByPath(device, detected);
    if (!disk) {
      problems.push({
        device,
        kind: 'not-a-disk',
        message: `${device} is not a disk found on this machine`,
        hint: 'check the path with "slipway disks"; Slipway writes whole disks (or files outside /dev)',
      });
      continue;
    }
    const first = seen.get(disk.name);
    if (first !== undefined) {
      problems.push({
        device,
        kind: 'duplicate',
        message: `${device} is the same disk (${disk.name}) as ${first}`,
        hint: 'name each disk once',
      });
      continue;
    }
    seen.set(disk.name, device);
    if (disk.in_use.length)
      problems.push({
        device,
        kind: 'in-use',
        message: `${device} (${disk.name}) is in use: ${disk.in_use.map((u) => `${u.reason} ${u.detail}`).join('; ')}`,
        hint: 'free the disk (unmount, export or destroy the pool, swapoff…) or choose another one',
      });
    const rec = get(device);
    if (rec) {
      const diffs = identityDifferences(rec, disk);
      if (diffs.length)
        problems.push({
          device,
          kind: 'identity-mismatch',
          message: `${device} is not the disk that was reviewed: ${diffs.join('; ')}`,
          hint: 'the disks changed since the config was written; review it again ("slipway disks", "slipway plan --resolve")',
        });
    }
  }
  return problems;
}

/**
 * The device paths of a config's pools and the identities recorded with them,
 * ready for `checkDevicesBeforeWrite`. Unresolved selectors are skipped (resolve
 * them first).
 */
export function poolDevices(config: UnifiedConfig): {
  devicePaths: string[];
  recorded: Map<string, RecordedIdentity>;
} {
  const devicePaths: string[] = [];
  const recorded = new Map<string, RecordedIdentity>();
  const add = (ref: DeviceRef) => {
    if (typeof ref === 'string') return void devicePaths.push(ref);
    if (ref.path === undefined) return;
    devicePaths.push(ref.path);
    if (ref.serial !== undefined || ref.wwn !== undefined || ref.size_bytes !== undefined)
      recorded.set(ref.path, { serial: ref.serial, wwn: ref.wwn, size_bytes: ref.size_bytes });
  };
  for (const pool of config.storage.pools) {
    pool.devices.forEach(add);
    const t = pool.topology;
    if (!t) continue;
    for (const cls of ['data', 'log', 'cache', 'special', 'dedup'] as const)
      for (const v of t[cls]) v.devices.forEach(add);
    t.spare.forEach(add);
  }
  return { devicePaths, recorded };
}
