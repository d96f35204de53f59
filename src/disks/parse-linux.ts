/**
 * Linux: `lsblk -J -b -o NAME,PATH,SIZE,TYPE,MODEL,SERIAL,ROTA,RM,TRAN,WWN,MOUNTPOINTS,FSTYPE,PKNAME,VENDOR,HOTPLUG`
 * plus the few reads the probe does for it (/dev/disk/by-id links, /proc/swaps,
 * /proc/self/mounts, loop backing files, `zpool status -P`, `zpool import`).
 * Pure: every input is text or data handed in by the probe.
 *
 * util-linux differences handled: values as strings before 2.33 ("0"/"1",
 * "268435456"), booleans/numbers after; `mountpoints` `[null]` (2.37–2.40) or
 * `[]` (2.41+); `mountpoint` (a string or null) before 2.37; `path` missing
 * before 2.33.
 *
 * What is listed: devices of type `disk` and `loop` at the top of the tree with
 * a non-zero size. Unattached loop devices (size 0), empty card readers, zram
 * (RAM, never an install target) and optical drives (type `rom`) are not disks.
 *
 * Field choices: a loop device's `model` is its backing file; `transport` is
 * lsblk's TRAN, else `loop`, or guessed from the kernel name (nvme*, vd* →
 * virtio, xvd* → xen, mmcblk* → mmc); `removable` is RM or HOTPLUG (USB disks
 * often have RM 0); `ssd` is the opposite of ROTA (the kernel reports loop
 * devices as rotational).
 *
 * In use: a mount point of the disk or of anything on it (`[SWAP]` and
 * /proc/swaps → swap; a live-medium mount point or iso9660 → install-media);
 * holders (lvm, raid*, crypt, dm children) → lvm / md / device-mapper; an
 * LVM2_member or linux_raid_member signature without an active holder; pool
 * membership from `zpool status -P` (imported) and `zpool import` (exported),
 * with lsblk's `zfs_member` as the fallback when zpool is not available or the
 * label belongs to no listed pool; `root` for the disk under `/` (also a root
 * pool). A use on a partition is reported on its disk as `partition-in-use`
 * with the partition and why; a use through a holder says `(via NAME)`.
 */
import { DiskParseError } from './errors.js';
import {
  addUse,
  clean,
  displayWwn,
  parseZpoolListing,
  sortDisks,
  type PoolListing,
} from './common.js';
import type { Disk, InUse, InUseReason } from './types.js';

export const LSBLK_COLUMNS =
  'NAME,PATH,SIZE,TYPE,MODEL,SERIAL,ROTA,RM,TRAN,WWN,MOUNTPOINTS,FSTYPE,PKNAME,VENDOR,HOTPLUG';
/** For util-linux older than 2.37 (no MOUNTPOINTS) — the probe retries with these. */
export const LSBLK_COLUMNS_OLD =
  'NAME,SIZE,TYPE,MODEL,SERIAL,ROTA,RM,TRAN,WWN,MOUNTPOINT,FSTYPE,PKNAME';

/** Where live systems mount their boot medium. */
export const INSTALL_MEDIA_MOUNTS = [
  '/run/live/medium',
  '/lib/live/mount/medium',
  '/cdrom',
  '/media/cdrom',
  '/run/initramfs/live',
  '/run/archiso/bootmnt',
  '/run/install/repo',
];

export interface LsblkNode {
  name: string;
  path: string;
  size: number;
  type: string;
  model: string | null;
  serial: string | null;
  rota: boolean | null;
  rm: boolean;
  hotplug: boolean;
  tran: string | null;
  wwn: string | null;
  vendor: string | null;
  mountpoints: string[];
  fstype: string | null;
  children: LsblkNode[];
}

/** What the Linux probe hands to the parser. */
export interface LinuxProbeData {
  /** `lsblk -J -b -o …` output. */
  lsblk: string;
  /** `/dev/disk/by-id` link name → kernel name it points to (`ata-X_Y` → `sda`, `ata-X_Y-part1` → `sda1`). */
  byId?: Record<string, string> | undefined;
  /** `/proc/swaps`. */
  swaps?: string | undefined;
  /** `/proc/self/mounts` (used for a root file system on ZFS, which lsblk does not show). */
  mounts?: string | undefined;
  /** Loop device name → backing file (`/sys/block/loopN/loop/backing_file`). */
  loopBacking?: Record<string, string> | undefined;
  /** `zpool status -P` and `zpool import` output, or why zpool could not be asked. */
  zpool?: { status: string; import: string } | { unavailable: string } | undefined;
}

