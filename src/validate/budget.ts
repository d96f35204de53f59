/**
 * The space budget of the dataset tree: quotas and reservations must fit
 * inside their ancestors' quotas, and the space reserved in a pool must fit in
 * the pool (when the disks' sizes are known).
 *
 * A dataset's reservation covers itself and its descendants; a volume reserves
 * its size (the refreservation `zfs create -V` sets). So the space a subtree
 * takes for sure is max(own reservation, volume size, what its children take).
 */
import { formatSize } from '../schema/size.js';
import { formatPath } from '../schema/diagnostics.js';
import { poolCapacity } from './capacity.js';
import type { Ctx, DatasetEntry } from './context.js';

function parentName(name: string): string | undefined {
  const i = name.lastIndexOf('/');
  return i > 0 ? name.slice(0, i) : undefined;
}

/**
 * `byName`: the first declaration of each dataset name in `ctx.datasets` (a
 * name declared twice is reported by the caller, which builds this map anyway).
 */
export function checkBudget(ctx: Ctx, byName: ReadonlyMap<string, DatasetEntry>): void {
  const r = ctx.report;

  const nearestDeclaredAncestor = (name: string): DatasetEntry | undefined => {
    for (let p = parentName(name); p !== undefined; p = parentName(p)) {
      const e = byName.get(p);
      if (e) return e;
    }
    return undefined;
  };
  const children = new Map<string, DatasetEntry[]>();
  const roots: DatasetEntry[] = [];
  for (const e of byName.values()) {
    const parent = nearestDeclaredAncestor(e.name);
    if (parent) {
      const list = children.get(parent.name);
      if (list) list.push(e);
      else children.set(parent.name, [e]);
    } else roots.push(e);
  }
  const NO_CHILDREN: readonly DatasetEntry[] = [];
  const childrenOf = (e: DatasetEntry) => children.get(e.name) ?? NO_CHILDREN;

  // Space each subtree takes for sure.
  const taken = new Map<string, number>();
  const takenBy = (e: DatasetEntry): number => {
    const kids = children.get(e.name);
    // A leaf takes what it reserves; only subtrees are worth remembering.
    if (!kids) return Math.max(e.reservation ?? 0, e.volumeSize ?? 0, 0);
    const known = taken.get(e.name);
    if (known !== undefined) return known;
    let below = 0;
    for (let i = 0; i < kids.length; i++) below += takenBy(kids[i]!);
    const t = Math.max(e.reservation ?? 0, e.volumeSize ?? 0, below);
    taken.set(e.name, t);
    return t;
  };

  const where = (limit: DatasetEntry) => `${limit.name} (${formatPath(limit.path)})`;
  // `limit`: the ancestor with the smallest quota (its quota is the limit).
  const walk = (e: DatasetEntry, limit: DatasetEntry | undefined) => {
    const own = Math.max(e.reservation ?? 0, e.volumeSize ?? 0);
    if (e.quota !== undefined && e.reservation !== undefined && e.reservation > e.quota)
      r.error(
        [...e.path, 'reservation'],
        `the reservation (${formatSize(e.reservation)}) is larger than this dataset's quota (${formatSize(e.quota)})`,
        'lower the reservation or raise the quota',
      );
    if (limit) {
      const bytes = limit.quota!;
      if (own > bytes)
        r.error(
          e.volumeSize !== undefined && e.volumeSize >= (e.reservation ?? 0)
            ? [...e.path, 'dataset_type', 'volume', 'size']
            : [...e.path, 'reservation'],
          `${e.volumeSize !== undefined && e.volumeSize >= (e.reservation ?? 0) ? `the volume size` : 'the reservation'} (${formatSize(own)}) is larger than the quota of ${where(limit)}, ${formatSize(bytes)}`,
          `lower it, or raise the quota of ${limit.name}`,
        );
      if (e.quota !== undefined && e.quota > bytes)
        r.warning(
          [...e.path, 'quota'],
          `the quota (${formatSize(e.quota)}) is larger than the quota of ${where(limit)}, ${formatSize(bytes)}, so it can never be reached`,
          `lower it to at most ${formatSize(bytes)}, or raise the quota of ${limit.name}`,
        );
    }
    const kids = childrenOf(e);
    if (e.quota !== undefined && kids.length > 1) {
      const sum = kids.reduce((a, c) => a + takenBy(c), 0);
      if (sum > e.quota && kids.every((c) => takenBy(c) <= e.quota!))
        r.error(
          [...e.path, 'quota'],
          `the datasets below reserve ${formatSize(sum)} in total, more than this quota of ${formatSize(e.quota)}`,
          'raise the quota, or lower the reservations below it',
        );
    }
    const next = e.quota !== undefined && (!limit || e.quota < limit.quota!) ? e : limit;
    for (let i = 0; i < kids.length; i++) walk(kids[i]!, next);
  };
  for (const root of roots) walk(root, undefined);

  // Reservations against the pool's capacity.
  for (const [name, { pool, path }] of ctx.pools) {
    if (pool.pool_type !== 'zpool') continue;
    const cap = poolCapacity(pool, ctx.disks);
    if (!cap.complete || cap.usableBytes === undefined || cap.vdevs.length === 0) continue;
    const inPool = roots.filter((e) => e.name.split('/')[0] === name);
    const sum = inPool.reduce((a, e) => a + takenBy(e), 0);
    if (sum > cap.usableBytes)
      r.warning(
        path,
        `the datasets of pool "${name}" reserve ${formatSize(sum)} (reservations and volume sizes), more than its usable capacity of about ${formatSize(cap.usableBytes)}`,
        'lower reservations or volume sizes, or add disks to the pool',
      );
  }
}
