/**
 * The space budget of the dataset tree: quotas and reservations must fit
 * inside their ancestors' quotas, and the space reserved in a pool must fit in
 * the pool (when the disks' sizes are known). Also where dataset names are
 * found unique across the whole document (nested configs included).
 *
 * A dataset's reservation covers itself and its descendants; a volume reserves
 * its size (the refreservation `zfs create -V` sets). So the space a subtree
 * takes for sure is max(own reservation, volume size, what its children take).
 *
 * A dataset's ancestors are the datasets declared under the names its name
 * starts with, wherever they are declared. In the usual document that is
 * exactly the tree as written: every child is one level below its parent, no
 * top-level dataset is below (or the same as) another one, and siblings have
 * different names. Then no name can be declared twice, and the budget is
 * worked out in the walk that checks the datasets (storage.ts's checkDataset,
 * with the helpers here). Only a document where that is not so gets an entry
 * with its path for every declaration and an index of them by name
 * (`checkDeclarations`): for 10,000 datasets those entries, their paths, the
 * index and the maps of the tree were 3.5 MB kept alive through the checks,
 * promoted to the old generation (fresh pages: ~1,000 page faults), and the
 * second walk took about as long as the first.
 */
import type { DatasetConfig } from '../schema/config.js';
import { formatSize, isNone, parseSize } from '../schema/size.js';
import { formatPath } from '../schema/diagnostics.js';
import { poolCapacity } from './capacity.js';
import type { BudgetWalk, Ctx, DatasetEntry, DatasetList } from './context.js';
import type { Path, Report } from './report.js';

/**
 * Dataset names unique, and the space budget. The budget of the usual document
 * was worked out while its datasets were checked (storage.ts, with the helpers
 * below); what is left here is to confirm that the document is of that shape.
 */
export function checkDatasets(ctx: Ctx): void {
  const b = ctx.budget;
  if (b.regular && topsIndependent(b.tops)) {
    for (const d of b.report.diagnostics) ctx.report.diagnostics.push(d);
    for (const pool of capacityPools(ctx)) {
      let sum = 0;
      for (let i = 0; i < b.tops.length; i++)
        if (b.tops[i]!.name.split('/')[0] === pool.name) sum += b.taken[i]!;
      poolReservations(ctx.report, pool, sum);
    }
    return;
  }
  checkDeclarations(ctx);
}

/**
 * No top-level dataset is below or the same as another one: then no top-level
 * dataset has an ancestor declared anywhere (its tree's root would be one).
 */
function topsIndependent(tops: readonly DatasetConfig[]): boolean {
  const names = new Set<string>();
  for (let i = 0; i < tops.length; i++) {
    const name = tops[i]!.name;
    if (names.has(name)) return false;
    names.add(name);
  }
  for (const name of names)
    for (let i = name.indexOf('/', 1); i > 0; i = name.indexOf('/', i + 1))
      if (names.has(name.slice(0, i))) return false;
  return true;
}

/** The sizes of `ds` that the budget counts (undefined: none, or not a size). */
function sizeOf(text: string | undefined): number | undefined {
  return text === undefined || isNone(text) ? undefined : parseSize(text);
}

const SLASH = 47;

/**
 * The budget findings of one dataset at `path` itself (against its own quota,
 * and the smallest quota above it); `own` is what it reserves itself.
 */
export function budgetOfDataset(
  b: BudgetWalk,
  path: Path,
  own: number,
  quota: number | undefined,
  reservation: number | undefined,
  volumeSize: number | undefined,
): void {
  const r = b.report;
  if (quota !== undefined && reservation !== undefined && reservation > quota)
    reservationOverQuota(r, path, reservation, quota);
  const limit = b.limit;
  const bytes = b.limitQuota;
  // (the closure only for a finding: this runs for every dataset)
  if (limit && (own > bytes || (quota !== undefined && quota > bytes))) {
    const depth = b.limitDepth;
    overLimit(
      r,
      path,
      own,
      volumeSize,
      reservation,
      quota,
      limit.name,
      bytes,
      () => `${limit.name} (${formatPath(path.slice(0, depth))})`,
    );
  }
}

