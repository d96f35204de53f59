/**
 * Pure helpers shared by the per-platform parsers: natural ordering, in-use
 * bookkeeping, and the outputs that look the same everywhere (`zpool status`,
 * `zpool import`, `mount -p`).
 */
import type { Disk, InUse, InUseReason } from './types.js';

/** Kernel letter names count like numbers: sdz < sdaa (`sd` + length + letters). */
function letterKey(name: string): string {
  return name.replace(
    /^(sd|vd|xvd|hd)([a-z]+)(?=\d*$)/,
    (_, p: string, l: string) => `${p}${l.length}${l}`,
  );
}

/** Runs of digits (as numbers) and of non-digits. */
function sortTokens(name: string): (string | number)[] {
  return (letterKey(name).match(/\d+|\D+/g) ?? []).map((t) =>
    t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57 ? Number(t) : t,
  );
}

function compareTokens(pa: readonly (string | number)[], pb: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/**
 * Natural order: runs of digits compare as numbers, so `loop2` < `loop10`, and
 * Linux letter names in kernel order, so `sdz` < `sdaa`.
 */
export function naturalCompare(a: string, b: string): number {
  const d = compareTokens(sortTokens(a), sortTokens(b));
  return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
}

/** Sort disks by name in natural order (keys computed once). */
export function sortDisks(disks: Disk[]): Disk[] {
  const keyed = disks.map((d) => ({ d, k: sortTokens(d.name) }));
  keyed.sort((a, b) => compareTokens(a.k, b.k) || (a.d.name < b.d.name ? -1 : 1));
  for (let i = 0; i < keyed.length; i++) disks[i] = keyed[i]!.d;
  return disks;
}

/** Add a reason once (same reason and detail are not repeated). */
export function addUse(list: InUse[], reason: InUseReason, detail: string): void {
  if (!list.some((u) => u.reason === reason && u.detail === detail)) list.push({ reason, detail });
}

/** `0x5000C500A1B2C3D4`, `5000c500a1b2c3d4` → `5000c500a1b2c3d4`; other forms lower-cased. */
export function normalizeWwn(wwn: string): string {
  return wwn.trim().toLowerCase().replace(/^0x/, '');
}

/** A WWN as Slipway prints it: `0x` + lower-case hex when it is plain hex, else as given. */
export function displayWwn(wwn: string | null | undefined): string | null {
  if (!wwn) return null;
  const t = wwn.trim();
  if (!t) return null;
  return /^(0x)?[0-9a-f]+$/i.test(t) ? '0x' + normalizeWwn(t) : t;
}

/** Empty, `-` and whitespace-only strings are "unknown". */
export function clean(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = String(s).trim();
  return t === '' || t === '-' ? null : t;
}

// ── zpool status / zpool import ─────────────────────────────────────────────

export interface PoolListing {
  pool: string;
  /** Leaf device names as printed (paths with -P, names without). */
  devices: string[];
  state?: string | undefined;
  id?: string | undefined;
}

const GROUP = /^(mirror|raidz[123]?|draid[123]?(:\S*)?|replacing|spare|root)(-\d+)?$/;
const SECTION = new Set(['logs', 'cache', 'spares', 'special', 'dedup']);
const STATES =
  /^(\S.*?)\s+(ONLINE|DEGRADED|FAULTED|OFFLINE|UNAVAIL|REMOVED|AVAIL|INUSE|SPLIT)(\s|$)/;

/**
 * The lines of `zpool status [-P]` or `zpool import` that matter: the labels
 * (`pool:`, `state:`, `id:`, `config:`…; indentation of the labels differs
 * between versions, so they are trimmed) and, under `config:`, each TAB-indented
 * line of the tree as its name and nesting level (two spaces per level after
 * the TAB), without the NAME header.
 */
function* zpoolLines(
  text: string,
): Generator<
  { label: string; value: string } | { label?: undefined; name: string; level: number }
> {
  let inConfig = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const label = /^\s*([a-z]+):\s?(.*)$/.exec(line);
    if (label && !line.startsWith('\t')) {
      const key = label[1]!;
      if (key === 'config') inConfig = true;
      else if (key === 'errors' || key === 'pool') inConfig = false;
      yield { label: key, value: label[2]!.trim() };
      continue;
    }
    if (!inConfig || !line.startsWith('\t')) continue;
    const body = line.slice(1);
    const trimmed = body.trim();
    if (!trimmed) continue;
    const name = (STATES.exec(trimmed)?.[1] ?? trimmed.split(/\s+/)[0]!).trim();
    if (name === 'NAME') continue;
    yield { name, level: Math.floor((body.length - body.trimStart().length) / 2) };
  }
}

/**
 * Pools and their leaf devices from `zpool status [-P]` or `zpool import`.
 * Vdev groups (mirror-0, raidz2-1, logs, cache, spares…) are not devices.
 */
