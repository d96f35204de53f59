/**
 * Device identity: when are two device references in a config the same disk?
 * Paths are compared after normalising (`/dev/dsk/c1t0d0`, `c1t0d0` and
 * `/dev/rdsk/c1t0d0` are one disk; so are `/dev/sdb/` and `sdb`); selectors by
 * serial and WWN; and, when detected disks are known, through them (a path and a
 * selector naming the same disk's serial collide).
 */
import type { DeviceRef } from '../schema/config.js';
import type { Disk } from '../disks/types.js';

/** `/dev//dsk/c1t0d0s0/` → `c1t0d0s0`; `/dev/sdb` → `sdb`; other paths kept, cleaned. */
export function normalizeDevicePath(path: string): string {
  let p = path.trim().replace(/\/{2,}/g, '/');
  while (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
  const m = /^\/dev\/r?dsk\/(.+)$/.exec(p);
  if (m) return m[1]!;
  if (p.startsWith('/dev/')) return p.slice(5);
  return p;
}

export function normalizeWwn(wwn: string): string {
  return wwn.trim().toLowerCase().replace(/^0x/, '');
}

/**
 * The whole disk a partition or slice belongs to, for the naming schemes of the
 * three platforms; undefined when the name is not recognisably a partition.
 */
export function parentDisk(normalized: string): string | undefined {
  const patterns = [
    /^(x?[svh]d[a-z]+)\d+$/, // Linux sdb1, vda2, xvdb1
    /^((?:nvme\d+n\d+)|(?:mmcblk\d+)|(?:nbd\d+)|(?:loop\d+))p\d+$/, // Linux nvme0n1p1
    /^(c\d+(?:t[0-9A-Fa-f]+)?d\d+)[sp]\d+$/, // illumos c1t0d0s0, c1d0p0
    /^((?:ada|da|nvd|nda|vtbd|mmcsd|ad)\d+)(?:p\d+|s\d+[a-h]?)$/, // FreeBSD ada0p3, da0s1a
    /^(disk\/by-[a-z]+\/.+)-part\d+$/, // Linux by-id links
  ];
  for (const re of patterns) {
    const m = re.exec(normalized);
    if (m) return m[1];
  }
  return undefined;
}

/** Detected disks, findable by path, name, by-id link, serial and WWN. */
export class DiskIndex {
  private readonly byKey = new Map<string, Disk>();

  constructor(readonly disks: readonly Disk[]) {
    for (const d of disks) {
      this.byKey.set(`path:${normalizeDevicePath(d.path)}`, d);
      this.byKey.set(`path:${normalizeDevicePath(d.name)}`, d);
      for (const link of d.by_id ?? []) this.byKey.set(`path:${normalizeDevicePath(link)}`, d);
      if (d.serial) this.byKey.set(`serial:${d.serial}`, d);
      if (d.wwn) this.byKey.set(`wwn:${normalizeWwn(d.wwn)}`, d);
    }
  }

  /** The detected disk a reference names, when it names one by path, serial or WWN. */
  lookup(ref: DeviceRef): Disk | undefined {
    for (const key of ownKeys(ref)) {
      const d = this.byKey.get(key);
      if (d) return d;
    }
    return undefined;
  }
}

function ownKeys(ref: DeviceRef): string[] {
  if (typeof ref === 'string') return [`path:${normalizeDevicePath(ref)}`];
  const keys: string[] = [];
  if (ref.serial) keys.push(`serial:${ref.serial}`);
  if (ref.wwn) keys.push(`wwn:${normalizeWwn(ref.wwn)}`);
  if (ref.path) keys.push(`path:${normalizeDevicePath(ref.path)}`);
  return keys;
}

/**
 * Identity keys of a reference: two references sharing a key are the same disk.
 * A selector without path, serial or WWN (only model or size) has none.
 */
export function deviceKeys(ref: DeviceRef, index?: DiskIndex): string[] {
  const keys = ownKeys(ref);
  const disk = index?.lookup(ref);
  if (disk) keys.push(`disk:${normalizeDevicePath(disk.path)}`);
  return keys;
}

/** How many disks a reference stands for (a selector may have `count`). */
export function deviceCount(ref: DeviceRef): number {
  return typeof ref === 'string' ? 1 : (ref.count ?? 1);
}

/** For messages: the path, or the selector's most telling field. */
export function describeDevice(ref: DeviceRef): string {
  if (typeof ref === 'string') return ref;
  if (ref.path) return ref.path;
  if (ref.serial) return `serial ${ref.serial}`;
  if (ref.wwn) return `wwn ${ref.wwn}`;
  if (ref.model) return `model ${ref.model}`;
  return 'a disk selector';
}

/** Size in bytes of the disk a reference names, when known. */
export function deviceSize(ref: DeviceRef, index?: DiskIndex): number | undefined {
  if (typeof ref !== 'string' && ref.size_bytes !== undefined) return ref.size_bytes;
  return index?.lookup(ref)?.size_bytes;
}
