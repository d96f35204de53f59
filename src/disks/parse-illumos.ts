/**
 * illumos: `diskinfo -cHp` (one TAB-separated line per disk: TYPE DISK VID PID
 * SERIAL SIZE FLRS LOCATION), or `diskinfo -Hp` (TYPE DISK VID PID SIZE RMV SSD).
 * In-use facts from `zpool status -P`, `zpool import`, `swap -l`, `dumpadm` and
 * `mount -p`. Pure.
 *
 * Devices are named `cXtYdZ` (or `cXdZ`); slices `sN` and fdisk partitions `pN`
 * belong to their disk. A ZFS pool on a whole disk shows the disk's `s0` (or `s1`
 * with -B), so pool membership on a slice is reported as `zpool` on the disk;
 * other uses of a slice (a mount, swap, dump) as `partition-in-use`.
 */
import { DiskParseError } from './errors.js';
import {
  addUse,
  clean,
  displayWwn,
  parseMountP,
  parseZpoolListing,
  rootPool,
  sortDisks,
} from './common.js';
import type { Disk, InUse, InUseReason } from './types.js';

export interface DiskinfoRow {
  type: string | null;
  disk: string;
  vid: string | null;
  pid: string | null;
  serial: string | null;
  size: number;
  removable: boolean | null;
  ssd: boolean | null;
}

function yesNo(s: string | undefined): boolean | null {
  return s === 'yes' ? true : s === 'no' ? false : null;
}

function flag(flrs: string, index: number, letter: string): boolean | null {
  const c = flrs[index];
  return c === letter ? true : c === '-' ? false : null;
}

/** Parse `diskinfo -cHp` (8 fields) or `diskinfo -Hp` (7 fields) output. */
export function parseDiskinfo(text: string): DiskinfoRow[] {
  const rows: DiskinfoRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (!line.trim()) continue;
    const f = line.split('\t');
    const where = `line ${i + 1}`;
    let row: DiskinfoRow;
    if (f.length === 8) {
      const [type, disk, vid, pid, serial, size, flrs] = f as [string, ...string[]];
      row = {
        type: clean(type),
        disk: disk!.trim(),
        vid: clean(vid),
        pid: clean(pid),
        serial: clean(serial),
        size: Number(size),
        removable: flag(flrs!.trim(), 2, 'R'),
        ssd: flag(flrs!.trim(), 3, 'S'),
      };
      if (!/^[-?F][-?L][-?R][-?S]$/.test(flrs!.trim()))
        throw new DiskParseError(
          'diskinfo -cHp',
          `${where}: FLRS field "${flrs}" is not like "??-S"`,
        );
    } else if (f.length === 7) {
      const [type, disk, vid, pid, size, rmv, ssd] = f as [string, ...string[]];
      row = {
        type: clean(type),
        disk: disk!.trim(),
        vid: clean(vid),
        pid: clean(pid),
        serial: null,
        size: Number(size),
        removable: yesNo(rmv?.trim()),
        ssd: yesNo(ssd?.trim()),
      };
    } else
      throw new DiskParseError(
        'diskinfo',
        `${where}: ${f.length} TAB-separated fields; expected 8 (-cHp) or 7 (-Hp)`,
      );
    if (!/^\d+$/.test(String(f[f.length === 8 ? 5 : 4]).trim()) || !Number.isSafeInteger(row.size))
      throw new DiskParseError('diskinfo', `${where}: size is not a number of bytes (run with -p)`);
    if (!/^c\d+(t[0-9A-F]+)?d\d+$/.test(row.disk))
      throw new DiskParseError('diskinfo', `${where}: "${row.disk}" is not a cXtYdZ disk name`);
    rows.push(row);
  }
  return rows;
}

const TRANSPORT: Record<string, string> = {
  ATA: 'ata',
  SATA: 'sata',
  SCSI: 'scsi',
  NVME: 'nvme',
  USB: 'usb',
  FIBRE: 'fc',
  'FIBRE CHANNEL': 'fc',
  LOFI: 'loop',
  XEN: 'xen',
};

