/**
 * FreeBSD: `geom disk list` (blocks of `key: value` lines separated by blank
 * lines) filtered by `sysctl -n kern.disks`, with in-use facts from the GEOM
 * open counts (`Mode` other than r0w0e0 means something has the disk open),
 * `zpool status -P`, `zpool import`, `swapctl -l` and `mount -p`. Pure.
 *
 * Partitions (`ada0p3`, `da0s1a`) belong to their disk. Labels such as
 * `/dev/gpt/NAME` cannot be mapped to a disk from these outputs; such a disk is
 * still caught by its open count.
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

export interface GeomDisk {
  name: string;
  mediasize: number;
  sectorsize: number | null;
  mode: string | null;
  descr: string | null;
  ident: string | null;
  lunid: string | null;
  lunname: string | null;
  rotationrate: string | null;
  /** Every `key: value` of the provider, including ones not interpreted. */
  fields: Record<string, string>;
}

/** GEOM prints a missing string as `(null)`. */
function geomValue(s: string | undefined): string | null {
  const v = clean(s);
  return v === '(null)' ? null : v;
}

/** Parse `geom disk list`. Throws DiskParseError on a block without a provider or a size. */
export function parseGeomDiskList(text: string): GeomDisk[] {
  const out: GeomDisk[] = [];
  const blocks = text.replace(/\r/g, '').split(/\n\s*\n/);
  for (const block of blocks) {
    if (!block.trim()) continue;
    const fields: Record<string, string> = {};
    let geomName: string | undefined;
    for (const line of block.split('\n')) {
      const g = /^Geom name:\s*(.+)$/.exec(line);
      if (g) {
        geomName = g[1]!.trim();
        continue;
      }
      const m = /^\s*(?:\d+\.\s+)?([A-Za-z][A-Za-z0-9_ ]*?):\s?(.*)$/.exec(line);
      if (m && !(m[1]! in fields)) fields[m[1]!] = m[2]!.trim();
    }
    if (!geomName)
      throw new DiskParseError(
        'geom disk list',
        `a block without "Geom name:": ${block.trim().split('\n')[0]}`,
      );
    const name = fields.Name ?? geomName;
    const size = /^(\d+)/.exec(fields.Mediasize ?? '')?.[1];
    if (!size) throw new DiskParseError('geom disk list', `${name}: no "Mediasize: BYTES" line`);
    out.push({
      name,
      mediasize: Number(size),
      sectorsize: fields.Sectorsize ? Number(fields.Sectorsize) : null,
      mode: clean(fields.Mode),
      descr: geomValue(fields.descr),
      ident: geomValue(fields.ident),
      lunid: geomValue(fields.lunid),
      lunname: geomValue(fields.lunname),
      rotationrate: clean(fields.rotationrate),
      fields,
    });
  }
  return out;
}

/** `swapctl -l` → device paths (`.eli` encrypted swap is reported on its provider). */
export function parseSwapctl(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((p) => p.startsWith('/dev/'))
    .map((p) => p.replace(/\.eli$/, ''));
}

function transportOf(name: string): string | null {
  const driver = /^([a-z]+)\d+$/.exec(name)?.[1];
  switch (driver) {
    case 'ada':
    case 'ad':
      return 'ata';
    case 'da':
      return 'scsi';
    case 'nvd':
    case 'nda':
      return 'nvme';
    case 'vtbd':
      return 'virtio';
    case 'mmcsd':
    case 'sdda':
      return 'mmc';
    case 'md':
      return 'loop';
    case 'xbd':
      return 'xen';
    default:
      return null;
  }
}

export interface FreebsdProbeData {
  /** `geom disk list` output. */
  geom: string;
  /** `sysctl -n kern.disks` output (space-separated names). */
  kernDisks?: string | undefined;
  zpoolStatus?: string | undefined;
  zpoolImport?: string | undefined;
  swap?: string | undefined;
  mounts?: string | undefined;
}

/**
 * The disk a device path belongs to, and the partition when it is one:
 * `/dev/ada0p3` → ada0 + ada0p3; `/dev/diskid/DISK-<ident>` → the disk with that ident.
 */