/**
 * Unless every child of `ds` is one level below it (its name, "/" and a last
 * part) and no two have the same name, the tree as written is not the tree of
 * names: `b.regular` becomes false.
 */
export function checkChildNames(b: BudgetWalk, ds: DatasetConfig): void {
  const name = ds.name;
  const kids = ds.children;
  if (name.length === 0) {
    b.regular = false;
    return;
  }
  for (let k = 0; k < kids.length; k++) {
    const kid = kids[k]!.name;
    if (
      !kid.startsWith(name) ||
      kid.charCodeAt(name.length) !== SLASH ||
      kid.indexOf('/', name.length + 1) >= 0
    ) {
      b.regular = false;
      return;
    }
  }
  if (kids.length > 1) {
    const seen = new Set<string>();
    for (let k = 0; k < kids.length; k++) {
      const kid = kids[k]!.name;
      if (seen.has(kid)) {
        b.regular = false;
        return;
      }
      seen.add(kid);
    }
  }
}

/**
 * After the children of a dataset with a quota: the sum of what they take
 * against it. The finding goes before the children's findings (where a walk
 * from the top would have made it): at `mark`, the report's length before them.
 */
export function childrenAgainstQuota(
  b: BudgetWalk,
  path: Path,
  quota: number,
  sum: number,
  each: boolean,
  mark: number,
): void {
  if (!(sum > quota && each)) return;
  childrenOverQuota(b.report, path, sum, quota);
  const d = b.report.diagnostics;
  d.splice(mark, 0, d.pop()!);
}

function reservationOverQuota(r: Report, path: Path, reservation: number, quota: number): void {
  r.error(
    [...path, 'reservation'],
    `the reservation (${formatSize(reservation)}) is larger than this dataset's quota (${formatSize(quota)})`,
    'lower the reservation or raise the quota',
  );
}

/** A dataset against the smallest quota above it (`limitName`'s, at `where()`). */
function overLimit(
  r: Report,
  path: Path,
  own: number,
  volumeSize: number | undefined,
  reservation: number | undefined,
  quota: number | undefined,
  limitName: string,
  bytes: number,
  where: () => string,
): void {
  if (own > bytes)
    r.error(
      volumeSize !== undefined && volumeSize >= (reservation ?? 0)
        ? [...path, 'dataset_type', 'volume', 'size']
        : [...path, 'reservation'],
      `${volumeSize !== undefined && volumeSize >= (reservation ?? 0) ? `the volume size` : 'the reservation'} (${formatSize(own)}) is larger than the quota of ${where()}, ${formatSize(bytes)}`,
      `lower it, or raise the quota of ${limitName}`,
    );
  if (quota !== undefined && quota > bytes)
    r.warning(
      [...path, 'quota'],
      `the quota (${formatSize(quota)}) is larger than the quota of ${where()}, ${formatSize(bytes)}, so it can never be reached`,
      `lower it to at most ${formatSize(bytes)}, or raise the quota of ${limitName}`,
    );
}

function childrenOverQuota(r: Report, path: Path, sum: number, quota: number): void {
  r.error(
    [...path, 'quota'],
    `the datasets below reserve ${formatSize(sum)} in total, more than this quota of ${formatSize(quota)}`,
    'raise the quota, or lower the reservations below it',
  );
}

/** A pool of this config whose usable capacity is known. */
interface CapacityPool {
  name: string;
  path: Path;
  usableBytes: number;
}

function capacityPools(ctx: Ctx): CapacityPool[] {
  const out: CapacityPool[] = [];
  for (const [name, { pool, path }] of ctx.pools) {
    if (pool.pool_type !== 'zpool') continue;
    const cap = poolCapacity(pool, ctx.disks);
    if (!cap.complete || cap.usableBytes === undefined || cap.vdevs.length === 0) continue;
    out.push({ name, path, usableBytes: cap.usableBytes });
  }
  return out;
}

