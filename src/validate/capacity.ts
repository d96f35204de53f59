/**
 * Pool capacity from its topology and the sizes of its disks — shared by
 * validation (reservations beyond capacity) and the TUI (what a layout means).
 *
 * The model is the usual back-of-envelope one, before metadata, padding and
 * slop space (real usable space is a few percent lower):
 * - stripe: every device is its own top-level vdev; usable = sum, survives 0 failures;
 * - mirror of n: usable = the smallest member; survives n − 1 failures;
 * - raidzN of n: usable = (n − N) × the smallest member; survives N failures.
 * A pool's usable space is the sum over its data vdevs. The number of disk
 * failures it is guaranteed to survive is the minimum over its data vdevs and
 * its special/dedup vdevs (losing one of those loses the pool too). Log, cache
 * and spare devices add no capacity and do not count; special and dedup vdevs
 * hold metadata and dedup tables, so they count for redundancy only.
 */
import type { PoolConfig, VdevConfig, VdevType } from '../schema/config.js';
import type { PathSegment } from '../schema/diagnostics.js';
import type { Disk } from '../disks/types.js';
import { formatSize } from '../schema/size.js';
import { DiskIndex, deviceCount, deviceSize } from './devices.js';

export interface VdevCapacity {
  /** Where it is, relative to the pool: `['topology', 'data', 0]` or `['devices']`. */
  path: PathSegment[];
  role: 'data' | 'special' | 'dedup';
  vdevType: VdevType;
  /** Number of disks (selectors with `count` stand for several). */
  width: number;
  /** Disk failures this vdev survives. */
  failuresSurvived: number;
  /** Sizes; undefined when a member's size is not known. */
  rawBytes: number | undefined;
  usableBytes: number | undefined;
}

export interface CapacityWarning {
  path: PathSegment[];
  message: string;
}

export interface PoolCapacity {
  /** Sum of the sizes of all data disks; undefined when one is unknown. */
  rawBytes: number | undefined;
  /** Space for data after redundancy; undefined when a data disk's size is unknown. */
  usableBytes: number | undefined;
  /** Disk failures the pool is guaranteed to survive (0 for a pool without redundancy). */
  failuresSurvived: number;
  /** Whether every data disk's size was known. */
  complete: boolean;
  vdevs: VdevCapacity[];
  /** E.g. disks of different sizes inside one vdev (the larger ones are partly unused). */
  warnings: CapacityWarning[];
}

export const PARITY: Record<VdevType, number> = {
  stripe: 0,
  mirror: 0,
  raidz: 1,
  raidz1: 1,
  raidz2: 2,
  raidz3: 3,
};

function measureVdev(
  vdev: VdevConfig,
  path: PathSegment[],
  role: VdevCapacity['role'],
  index: DiskIndex | undefined,
  warnings: CapacityWarning[],
): VdevCapacity {
  const sizes: (number | undefined)[] = [];
  for (const ref of vdev.devices) {
    const size = deviceSize(ref, index);
    for (let i = 0; i < deviceCount(ref); i++) sizes.push(size);
  }
  const width = sizes.length;
  const known = sizes.every((s): s is number => s !== undefined);
  const t = vdev.vdev_type;
  const failuresSurvived =
    width === 0
      ? 0
      : t === 'stripe'
        ? 0
        : t === 'mirror'
          ? width - 1
          : Math.min(PARITY[t], width - 1);
  let rawBytes: number | undefined;
  let usableBytes: number | undefined;
  if (known) {
    const s = sizes as number[];
    rawBytes = s.reduce((a, b) => a + b, 0);
    const smallest = width ? Math.min(...s) : 0;
    const largest = width ? Math.max(...s) : 0;
    if (t === 'stripe') usableBytes = rawBytes;
    else if (t === 'mirror') usableBytes = smallest;
    else usableBytes = Math.max(0, width - PARITY[t]) * smallest;
    // A percent of difference is normal between models of the "same" size.
    if (t !== 'stripe' && width > 1 && largest > smallest * 1.01)
      warnings.push({
        path,
        message: `this ${t} mixes disk sizes from ${formatSize(smallest)} to ${formatSize(largest)}: every disk counts as ${formatSize(smallest)}, so ${formatSize(s.reduce((a, b) => a + b - smallest, 0))} stay unused (zpool create wants -f)`,
      });
  }
  return { path, role, vdevType: t, width, failuresSurvived, rawBytes, usableBytes };
}

/**
 * Capacity of one pool. `disks` are the detected (or recorded) disks; device
 * selectors that carry `size_bytes` need none. LVM pools are a linear
 * concatenation of their devices.
 */
/**
 * One vdev on its own (e.g. while it is being built in the TUI): its width,
 * usable space and the failures it survives, and a warning for mixed sizes.
 */
export function vdevCapacity(
  vdev: VdevConfig,
  disks?: DiskIndex | readonly Disk[],
): VdevCapacity & { warnings: string[] } {
  const index =
    disks === undefined ? undefined : disks instanceof DiskIndex ? disks : new DiskIndex(disks);
  const warnings: CapacityWarning[] = [];
  const v = measureVdev(vdev, [], 'data', index, warnings);
  return { ...v, warnings: warnings.map((w) => w.message) };
}

export function poolCapacity(pool: PoolConfig, disks?: DiskIndex | readonly Disk[]): PoolCapacity {
  const index =
    disks === undefined ? undefined : disks instanceof DiskIndex ? disks : new DiskIndex(disks);
  const warnings: CapacityWarning[] = [];
  const vdevs: VdevCapacity[] = [];
  const topo = pool.topology;
  if (topo && topo.data.length > 0) {
    topo.data.forEach((v, i) =>
      vdevs.push(measureVdev(v, ['topology', 'data', i], 'data', index, warnings)),
    );
  } else if (pool.devices.length > 0) {
    vdevs.push(
      measureVdev(
        { vdev_type: 'stripe', devices: pool.devices },
        ['devices'],
        'data',
        index,
        warnings,
      ),
    );
  }
  if (pool.pool_type === 'zpool' && topo) {
    topo.special.forEach((v, i) =>
      vdevs.push(measureVdev(v, ['topology', 'special', i], 'special', index, warnings)),
    );
    topo.dedup.forEach((v, i) =>
      vdevs.push(measureVdev(v, ['topology', 'dedup', i], 'dedup', index, warnings)),
    );
  }
  const data = vdevs.filter((v) => v.role === 'data');
  const complete = data.every((v) => v.rawBytes !== undefined);
  const sum = (pick: (v: VdevCapacity) => number | undefined) =>
    complete ? data.reduce((a, v) => a + (pick(v) ?? 0), 0) : undefined;
  const failuresSurvived =
    pool.pool_type === 'lvm' || vdevs.length === 0
      ? 0
      : Math.min(...vdevs.map((v) => v.failuresSurvived));
  return {
    rawBytes: sum((v) => v.rawBytes),
    usableBytes: sum((v) => v.usableBytes),
    failuresSurvived,
    complete,
    vdevs,
    warnings,
  };
}