/** The disk a device path or name belongs to (`/dev/dsk/c1t0d0s0` → `c1t0d0`), or undefined. */
export function illumosDiskOf(dev: string, disks: ReadonlySet<string>): string | undefined {
  const base = dev.replace(/^\/dev\/r?dsk\//, '');
  if (disks.has(base)) return base;
  const m = /^(c\d+(?:t[0-9A-F]+)?d\d+)(?:[sp]\d+)?$/.exec(base);
  return m && disks.has(m[1]!) ? m[1] : undefined;
}

/** `swap -l` → device/file paths (the first column of each row after the header). */
export function parseSwapL(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() && !/^swapfile\s/.test(l.trim()))
    .map((l) => l.trim().split(/\s+/)[0]!)
    .filter((p) => p.startsWith('/'));
}

/** `dumpadm` → the dump device path, or undefined when dumps are disabled. */
export function parseDumpadm(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^\s*Dump device:\s*(\S+)/.exec(line);
    if (m) return m[1] === 'none' ? undefined : m[1];
  }
  return undefined;
}

export interface IllumosProbeData {
  /** `diskinfo -cHp` (or `-Hp`) output. */
  diskinfo: string;
  zpoolStatus?: string | undefined;
  zpoolImport?: string | undefined;
  swap?: string | undefined;
  dumpadm?: string | undefined;
  mounts?: string | undefined;
}

/** Classify one illumos machine. Pure. Throws DiskParseError when diskinfo's output has the wrong shape. */
export function illumosDisks(data: IllumosProbeData): Disk[] {
  const rows = parseDiskinfo(data.diskinfo);
  const names = new Set(rows.map((r) => r.disk));
  const uses = new Map<string, InUse[]>(rows.map((r) => [r.disk, []]));
  const use = (dev: string, reason: InUseReason, detail: string) => {
    const disk = illumosDiskOf(dev, names);
    if (!disk) return;
    const base = dev.replace(/^\/dev\/r?dsk\//, '');
    const list = uses.get(disk)!;
    if (base === disk || reason === 'zpool' || reason === 'zpool-exported')
      addUse(list, reason, detail);
    else addUse(list, 'partition-in-use', `${base}: ${reason} ${detail}`);
  };

  const poolDisks = new Map<string, Set<string>>();
  for (const [text, reason] of [
    [data.zpoolStatus, 'zpool'],
    [data.zpoolImport, 'zpool-exported'],
  ] as const) {
    if (!text) continue;
    for (const p of parseZpoolListing(text))
      for (const dev of p.devices) {
        use(dev, reason, p.pool);
        const disk = illumosDiskOf(dev, names);
        if (disk && reason === 'zpool') {
          const s = poolDisks.get(p.pool) ?? new Set<string>();
          s.add(disk);
          poolDisks.set(p.pool, s);
        }
      }
  }
  for (const dev of data.swap ? parseSwapL(data.swap) : []) use(dev, 'swap', dev);
  const dump = data.dumpadm ? parseDumpadm(data.dumpadm) : undefined;
  if (dump) use(dump, 'dump', dump);
  const mounts = data.mounts ? parseMountP(data.mounts, 'vfstab') : [];
  for (const m of mounts) {
    if (m.fstype === 'hsfs') use(m.device, 'install-media', `${m.mountpoint} (hsfs)`);
    else use(m.device, 'mounted', m.mountpoint);
    if (m.mountpoint === '/') {
      const disk = illumosDiskOf(m.device, names);
      if (disk) addUse(uses.get(disk)!, 'root', `/ is on ${m.device}`);
    }
  }
  const rp = rootPool(mounts);
  if (rp)
    for (const d of poolDisks.get(rp) ?? []) addUse(uses.get(d)!, 'root', `/ is on pool ${rp}`);

  return sortDisks(
    rows.map((r) => {
      const target = /^c\d+t([0-9A-F]+)d\d+$/.exec(r.disk)?.[1];
      const wwn = target && (target.length === 16 || target.length === 32) ? target : null;
      return {
        name: r.disk,
        path: `/dev/dsk/${r.disk}`,
        size_bytes: r.size,
        model: r.pid,
        vendor: r.vid,
        serial: r.serial,
        wwn: displayWwn(wwn),
        by_id: [],
        transport: (r.type && TRANSPORT[r.type.toUpperCase()]) ?? null,
        rotational: r.ssd === null ? null : !r.ssd,
        ssd: r.ssd,
        removable: r.removable === true || r.type === 'USB',
        in_use: uses.get(r.disk)!,
      };
    }),
  );
}
