/**
 * ZFS command builders shared by illumos, FreeBSD (13+, OpenZFS) and OpenZFS on
 * Linux. Pure: argv arrays only. Where the platforms differ it is said here.
 * Grammar from zpool-create(8), zfs-create(8), zfs-snapshot(8), zfs-send(8),
 * zfs-receive(8) (OpenZFS) and zpool(8)/zfs(8) (illumos); see
 * shared/reference/platform-reference.md §2–3.
 */
import type { Platform } from '../plan/types.js';

/** Properties in order: pairs, or a Map (iterated in insertion order). */
export type Props = Iterable<readonly [string, string]>;
type PropPairs = ReadonlyArray<readonly [string, string]>;

/** One vdev group as zpool's grammar reads it: `mirror a b`, `raidz2 a b c`, or bare devices. */
export interface VdevSpec {
  type: 'stripe' | 'mirror' | 'raidz' | 'raidz1' | 'raidz2' | 'raidz3';
  devices: string[];
}

/** The vdev classes of a pool, in the order they are written on the command line. */
export interface PoolLayout {
  data: VdevSpec[];
  special: VdevSpec[];
  dedup: VdevSpec[];
  log: VdevSpec[];
  cache: string[];
  spare: string[];
}

function vdevWords(v: VdevSpec): string[] {
  return v.type === 'stripe' ? [...v.devices] : [v.type, ...v.devices];
}

/**
 * The vdev part of `zpool create`: data vdevs, then each class keyword once
 * followed by its vdevs (`log mirror a b`, `cache c`, `spare d e`). zpool's
 * parser (construct_spec) takes `special`/`dedup`/`log` once each and reads the
 * groups that follow until the next class keyword; `cache` and `spare` take
 * plain devices only.
 */
export function vdevArgs(layout: PoolLayout): string[] {
  const out: string[] = [];
  for (const v of layout.data) out.push(...vdevWords(v));
  const cls = (keyword: string, vdevs: VdevSpec[]) => {
    if (!vdevs.length) return;
    out.push(keyword);
    for (const v of vdevs) out.push(...vdevWords(v));
  };
  cls('special', layout.special);
  cls('dedup', layout.dedup);
  cls('log', layout.log);
  if (layout.cache.length) out.push('cache', ...layout.cache);
  if (layout.spare.length) out.push('spare', ...layout.spare);
  return out;
}

/**
 * Properties as a plain object, in the order they are passed (a dataset's: the
 * step's probe holds the same object, so thousands of datasets build one
 * object each, not a Map and a copy of it).
 */
export type PropsRecord = Readonly<Record<string, string>>;

/** `name=value`, an argv word. */
export type PropertyWord = (name: string, value: string) => string;

const propertyWord: PropertyWord = (k, v) => `${k}=${v}`;

/** `-o k=v` / `-O k=v` pairs. */
export function optionPairs(flag: string, props: Props, out: string[] = []): string[] {
  // A Map's forEach allocates no [k, v] pair per entry
  if (props instanceof Map)
    (props as ReadonlyMap<string, string>).forEach((v, k) => {
      out.push(flag, `${k}=${v}`);
    });
  else for (const [k, v] of props) out.push(flag, `${k}=${v}`);
  return out;
}

export interface ZpoolCreate {
  pool: string;
  layout: PoolLayout;
  /** Pool properties and `feature@…` (`-o`). */
  poolProps: PropPairs;
  /** Root dataset properties (`-O`). */
  fsProps: Props;
  /** zpool refuses mixed redundancy / raidz widths without it. */
  force: boolean;
}

/**
 * `zpool create [-f] [-B] [-o p=v]… [-O p=v]… POOL vdev…`.
 * illumos: a `bootsize` pool property only makes sense with `-B` (whole-disk
 * pool with an EFI system partition); zpool(8) says bootsize is used with -B,
 * so `-B` is added when bootsize is given. Other platforms have no -B.
 */
export function zpoolCreateArgv(platform: Platform, c: ZpoolCreate): string[] {
  const boot = platform === 'illumos' && c.poolProps.some(([k]) => k === 'bootsize');
  return [
    'zpool',
    'create',
    ...(c.force ? ['-f'] : []),
    ...(boot ? ['-B'] : []),
    ...optionPairs('-o', c.poolProps),
    ...optionPairs('-O', c.fsProps),
    c.pool,
    ...vdevArgs(c.layout),
  ];
}

export function zpoolSetArgv(pool: string, name: string, value: string): string[] {
  return ['zpool', 'set', `${name}=${value}`, pool];
}

/** A volume: `-V size [-b volblocksize]`. Thick (refreservation = size) as zfs(8) does by default. */
export type ZfsVolume = { size: string; blockSize?: string | undefined } | undefined;

/**
 * `zfs create [-p] -o p=v… NAME` or `zfs create [-p] -V SIZE [-b BS] -o p=v… NAME`.
 * `-u` (do not mount) exists only in OpenZFS, so it is never used: a created file
 * system mounts at once on every platform, which the later steps rely on.
 * `parents`: `-p`, create missing parents (their -o properties are not applied
 * to them). `word` makes the `k=v` words (a plan of thousands of datasets shares
 * the repeated ones). The fields are arguments (no object made for each of
 * thousands of datasets), and the array is made at its final length and filled
 * in place: pushed to, it grew to room for ~20 words, and was copied to its
 * length to be kept (each argv lives as long as the plan).
 */