function bool(v: unknown): boolean | null {
  if (v === true || v === 1 || v === '1') return true;
  if (v === false || v === 0 || v === '0') return false;
  return null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? clean(v) : null;
}

function toNode(raw: unknown, where: string): LsblkNode {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new DiskParseError('lsblk JSON', `${where} is not an object`);
  const r = raw as Record<string, unknown>;
  const name = str(r.name);
  if (!name) throw new DiskParseError('lsblk JSON', `${where} has no "name"`);
  let size: number;
  if (typeof r.size === 'number') size = r.size;
  else if (typeof r.size === 'string' && /^\d+$/.test(r.size.trim())) size = Number(r.size);
  else if (r.size === null || r.size === undefined) size = 0;
  else
    throw new DiskParseError(
      'lsblk JSON',
      `${where} (${name}) has size ${JSON.stringify(r.size)}, not a number of bytes (run lsblk with -b)`,
    );
  let mountpoints: string[] = [];
  if (Array.isArray(r.mountpoints))
    mountpoints = r.mountpoints.filter((m): m is string => typeof m === 'string' && m !== '');
  else if (typeof r.mountpoint === 'string' && r.mountpoint) mountpoints = [r.mountpoint];
  const children = Array.isArray(r.children)
    ? r.children.map((c, i) => toNode(c, `${where}.children[${i}]`))
    : [];
  return {
    name,
    path: str(r.path) ?? `/dev/${name}`,
    size,
    type: str(r.type) ?? 'disk',
    model: str(r.model),
    serial: str(r.serial),
    rota: bool(r.rota),
    rm: bool(r.rm) === true,
    hotplug: bool(r.hotplug) === true,
    tran: str(r.tran),
    wwn: str(r.wwn),
    vendor: str(r.vendor),
    mountpoints,
    fstype: str(r.fstype),
    children,
  };
}

/** Parse `lsblk -J -b` output into a normalized tree. Throws DiskParseError on anything else. */
export function parseLsblk(text: string): LsblkNode[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DiskParseError('lsblk JSON', `not JSON (${(err as Error).message})`);
  }
  const list = (value as { blockdevices?: unknown } | null)?.blockdevices;
  if (!Array.isArray(list))
    throw new DiskParseError('lsblk JSON', 'no "blockdevices" list at the top level');
  return list.map((d, i) => toNode(d, `blockdevices[${i}]`));
}

/** `/proc/swaps` → the device or file paths in use as swap. */
export function parseProcSwaps(text: string): string[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((p) => p.startsWith('/'))
    .map((p) => p.replace(/\\040/g, ' '));
}

/** `/proc/self/mounts` → {device, mountpoint, fstype}. Octal escapes (\040) are decoded. */
export function parseProcMounts(
  text: string,
): { device: string; mountpoint: string; fstype: string }[] {
  const dec = (s: string) =>
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 3)
    .map((f) => ({ device: dec(f[0]!), mountpoint: dec(f[1]!), fstype: f[2]! }));
}

const HOLDER: Record<string, InUseReason> = {
  lvm: 'lvm',
  raid0: 'md',
  raid1: 'md',
  raid4: 'md',
  raid5: 'md',
  raid6: 'md',
  raid10: 'md',
  linear: 'md',
  multipath: 'md',
  md: 'md',
  crypt: 'device-mapper',
  dm: 'device-mapper',
  mpath: 'device-mapper',
};

function isListedDisk(n: LsblkNode): boolean {
  if (n.type !== 'disk' && n.type !== 'loop') return false;
  if (n.size <= 0) return false;
  if (/^zram\d+$/.test(n.name) || /^ram\d+$/.test(n.name)) return false;
  if (/^mmcblk\d+(boot\d+|rpmb)$/.test(n.name)) return false;
  return true;
}