/** Reservations against the pool's capacity. */
function poolReservations(r: Report, pool: CapacityPool, sum: number): void {
  if (sum > pool.usableBytes)
    r.warning(
      pool.path,
      `the datasets of pool "${pool.name}" reserve ${formatSize(sum)} (reservations and volume sizes), more than its usable capacity of about ${formatSize(pool.usableBytes)}`,
      'lower reservations or volume sizes, or add disks to the pool',
    );
}

// ── any document: every declaration indexed by name ─────────────────────────

/** Every dataset declaration, in document order, with its path. */
function declarations(lists: readonly DatasetList[]): DatasetEntry[] {
  const out: DatasetEntry[] = [];
  const add = (ds: DatasetConfig, path: Path) => {
    const isVolume = typeof ds.dataset_type === 'object';
    out.push({
      name: ds.name,
      path,
      quota: isVolume ? undefined : sizeOf(ds.quota),
      reservation: sizeOf(ds.reservation),
      volumeSize:
        typeof ds.dataset_type === 'object' ? parseSize(ds.dataset_type.volume.size) : undefined,
    });
    ds.children.forEach((c, i) => add(c, [...path, 'children', i]));
  };
  for (const { list, path } of lists) list.forEach((ds, i) => add(ds, [...path, i]));
  return out;
}

function checkDeclarations(ctx: Ctx): void {
  // Dataset names are unique across the whole document, nested configs included.
  const first = new Map<string, DatasetEntry>();
  for (const d of declarations(ctx.datasetLists)) {
    const prev = first.get(d.name);
    if (prev)
      ctx.report.error(
        [...d.path, 'name'],
        `dataset "${d.name}" is already declared at ${formatPath(prev.path)}`,
        'declare each dataset once',
      );
    else first.set(d.name, d);
  }
  checkBudget(ctx, first);
}

function parentName(name: string): string | undefined {
  const i = name.lastIndexOf('/');
  return i > 0 ? name.slice(0, i) : undefined;
}

/**
 * `byName`: the first declaration of each dataset name in `ctx.datasets` (a
 * name declared twice is reported by the caller, which builds this map anyway).
 */
function checkBudget(ctx: Ctx, byName: ReadonlyMap<string, DatasetEntry>): void {
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

  // `limit`: the ancestor with the smallest quota (its quota is the limit).
  const walk = (e: DatasetEntry, limit: DatasetEntry | undefined) => {
    const own = Math.max(e.reservation ?? 0, e.volumeSize ?? 0);
    if (e.quota !== undefined && e.reservation !== undefined && e.reservation > e.quota)
      reservationOverQuota(r, e.path, e.reservation, e.quota);
    if (limit)
      overLimit(
        r,
        e.path,
        own,
        e.volumeSize,
        e.reservation,
        e.quota,
        limit.name,
        limit.quota!,
        () => `${limit.name} (${formatPath(limit.path)})`,
      );
    const kids = childrenOf(e);
    if (e.quota !== undefined && kids.length > 1) {
      const sum = kids.reduce((a, c) => a + takenBy(c), 0);
      if (sum > e.quota && kids.every((c) => takenBy(c) <= e.quota!))
        childrenOverQuota(r, e.path, sum, e.quota);
    }
    const next = e.quota !== undefined && (!limit || e.quota < limit.quota!) ? e : limit;
    for (let i = 0; i < kids.length; i++) walk(kids[i]!, next);
  };
  for (const root of roots) walk(root, undefined);

  // Reservations against the pool's capacity.
  for (const pool of capacityPools(ctx)) {
    const inPool = roots.filter((e) => e.name.split('/')[0] === pool.name);
    poolReservations(
      r,
      pool,
      inPool.reduce((a, e) => a + takenBy(e), 0),
    );
  }
}