export function zfsCreateArgv(
  name: string,
  parents: boolean,
  props: PropsRecord,
  volume?: ZfsVolume,
  word: PropertyWord = propertyWord,
): string[] {
  let n = 0;
  for (const _k in props) n++;
  const head = 2 + (parents ? 1 : 0) + (volume ? (volume.blockSize ? 4 : 2) : 0);
  const argv = new Array<string>(head + 2 * n + 1);
  let i = 0;
  argv[i++] = 'zfs';
  argv[i++] = 'create';
  if (parents) argv[i++] = '-p';
  if (volume) {
    argv[i++] = '-V';
    argv[i++] = volume.size;
    if (volume.blockSize) {
      argv[i++] = '-b';
      argv[i++] = volume.blockSize;
    }
  }
  for (const k in props) {
    argv[i++] = '-o';
    argv[i++] = word(k, props[k]!);
  }
  argv[i] = name;
  return argv;
}

/** `zfs set p=v [p=v…] DATASET` — several assignments in one call (illumos and OpenZFS). */
export function zfsSetArgv(dataset: string, props: PropsRecord): string[] {
  const argv = ['zfs', 'set'];
  for (const k in props) argv.push(`${k}=${props[k]}`);
  argv.push(dataset);
  return argv;
}

/** `zfs snapshot [-r] [-o p=v]… DATASET@NAME`. */
export function zfsSnapshotArgv(snapshot: string, recursive: boolean, props: Props): string[] {
  return ['zfs', 'snapshot', ...(recursive ? ['-r'] : []), ...optionPairs('-o', props), snapshot];
}

export interface ZfsSend {
  snapshot: string;
  /** `-R`: the dataset and its descendants, with their properties and snapshots. */
  replicate: boolean;
  /** `-p`: include the dataset's properties (implied by -R). */
  props: boolean;
  /** Incremental from this snapshot (`-I @from`, every snapshot in between). */
  from?: string | undefined;
}

export function zfsSendArgv(s: ZfsSend): string[] {
  return [
    'zfs',
    'send',
    ...(s.replicate ? ['-R'] : s.props ? ['-p'] : []),
    ...(s.from ? ['-I', s.from] : []),
    s.snapshot,
  ];
}

/**
 * `zfs receive -u [-F] [-x prop]… TARGET`. `-u`: do not mount on the receiving
 * side. `-F` only when asked for: it rolls the target back to its newest
 * snapshot (and with -R streams destroys what the sender lacks); without it a
 * full stream into an existing target fails instead of overwriting it.
 */
export function zfsReceiveArgv(
  target: string,
  exclude: readonly string[],
  rollback = false,
): string[] {
  return [
    'zfs',
    'receive',
    '-u',
    ...(rollback ? ['-F'] : []),
    ...exclude.flatMap((p) => ['-x', p]),
    target,
  ];
}

/**
 * The device nodes of a zvol: `/dev/zvol/POOL/VOL` on Linux and FreeBSD;
 * on illumos the block node `/dev/zvol/dsk/…` and the raw node `/dev/zvol/rdsk/…`
 * (newfs takes the raw one).
 */
export function zvolDevicePaths(platform: Platform, name: string): string[] {
  return platform === 'illumos'
    ? [`/dev/zvol/dsk/${name}`, `/dev/zvol/rdsk/${name}`]
    : [`/dev/zvol/${name}`];
}

/**
 * Properties that apply to file systems only: `zfs create -V -o mountpoint=…`
 * fails with "property does not apply to datasets of this type" (zfsprops(7)).
 */
export const FILESYSTEM_ONLY_PROPERTIES = new Set([
  'mountpoint',
  'canmount',
  'recordsize',
  'atime',
  'relatime',
  'quota',
  'refquota',
  'exec',
  'setuid',
  'devices',
  'xattr',
  'snapdir',
  'aclinherit',
  'aclmode',
  'acltype',
  'casesensitivity',
  'normalization',
  'utf8only',
  'sharenfs',
  'sharesmb',
  'nbmand',
  'overlay',
  'dnodesize',
  'vscan',
]);

/** Properties that apply to volumes only. */
export const VOLUME_ONLY_PROPERTIES = new Set(['volblocksize', 'volsize']);

/**
 * What `zpool create` checks as the replication level of a top-level vdev: log
 * vdevs are not compared; data, special and dedup vdevs are. A plain disk is
 * "disk"; mirrors compare by width, raidz by parity and width.
 */
export function redundancyKey(v: VdevSpec): string {
  switch (v.type) {
    case 'stripe':
      return 'disk';
    case 'mirror':
      return `${v.devices.length}-way mirror`;
    case 'raidz':
    case 'raidz1':
      return `${v.devices.length}-wide raidz1`;
    default:
      return `${v.devices.length}-wide ${v.type}`;
  }
}

/** The different replication levels that make zpool want `-f`; empty when consistent. */
export function mixedRedundancy(layout: PoolLayout): string[] {
  const keys = new Set<string>();
  for (const v of [...layout.data, ...layout.special, ...layout.dedup]) keys.add(redundancyKey(v));
  return keys.size > 1 ? [...keys] : [];
}