export function freebsdDeviceOf(
  dev: string,
  disks: readonly GeomDisk[],
): { disk: string; part?: string | undefined } | undefined {
  const base = dev.replace(/^\/dev\//, '');
  const id = /^diskid\/DISK-(.+?)(p\d+|s\d+[a-h]?)?$/.exec(base);
  if (id) {
    const d = disks.find((g) => g.ident === id[1]);
    return d ? { disk: d.name, part: id[2] ? base : undefined } : undefined;
  }
  let best: string | undefined;
  for (const d of disks)
    if (
      base === d.name ||
      (base.startsWith(d.name) && /^(p\d+|s\d+[a-h]?)$/.test(base.slice(d.name.length)))
    )
      if (!best || d.name.length > best.length) best = d.name;
  return best ? { disk: best, part: base === best ? undefined : base } : undefined;
}

/** Classify one FreeBSD machine. Pure. Throws DiskParseError when geom's output has the wrong shape. */
export function freebsdDisks(data: FreebsdProbeData): Disk[] {
  let geoms = parseGeomDiskList(data.geom);
  const listed = data.kernDisks?.trim().split(/\s+/).filter(Boolean);
  if (listed) {
    const set = new Set(listed);
    if (geoms.length === 0 && listed.some((n) => !/^cd\d+$/.test(n)))
      throw new DiskParseError(
        'geom disk list',
        `no disk blocks, but kern.disks lists ${listed.join(' ')}`,
      );
    geoms = geoms.filter((g) => set.has(g.name));
  }
  geoms = geoms.filter((g) => !/^cd\d+$/.test(g.name) && g.mediasize > 0);
  const uses = new Map<string, InUse[]>(geoms.map((g) => [g.name, []]));
  const use = (dev: string, reason: InUseReason, detail: string) => {
    const at = freebsdDeviceOf(dev, geoms);
    if (!at) return;
    const list = uses.get(at.disk)!;
    if (!at.part) addUse(list, reason, detail);
    else addUse(list, 'partition-in-use', `${at.part}: ${reason} ${detail}`);
  };
  const poolDisks = new Map<string, Set<string>>();
  for (const [text, reason] of [
    [data.zpoolStatus, 'zpool'],
    [data.zpoolImport, 'zpool-exported'],
  ] as const) {
    if (!text) continue;
    for (const p of parseZpoolListing(text))
      for (const dev of p.devices) {
        use(dev.startsWith('/') ? dev : `/dev/${dev}`, reason, p.pool);
        const disk = freebsdDeviceOf(dev, geoms)?.disk;
        if (disk && reason === 'zpool') {
          const s = poolDisks.get(p.pool) ?? new Set<string>();
          s.add(disk);
          poolDisks.set(p.pool, s);
        }
      }
  }
  for (const dev of data.swap ? parseSwapctl(data.swap) : []) use(dev, 'swap', dev);
  const mounts = data.mounts ? parseMountP(data.mounts, 'fstab') : [];
  for (const m of mounts) {
    if (!m.device.startsWith('/dev/')) continue;
    if (m.fstype === 'cd9660') use(m.device, 'install-media', `${m.mountpoint} (cd9660)`);
    else use(m.device, 'mounted', m.mountpoint);
    if (m.mountpoint === '/') {
      const disk = freebsdDeviceOf(m.device, geoms)?.disk;
      if (disk) addUse(uses.get(disk)!, 'root', `/ is on ${m.device}`);
    }
  }
  const rp = rootPool(mounts);
  if (rp)
    for (const d of poolDisks.get(rp) ?? []) addUse(uses.get(d)!, 'root', `/ is on pool ${rp}`);
  for (const g of geoms)
    if (g.mode && g.mode !== 'r0w0e0')
      addUse(uses.get(g.name)!, 'open', `GEOM open counts ${g.mode} (something has the disk open)`);

  return sortDisks(
    geoms.map((g) => {
      const rr = g.rotationrate;
      const rotational = rr === '0' ? false : rr && /^\d+$/.test(rr) ? true : null;
      return {
        name: g.name,
        path: `/dev/${g.name}`,
        size_bytes: g.mediasize,
        model: g.descr,
        vendor: null,
        serial: g.ident,
        wwn: displayWwn(g.lunid),
        by_id: [],
        transport: transportOf(g.name),
        rotational,
        ssd: rotational === null ? null : !rotational,
        removable: false,
        in_use: uses.get(g.name)!,
      };
    }),
  );
}
