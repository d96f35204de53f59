/**
 * Disk selectors: a vdev device may be a path or a DiskSelector object
 * (`{serial}`, `{wwn}`, `{model: "glob*", vendor, size_min, size_max, type,
 * transport, count}`). `resolveDiskSelectors` replaces each selector with
 * `count` (default 1) distinct FREE disks, written as `{path, serial, wwn,
 * size_bytes}` so that the identity of the chosen disk is recorded and apply can
 * re-check it. Pure.
 *
 * Rules (deterministic: the same config and disks always give the same picks):
 * - A disk is a candidate when it matches every field given, has no in-use
 *   reason, is not named by path anywhere in the config, and was not picked by an
 *   earlier selector.
 * - Selectors that name one disk exactly (`serial`, `wwn`) are resolved first,
 *   so that a vaguer selector earlier in the document cannot take their disk;
 *   the others are resolved in document order (pools in order; in each pool
 *   `devices`, then topology data, log, cache, special, dedup, spare).
 * - Candidates are taken in natural name order (sda, sdb, …; loop2 before loop10).
 * - With `count: N`, the selector takes the first N candidates; fewer than N is
 *   an error. More than N is fine: `count` says "any N of these".
 * - Without `count`, a selector must have exactly one candidate: more than one
 *   is ambiguous (an error that lists them and suggests `count` or `serial`).
 * - Glob fields (`model`, `vendor`) match the whole value, case-insensitively,
 *   with `*` and `?`. `serial` is exact; `wwn` ignores case and a leading `0x`.
 *   `type: "ssd"` needs `ssd: true`, `type: "hdd"` needs `rotational: true`.
 *   Sizes use binary units (100G = 100 GiB), bounds inclusive.
 * - An object that has a `path` is not a selector: it is a device with its
 *   recorded identity, checked against the disk found at that path.
 */
import type { DeviceRef, DiskSelector, UnifiedConfig } from '../schema/config.js';
import { type Diagnostic, type PathSegment, formatPath } from '../schema/diagnostics.js';
import { formatSize, parseSize } from '../schema/size.js';
import { naturalCompare, normalizeWwn } from './common.js';
import type { Disk } from './types.js';

/** A device recorded with its identity, as Slipway writes it. */
export interface ResolvedDevice {
  path: string;
  serial?: string;
  wwn?: string;
  size_bytes: number;
}

export interface SelectorPick {
  /** JSON path of the selector in the input config. */
  path: string;
  selector: DiskSelector;
  /** The disks it took (empty when it could not be resolved). */
  disks: Disk[];
  /** Set when it could not be resolved. */
  error?: string | undefined;
}

export interface ResolveResult {
  /** The config with every resolvable selector replaced (a copy; the input is not changed). */
  config: UnifiedConfig;
  diagnostics: Diagnostic[];
  picks: SelectorPick[];
}

export interface ResolveOptions {
  /**
   * Also report devices named by path that are in use, or whose recorded
   * identity does not match the disk at that path (default true). A disk named
   * twice is not reported here: validation reports it.
   */
  checkNamed?: boolean;
  /**
   * Count a disk that is in use only as a member of the very pool the selector
   * belongs to as free for it, before any other (default false). Apply sets this:
   * re-running a preseed after its pool was created must pick the same disks.
   */
  ownPoolDisksFree?: boolean;
}

/** True for a selector object (no `path`): it has to be resolved against the disks. */
export function isSelector(ref: DeviceRef): ref is DiskSelector {
  return typeof ref === 'object' && ref !== null && ref.path === undefined;
}

/** The path a device entry names: the string itself, or the `path` of a recorded device; undefined for a selector. */
export function devicePathOf(ref: DeviceRef): string | undefined {
  return typeof ref === 'string' ? ref : ref.path;
}

/** The detected disk a device path names (its path, a by-id link, its name, /dev/dsk or /dev/rdsk form). */
export function findDiskByPath(path: string, disks: readonly Disk[]): Disk | undefined {
  const p = path.trim();
  return disks.find(
    (d) =>
      d.path === p ||
      d.name === p ||
      d.by_id.includes(p) ||
      `/dev/${d.name}` === p ||
      `/dev/dsk/${d.name}` === p ||
      `/dev/rdsk/${d.name}` === p ||
      (p.startsWith('/dev/disk/by-id/') && d.by_id.some((b) => b.endsWith('/' + p.slice(16)))),
  );
}