function inferTransport(n: LsblkNode): string | null {
  if (n.tran) return n.tran.toLowerCase();
  if (n.type === 'loop') return 'loop';
  if (/^nvme\d/.test(n.name)) return 'nvme';
  if (/^vd[a-z]+$/.test(n.name)) return 'virtio';
  if (/^xvd[a-z]+$/.test(n.name)) return 'xen';
  if (/^mmcblk\d/.test(n.name)) return 'mmc';
  return null;
}

interface Located {
  node: LsblkNode;
  disk: LsblkNode;
  /** The direct child of the disk on the way to node (undefined when node is the disk). */
  via: LsblkNode | undefined;
}

/** Own uses of one node (not counting what its descendants do). */
function ownUses(n: LsblkNode, swaps: ReadonlySet<string>): InUse[] {
  const uses: InUse[] = [];
  if (!n.mountpoints.length && !n.children.length && !n.fstype && !swaps.size) return uses;
  for (const mp of n.mountpoints) {
    if (mp === '[SWAP]') addUse(uses, 'swap', n.path);
    else if (INSTALL_MEDIA_MOUNTS.includes(mp)) addUse(uses, 'install-media', mp);
    else addUse(uses, 'mounted', mp);
  }
  if (swaps.has(n.path) || swaps.has(`/dev/${n.name}`)) addUse(uses, 'swap', n.path);
  const holders = n.children.filter((c) => c.type !== 'part');
  for (const h of holders) {
    const reason = HOLDER[h.type] ?? (/^raid/.test(h.type) ? 'md' : undefined);
    if (reason) addUse(uses, reason, `${h.name} (${h.type})`);
  }
  if (n.fstype === 'LVM2_member' && !holders.some((h) => h.type === 'lvm'))
    addUse(uses, 'lvm', 'LVM physical volume (LVM2_member), no active logical volume');
  if (n.fstype === 'linux_raid_member' && !holders.some((h) => HOLDER[h.type] === 'md'))
    addUse(uses, 'md', 'md RAID member (linux_raid_member), array not assembled');
  if (n.fstype === 'iso9660') addUse(uses, 'install-media', 'iso9660 file system');
  return uses;
}

/** Map a device as `zpool` prints it to a kernel name, or undefined (a file, or unknown). */
function zpoolDeviceName(
  dev: string,
  byId: Record<string, string>,
  names: ReadonlySet<string>,
): string | undefined {
  let d = dev;
  if (d.startsWith('/dev/')) d = d.slice(5);
  else if (d.startsWith('/')) return undefined; // a file vdev
  if (d.startsWith('disk/by-id/')) return byId[d.slice(11)];
  if (d.startsWith('mapper/')) d = d.slice(7);
  if (names.has(d)) return d;
  if (byId[d]) return byId[d];
  // `zpool status` without -P shows whole-disk vdevs by disk name while the label is on partition 1
  return undefined;
}