export function parseZpoolListing(text: string): PoolListing[] {
  const pools: PoolListing[] = [];
  let cur: PoolListing | undefined;
  for (const l of zpoolLines(text)) {
    if (l.label === 'pool') pools.push((cur = { pool: l.value, devices: [] }));
    else if (cur && l.label === 'state') cur.state = l.value;
    else if (cur && l.label === 'id') cur.id = l.value;
    else if (cur && l.label === undefined) {
      const name = l.name;
      if (name === cur.pool || GROUP.test(name) || SECTION.has(name)) continue;
      if (!cur.devices.includes(name)) cur.devices.push(name);
    }
  }
  return pools;
}

/** A top-level vdev as `zpool status` shows it. */
export interface FoundVdev {
  /** mirror, raidz1, raidz2, raidz3, draid… — or stripe: a device straight under the pool or class. */
  type: string;
  /**
   * Each device slot of the vdev: its device, or, while a disk is being replaced
   * or a hot spare stands in for it, the devices of that replacing-N / spare-N group.
   */
  slots: string[][];
}

/** The vdev classes of a pool that exists (`zpool status`), in PoolLayout's terms. */
export interface FoundLayout {
  data: FoundVdev[];
  special: FoundVdev[];
  dedup: FoundVdev[];
  log: FoundVdev[];
  /** Cache devices and spares: one slot each. */
  cache: string[][];
  spare: string[][];
}

const VDEV_GROUP = /^(mirror|raidz[123]?|draid[123]?(?::\S*)?)-\d+$/;
const SLOT_GROUP = /^(replacing|spare)-\d+$/;
const CLASS: Record<string, keyof FoundLayout> = {
  logs: 'log',
  cache: 'cache',
  spares: 'spare',
  special: 'special',
  dedup: 'dedup',
};

/**
 * The vdev tree of each pool in `zpool status [-P]`: under `config:` every line
 * starts with a TAB and each nesting level adds two spaces. Level 0 is the pool
 * (data vdevs follow) or a class header (logs, cache, spares, special, dedup);
 * level 1 a top-level vdev (a group such as raidz2-0, or a single device); level
 * 2 a device of a group; deeper levels the devices of a replacing/spare group.
 * `indirect-N` vdevs (what a device removal leaves behind) hold no data and are skipped.
 */
export function parseZpoolLayouts(text: string): Map<string, FoundLayout> {
  const out = new Map<string, FoundLayout>();
  let pool: string | undefined;
  let layout: FoundLayout | undefined;
  let section: keyof FoundLayout | undefined;
  let vdev: FoundVdev | undefined;
  let slot: string[] | undefined;
  for (const l of zpoolLines(text)) {
    if (l.label === 'pool') {
      pool = l.value;
      layout = { data: [], special: [], dedup: [], log: [], cache: [], spare: [] };
      out.set(pool, layout);
      section = vdev = slot = undefined;
    }
    if (!layout || l.label !== undefined) continue;
    const { name, level } = l;
    if (level === 0) {
      section = name === pool ? 'data' : CLASS[name];
      vdev = slot = undefined;
      continue;
    }
    if (!section) continue;
    if (level === 1) {
      vdev = slot = undefined;
      if (/^indirect-\d+$/.test(name)) continue;
      const group = VDEV_GROUP.exec(name);
      if (section === 'cache' || section === 'spare') {
        slot = SLOT_GROUP.test(name) ? [] : [name];
        layout[section].push(slot);
      } else if (group) {
        vdev = { type: group[1] === 'raidz' ? 'raidz1' : group[1]!, slots: [] };
        layout[section].push(vdev);
      } else {
        slot = SLOT_GROUP.test(name) ? [] : [name];
        layout[section].push({ type: 'stripe', slots: [slot] });
      }
      continue;
    }
    if (level === 2 && vdev) {
      slot = SLOT_GROUP.test(name) ? [] : [name];
      vdev.slots.push(slot);
      continue;
    }
    // a device of a replacing/spare group
    if (slot && !SLOT_GROUP.test(name)) slot.push(name);
  }
  return out;
}

// ── mount -p (illumos vfstab form, FreeBSD fstab form) ──────────────────────

export interface MountEntry {
  device: string;
  mountpoint: string;
  fstype: string;
}

/**
 * illumos `mount -p` prints vfstab lines: `special fsckdev mountpoint fstype pass automnt opts`;
 * FreeBSD prints fstab lines: `special mountpoint fstype opts dump pass`.
 */
export function parseMountP(text: string, form: 'vfstab' | 'fstab'): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const f = t.split(/\s+/);
    if (form === 'vfstab') {
      if (f.length < 4) continue;
      out.push({ device: f[0]!, mountpoint: f[2]!, fstype: f[3]! });
    } else {
      if (f.length < 3) continue;
      out.push({ device: f[0]!, mountpoint: f[1]!, fstype: f[2]! });
    }
  }
  return out;
}

/** The pool that holds `/`, when the root file system is a ZFS dataset. */
export function rootPool(mounts: readonly MountEntry[]): string | undefined {
  const root = mounts.filter((m) => m.mountpoint === '/').pop();
  if (root && root.fstype === 'zfs') return root.device.split('/')[0];
  return undefined;
}

/** Pool membership of each disk, attributed by a name-mapping function. */
export interface PoolUse {
  pool: string;
  /** The device as the pool lists it. */
  device: string;
}