function globRegex(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** A selector in words: `model "Samsung*", size ≥ 100G, ssd`. */
export function describeSelector(s: DiskSelector): string {
  const parts: string[] = [];
  if (s.serial !== undefined) parts.push(`serial ${JSON.stringify(s.serial)}`);
  if (s.wwn !== undefined) parts.push(`wwn ${s.wwn}`);
  if (s.model !== undefined) parts.push(`model ${JSON.stringify(s.model)}`);
  if (s.vendor !== undefined) parts.push(`vendor ${JSON.stringify(s.vendor)}`);
  if (s.size_min !== undefined) parts.push(`size ≥ ${s.size_min}`);
  if (s.size_max !== undefined) parts.push(`size ≤ ${s.size_max}`);
  if (s.type !== undefined) parts.push(s.type);
  if (s.transport !== undefined) parts.push(`transport ${s.transport}`);
  if (s.count !== undefined) parts.push(`count ${s.count}`);
  return parts.length ? parts.join(', ') : 'any disk';
}

interface Criteria {
  test(d: Disk): boolean;
}

/** Compile a selector; problems with its own fields are returned with their relative path. */
export function compileSelector(s: DiskSelector): {
  criteria?: Criteria;
  problems: { field: string; message: string; hint: string }[];
} {
  const problems: { field: string; message: string; hint: string }[] = [];
  const min = s.size_min === undefined ? undefined : parseSize(s.size_min);
  const max = s.size_max === undefined ? undefined : parseSize(s.size_max);
  if (s.size_min !== undefined && min === undefined)
    problems.push({
      field: 'size_min',
      message: `"${s.size_min}" is not a size`,
      hint: 'write it like "100G", "1.5T" or "500M" (binary units)',
    });
  if (s.size_max !== undefined && max === undefined)
    problems.push({
      field: 'size_max',
      message: `"${s.size_max}" is not a size`,
      hint: 'write it like "100G", "1.5T" or "500M" (binary units)',
    });
  if (min !== undefined && max !== undefined && min > max)
    problems.push({
      field: 'size_min',
      message: `size_min ${s.size_min} is larger than size_max ${s.size_max}`,
      hint: 'swap them',
    });
  if ((s.serial !== undefined || s.wwn !== undefined) && (s.count ?? 1) > 1)
    problems.push({
      field: 'count',
      message: `count ${s.count} with ${s.serial !== undefined ? 'serial' : 'wwn'}: a serial or WWN names one disk`,
      hint: 'remove "count", or list each disk with its own serial',
    });
  if (problems.length) return { problems };
  const model = s.model === undefined ? undefined : globRegex(s.model);
  const vendor = s.vendor === undefined ? undefined : globRegex(s.vendor);
  const wwn = s.wwn === undefined ? undefined : normalizeWwn(s.wwn);
  const transport = s.transport?.toLowerCase();
  return {
    problems,
    criteria: {
      test: (d) =>
        (s.serial === undefined || d.serial === s.serial.trim()) &&
        (wwn === undefined || (d.wwn !== null && normalizeWwn(d.wwn) === wwn)) &&
        (model === undefined || (d.model !== null && model.test(d.model))) &&
        (vendor === undefined || (d.vendor !== null && vendor.test(d.vendor))) &&
        (min === undefined || d.size_bytes >= min) &&
        (max === undefined || d.size_bytes <= max) &&
        (s.type === undefined || (s.type === 'ssd' ? d.ssd === true : d.rotational === true)) &&
        (transport === undefined || d.transport?.toLowerCase() === transport),
    },
  };
}

/** Every device list of the config's pools, with its JSON path. */
function deviceLists(config: UnifiedConfig): { at: PathSegment[]; list: DeviceRef[] }[] {
  const out: { at: PathSegment[]; list: DeviceRef[] }[] = [];
  config.storage.pools.forEach((pool, i) => {
    const base: PathSegment[] = ['storage', 'pools', i];
    out.push({ at: [...base, 'devices'], list: pool.devices });
    const t = pool.topology;
    if (!t) return;
    for (const cls of ['data', 'log', 'cache', 'special', 'dedup'] as const)
      t[cls].forEach((v, k) =>
        out.push({ at: [...base, 'topology', cls, k, 'devices'], list: v.devices }),
      );
    out.push({ at: [...base, 'topology', 'spare'], list: t.spare });
  });
  return out;
}

/** In use only as a member of `pool` (zpool status; FreeBSD also reports such a disk open). */
function inOwnPool(d: Disk, pool: string | undefined): boolean {
  if (pool === undefined) return false;
  const member = d.in_use.some((u) => u.reason === 'zpool' && u.detail === pool);
  return (
    member &&
    d.in_use.every((u) => (u.reason === 'zpool' && u.detail === pool) || u.reason === 'open')
  );
}

function disksLine(disks: readonly Disk[]): string {
  return disks
    .map((d) => `${d.name} ${formatSize(d.size_bytes)}${d.model ? ` "${d.model}"` : ''}`)
    .join(', ');
}

function identityOf(d: Disk): ResolvedDevice {
  return {
    path: d.path,
    ...(d.serial ? { serial: d.serial } : {}),
    ...(d.wwn ? { wwn: d.wwn } : {}),
    size_bytes: d.size_bytes,
  };
}

/** Differences between a recorded identity and the disk found, in words (empty when it matches). */
export function identityDifferences(
  recorded: {
    serial?: string | undefined;
    wwn?: string | undefined;
    size_bytes?: number | undefined;
  },
  disk: Disk,
): string[] {
  const diffs: string[] = [];
  if (recorded.serial !== undefined && recorded.serial !== disk.serial)
    diffs.push(`serial is ${disk.serial ?? 'unknown'}, recorded ${recorded.serial}`);
  if (
    recorded.wwn !== undefined &&
    (disk.wwn === null || normalizeWwn(recorded.wwn) !== normalizeWwn(disk.wwn))
  )
    diffs.push(`wwn is ${disk.wwn ?? 'unknown'}, recorded ${recorded.wwn}`);
  if (recorded.size_bytes !== undefined && recorded.size_bytes !== disk.size_bytes)
    diffs.push(`size is ${disk.size_bytes} bytes, recorded ${recorded.size_bytes}`);
  return diffs;
}

function inUseText(d: Disk): string {
  return d.in_use.map((u) => `${u.reason} ${u.detail}`).join('; ');
}

/**
 * Replace every disk selector in the config's pools with distinct free disks.
 * Pure: the input config is not modified. Nested configs (zones, jails,
 * containers) have no pools and are left alone.
 */
export function resolveDiskSelectors(
  config: UnifiedConfig,
  disks: readonly Disk[],
  options: ResolveOptions = {},
): ResolveResult {
  const checkNamed = options.checkNamed ?? true;
  const diagnostics: Diagnostic[] = [];
  const out = structuredClone(config);
  const sorted = [...disks].sort((a, b) => naturalCompare(a.name, b.name));
  const lists = deviceLists(out);

  // 1. Disks named by path are reserved (and checked).
  const reservedBy = new Map<string, string>();
  for (const { at, list } of lists)
    list.forEach((ref, j) => {
      const devPath = devicePathOf(ref);
      if (devPath === undefined) return;
      const disk = findDiskByPath(devPath, sorted);
      const here = formatPath([...at, j]);
      if (!disk) return;
      // The same disk named twice is validation's finding (src/validate/storage.ts).
      if (!reservedBy.has(disk.name)) reservedBy.set(disk.name, here);
      if (!checkNamed) return;
      if (disk.in_use.length)
        diagnostics.push({
          severity: 'error',
          path: here,
          message: `${devPath} (${disk.name}) is in use: ${inUseText(disk)}`,
          hint: 'pick a free disk ("slipway disks" lists them), or free this one first',
        });
      if (typeof ref === 'object') {
        const diffs = identityDifferences(ref, disk);
        if (diffs.length)
          diagnostics.push({
            severity: 'error',
            path: here,
            message: `the disk at ${devPath} is not the one recorded: ${diffs.join('; ')}`,
            hint: 'the disks changed since the config was written: review it again ("slipway disks")',
          });
      }
    });

  // 2. Selectors: exact ones first, then document order.
  interface Slot {
    at: PathSegment[];
    index: number;
    selector: DiskSelector;
    order: number;
  }
  const slots: Slot[] = [];
  for (const { at, list } of lists)
    list.forEach((ref, j) => {
      if (isSelector(ref)) slots.push({ at, index: j, selector: ref, order: slots.length });
    });
  const exact = (s: DiskSelector) => s.serial !== undefined || s.wwn !== undefined;
  slots.sort((a, b) => Number(exact(b.selector)) - Number(exact(a.selector)) || a.order - b.order);

  const taken = new Map<string, string>();
  const picks = new Map<Slot, SelectorPick>();
  for (const slot of slots) {
    const here = formatPath([...slot.at, slot.index]);
    const pick: SelectorPick = { path: here, selector: slot.selector, disks: [] };
    picks.set(slot, pick);
    const fail = (message: string, hint: string, path = here) => {
      pick.error = message;
      diagnostics.push({ severity: 'error', path, message, hint });
    };
    const { criteria, problems } = compileSelector(slot.selector);
    if (!criteria) {
      for (const p of problems) fail(p.message, p.hint, `${here}.${p.field}`);
      continue;
    }
    const matching = sorted.filter((d) => criteria.test(d));
    const available = (d: Disk) => !reservedBy.has(d.name) && !taken.has(d.name);
    // Optionally, a disk already in this very pool counts as free for it, and
    // comes first: re-running a preseed after its pool was created picks the same disks.
    const poolName = options.ownPoolDisksFree
      ? out.storage.pools[slot.at[2] as number]?.name
      : undefined;
    const own = matching.filter((d) => available(d) && inOwnPool(d, poolName));
    const free = [...own, ...matching.filter((d) => available(d) && !d.in_use.length)];
    const want = slot.selector.count ?? 1;
    if (own.length >= want) {
      pick.disks = own.slice(0, want);
      for (const d of pick.disks) taken.set(d.name, here);
      continue;
    }
    const what = describeSelector(slot.selector);
    if (free.length === 0 || free.length < want) {
      const busy = matching.filter((d) => !free.includes(d));
      const why = busy
        .map((d) =>
          d.in_use.length
            ? `${d.name} is in use (${inUseText(d)})`
            : `${d.name} is already used at ${reservedBy.get(d.name) ?? taken.get(d.name)}`,
        )
        .join('; ');
      const n = free.length;
      fail(
        n
          ? `${what}: only ${n} free disk${n === 1 ? '' : 's'} match${n === 1 ? 'es' : ''} (${free.map((d) => d.name).join(', ')})`
          : `no free disk matches ${what}`,
        busy.length
          ? `matching but not free: ${why}`
          : sorted.length
            ? `disks on this machine: ${disksLine(sorted)}`
            : 'no disks were detected',
      );
      continue;
    }
    if (slot.selector.count === undefined && free.length > 1) {
      fail(
        `${what} is ambiguous: it matches ${free.length} free disks (${free.map((d) => d.name).join(', ')})`,
        `add "count": ${free.length} to take them all (in name order) or "count": 1 for the first, or pin one disk with "serial" or "wwn"`,
      );
      continue;
    }
    pick.disks = free.slice(0, want);
    for (const d of pick.disks) taken.set(d.name, here);
  }

  // 3. Write the picks back, expanding `count`.
  for (const { at, list } of lists) {
    const replaced: DeviceRef[] = [];
    list.forEach((ref, j) => {
      const slot = slots.find((s) => s.at === at && s.index === j);
      const pick = slot && picks.get(slot);
      if (pick && pick.disks.length) replaced.push(...pick.disks.map(identityOf));
      else replaced.push(ref);
    });
    list.splice(0, list.length, ...replaced);
  }
  return {
    config: out,
    diagnostics: diagnostics.sort((a, b) => naturalCompare(a.path, b.path)),
    picks: [...picks.values()].sort((a, b) => naturalCompare(a.path, b.path)),
  };
}

/**
 * Record the identity (serial, wwn, size) of every device named by a plain path
 * that is a detected disk: `"/dev/sdb"` → `{path: "/dev/sdb", serial, wwn,
 * size_bytes}`. Used when Slipway writes a config (`slipway plan --resolve`,
 * the TUI). Paths that are not detected disks (files, partitions) stay as they
 * are. Pure.
 */
export function recordDiskIdentity(config: UnifiedConfig, disks: readonly Disk[]): UnifiedConfig {
  const out = structuredClone(config);
  for (const { list } of deviceLists(out))
    list.forEach((ref, j) => {
      const devPath = devicePathOf(ref);
      if (devPath === undefined) return;
      const disk = findDiskByPath(devPath, disks);
      if (!disk) return;
      const identity = identityOf(disk);
      list[j] = { ...identity, ...(typeof ref === 'object' ? ref : {}), path: devPath };
    });
  return out;
}