/** Classify one Linux machine. Pure. Throws DiskParseError when lsblk's output has the wrong shape. */
export function linuxDisks(data: LinuxProbeData): Disk[] {
  const tree = parseLsblk(data.lsblk);
  const byId = data.byId ?? {};
  const swaps = new Set(data.swaps ? parseProcSwaps(data.swaps) : []);
  const mounts = data.mounts ? parseProcMounts(data.mounts) : [];

  // Index every node by name (a node can sit under several disks: md, multipath).
  const located = new Map<string, Located[]>();
  const disks = tree.filter(isListedDisk);
  const walk = (node: LsblkNode, disk: LsblkNode, via: LsblkNode | undefined) => {
    const at: Located = { node, disk, via };
    const l = located.get(node.name);
    if (l) l.push(at);
    else located.set(node.name, [at]);
    for (let i = 0; i < node.children.length; i++) {
      const c = node.children[i]!;
      walk(c, disk, via ?? c);
    }
  };
  for (let i = 0; i < disks.length; i++) walk(disks[i]!, disks[i]!, undefined);
  // All of them in that order (by name, a name's places together), walked with
  // indexes three times below: a machine of 1,000 disks has thousands, and the
  // Map iterators and their results were a tenth of what classifying allocated.
  const all: Located[] = [];
  for (const l of located.values()) for (let i = 0; i < l.length; i++) all.push(l[i]!);

  const uses = new Map<string, InUse[]>(disks.map((d) => [d.name, []]));
  /** Attribute a use found on `at` to its disk. */
  const attribute = (at: Located, reason: InUseReason, detail: string) => {
    const list = uses.get(at.disk.name)!;
    if (!at.via) return addUse(list, reason, detail);
    const through = at.node === at.via ? '' : ` (via ${at.node.name})`;
    if (at.via.type === 'part')
      return addUse(list, 'partition-in-use', `${at.via.name}: ${reason} ${detail}${through}`);
    addUse(list, reason, `${detail} (via ${at.node.name})`);
  };

  for (let i = 0; i < all.length; i++) {
    const at = all[i]!;
    for (const u of ownUses(at.node, swaps)) attribute(at, u.reason, u.detail);
  }

  // Root: the disk holding `/`.
  for (let i = 0; i < all.length; i++) {
    const at = all[i]!;
    if (at.node.mountpoints.includes('/'))
      addUse(uses.get(at.disk.name)!, 'root', `/ is on ${at.node.name}`);
  }

  // ZFS pools: imported (zpool status), exported but labelled (zpool import), else lsblk fstype.
  const names = new Set(located.keys());
  const inPool = new Set<string>();
  const poolOfDisk = new Map<string, Set<string>>();
  const zp = data.zpool;
  if (zp && 'status' in zp) {
    const mark = (listing: PoolListing[], reason: 'zpool' | 'zpool-exported') => {
      for (const p of listing)
        for (const dev of p.devices) {
          const name = zpoolDeviceName(dev, byId, names);
          for (const at of (name && located.get(name)) || []) {
            attribute(at, reason, p.pool);
            inPool.add(at.disk.name);
            const s = poolOfDisk.get(at.disk.name) ?? new Set<string>();
            s.add(p.pool);
            poolOfDisk.set(at.disk.name, s);
          }
        }
    };
    mark(parseZpoolListing(zp.status), 'zpool');
    mark(parseZpoolListing(zp.import), 'zpool-exported');
  }
  for (let i = 0; i < all.length; i++) {
    const at = all[i]!;
    if (at.node.fstype !== 'zfs_member' || inPool.has(at.disk.name)) continue;
    if (!zp)
      attribute(
        at,
        'zpool',
        'ZFS label (lsblk fstype zfs_member; pools were not checked with zpool)',
      );
    else if ('unavailable' in zp)
      attribute(
        at,
        'zpool',
        `ZFS label (lsblk fstype zfs_member; pool unknown: zpool not available: ${zp.unavailable})`,
      );
    else
      attribute(
        at,
        'zpool-exported',
        'ZFS label (lsblk fstype zfs_member) of a pool that is neither imported nor listed by zpool import',
      );
  }

  // Root on ZFS: `/` is a dataset; its pool's disks hold the root.
  const root = mounts.filter((m) => m.mountpoint === '/').pop();
  if (root && root.fstype === 'zfs') {
    const pool = root.device.split('/')[0]!;
    for (const [disk, pools] of poolOfDisk)
      if (pools.has(pool)) addUse(uses.get(disk)!, 'root', `/ is on pool ${pool}`);
  }

  const linksOf = new Map<string, string[]>();
  const links = Object.keys(byId);
  for (let i = 0; i < links.length; i++) {
    const target = byId[links[i]!]!;
    const path = `/dev/disk/by-id/${links[i]!}`;
    const l = linksOf.get(target);
    if (l) l.push(path);
    else linksOf.set(target, [path]);
  }
  const out: Disk[] = disks.map((d) => {
    const rotational = d.rota;
    return {
      name: d.name,
      path: d.path,
      size_bytes: d.size,
      model: d.type === 'loop' ? (data.loopBacking?.[d.name] ?? d.model) : d.model,
      vendor: d.vendor,
      serial: d.serial,
      wwn: displayWwn(d.wwn),
      by_id: sorted(linksOf.get(d.name) ?? []),
      transport: inferTransport(d),
      rotational,
      ssd: rotational === null ? null : !rotational,
      removable: d.rm || d.hotplug,
      in_use: uses.get(d.name)!,
    };
  });
  return sortDisks(out);
}

/** `list` sorted (Array#sort allocates its work space even for one element). */
function sorted(list: string[]): string[] {
  return list.length > 1 ? list.sort() : list;
}
