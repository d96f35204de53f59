/**
 * Does a pool that exists have the vdevs the config gives it? apply never
 * changes the vdevs of a pool that exists (zpool add/attach/replace are an
 * operator's decisions), so a pool of the same name with other vdevs is refused
 * instead of being taken as done — datasets would otherwise land on disks
 * nobody reviewed. Pure: device names are compared through `same`.
 */
import type { FoundLayout, FoundVdev } from '../disks/common.js';
import type { PoolLayout, VdevSpec } from '../platform/zfs.js';

type VdevClass = 'data' | 'special' | 'dedup' | 'log';
const CLASSES: readonly VdevClass[] = ['data', 'special', 'dedup', 'log'];
const CLASS_NAME: Record<VdevClass | 'cache' | 'spare', string> = {
  data: 'data vdevs',
  special: 'special vdevs',
  dedup: 'dedup vdevs',
  log: 'log vdevs',
  cache: 'cache devices',
  spare: 'spares',
};

/** A device as the config names it vs. as `zpool status` prints it. */
export type SameDevice = (wanted: string, found: string) => boolean;

interface Wanted {
  type: string;
  devices: string[];
}

/** zpool create makes each device of a stripe its own top-level vdev. */
function topLevel(vdevs: readonly VdevSpec[]): Wanted[] {
  return vdevs.flatMap((v) =>
    v.type === 'stripe'
      ? v.devices.map((d) => ({ type: 'stripe', devices: [d] }))
      : [{ type: v.type === 'raidz' ? 'raidz1' : v.type, devices: v.devices }],
  );
}

/** Assign each wanted device a distinct slot holding it; false when one is left over. */
function fits(devices: readonly string[], slots: readonly string[][], same: SameDevice): boolean {
  if (devices.length !== slots.length) return false;
  const used = new Set<number>();
  for (const d of devices) {
    const i = slots.findIndex((s, k) => !used.has(k) && s.some((f) => same(d, f)));
    if (i < 0) return false;
    used.add(i);
  }
  return true;
}

const showWanted = (v: Wanted) =>
  v.type === 'stripe' ? v.devices[0]! : `${v.type} (${v.devices.join(', ')})`;
const showSlot = (s: readonly string[]) => (s.length === 1 ? s[0]! : `${s.join(' / ')}`);
const showFound = (v: FoundVdev) =>
  v.type === 'stripe'
    ? showSlot(v.slots[0] ?? [])
    : `${v.type} (${v.slots.map(showSlot).join(', ')})`;
const list = (items: string[]) => (items.length ? items.join(', ') : 'none');

/**
 * What differs between the layout the config gives a pool and the pool found,
 * one line per vdev class that differs (empty when they match). Vdevs match
 * regardless of order; devices within a vdev too.
 */
export function layoutDifferences(
  wanted: PoolLayout,
  found: FoundLayout,
  same: SameDevice,
): string[] {
  const out: string[] = [];
  for (const cls of CLASSES) {
    const want = topLevel(wanted[cls]);
    const have = found[cls];
    const used = new Set<number>();
    let ok = want.length === have.length;
    for (const w of want) {
      if (!ok) break;
      const i = have.findIndex(
        (h, k) => !used.has(k) && h.type === w.type && fits(w.devices, h.slots, same),
      );
      if (i < 0) ok = false;
      else used.add(i);
    }
    if (!ok)
      out.push(
        `${CLASS_NAME[cls]}: the config has ${list(want.map(showWanted))}; the pool has ${list(have.map(showFound))}`,
      );
  }
  for (const cls of ['cache', 'spare'] as const) {
    if (!fits(wanted[cls], found[cls], same))
      out.push(
        `${CLASS_NAME[cls]}: the config has ${list([...wanted[cls]])}; the pool has ${list(found[cls].map(showSlot))}`,
      );
  }
  return out;
}

/** Whole-disk vdevs: ZFS labels partition 1 (Linux), slice 0 (illumos). */
function partitionOf(disk: string, name: string): boolean {
  if (!name.startsWith(disk)) return false;
  const rest = name.slice(disk.length);
  if (rest === '-part1' || rest === 's0' || rest === 'p1') return true;
  // sdb → sdb1; a name ending in a digit takes p1 (nvme0n1p1, loop0p1), not 1 (loop1 ≠ loop11)
  return rest === '1' && /[a-z]$/.test(disk);
}

const DEV_PREFIX = /^\/dev\/(r?dsk\/)?/;

/**
 * Compare device names as the config and `zpool status` write them: with or
 * without /dev/ (zpool status without -P prints bare names), through symlinks
 * (`resolve`, e.g. realpath: /dev/disk/by-id/… → /dev/sdb), and a whole disk
 * against the partition ZFS put on it.
 */
export function deviceMatcher(resolve: (path: string) => string | undefined): SameDevice {
  // every wanted device is compared with every slot: resolve each name once
  const known = new Map<string, string[]>();
  const names = (p: string): string[] => {
    let out = known.get(p);
    if (out) return out;
    out = [p.replace(DEV_PREFIX, '')];
    const full = p.startsWith('/') ? p : `/dev/${p}`;
    const real = resolve(full);
    if (real && real !== full) out.push(real.replace(DEV_PREFIX, ''));
    known.set(p, out);
    return out;
  };
  return (wanted, found) => {
    const f = names(found);
    return names(wanted).some((w) => f.some((x) => x === w || partitionOf(w, x)));
  };
}
