/**
 * What ZFS knows by name: pool properties (zpoolprops(7)) and dataset properties
 * (zfsprops(7)), their values, and where they differ between illumos, FreeBSD and
 * OpenZFS on Linux. Shared by validation (warnings, did-you-mean) and the plan
 * (pool-level file-system properties go to `zpool create -O`).
 */
import { isNone, parseSize } from '../schema/size.js';
import type { Platform } from '../plan/types.js';

type ValueRule =
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'onoff' }
  | { kind: 'size'; none?: boolean; auto?: boolean; powerOfTwo?: { min: number; max: number } }
  | { kind: 'int'; min?: number; max?: number; none?: boolean }
  | { kind: 'free' };

interface PropInfo {
  rule: ValueRule;
  /** Only at creation time (zfs create -o / zpool create -o). */
  createOnly?: boolean;
  readonly?: boolean;
  /** Platforms where it exists; all when absent. */
  platforms?: readonly Platform[];
  help?: string;
}

const onoff: ValueRule = { kind: 'onoff' };
const free: ValueRule = { kind: 'free' };
const ro: PropInfo = { rule: free, readonly: true };

const gzipLevels = Array.from({ length: 9 }, (_, i) => `gzip-${i + 1}`);
const zstdLevels = [
  'zstd',
  'zstd-fast',
  ...Array.from({ length: 19 }, (_, i) => `zstd-${i + 1}`),
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 500, 1000].map(
    (n) => `zstd-fast-${n}`,
  ),
];
export const COMPRESSION_VALUES = [
  'on',
  'off',
  'lzjb',
  'gzip',
  ...gzipLevels,
  'zle',
  'lz4',
  ...zstdLevels,
];
const CHECKSUMS = [
  'on',
  'off',
  'fletcher2',
  'fletcher4',
  'sha256',
  'noparity',
  'sha512',
  'skein',
  'edonr',
  'blake3',
];
const DEDUP = [
  'on',
  'off',
  'verify',
  ...['sha256', 'sha512', 'skein', 'blake3'].flatMap((h) => [h, `${h},verify`]),
  'edonr,verify',
];

export const DATASET_PROPERTIES: Record<string, PropInfo> = {
  aclinherit: {
    rule: {
      kind: 'enum',
      values: ['discard', 'noallow', 'restricted', 'passthrough', 'passthrough-x'],
    },
  },
  aclmode: {
    rule: { kind: 'enum', values: ['discard', 'groupmask', 'passthrough', 'restricted'] },
  },
  acltype: {
    rule: { kind: 'enum', values: ['off', 'noacl', 'nfsv4', 'posix', 'posixacl'] },
    platforms: ['linux', 'freebsd'],
  },
  atime: { rule: onoff, help: 'update access times on read (off saves writes)' },
  canmount: { rule: { kind: 'enum', values: ['on', 'off', 'noauto'] } },
  casesensitivity: {
    rule: { kind: 'enum', values: ['sensitive', 'insensitive', 'mixed'] },
    createOnly: true,
  },
  checksum: { rule: { kind: 'enum', values: CHECKSUMS } },
  compression: {
    rule: { kind: 'enum', values: COMPRESSION_VALUES },
    help: 'lz4 is cheap and almost always a win',
  },
  context: { rule: free, platforms: ['linux'] },
  copies: { rule: { kind: 'enum', values: ['1', '2', '3'] } },
  dedup: { rule: { kind: 'enum', values: DEDUP }, help: 'needs lots of RAM; rarely worth it' },
  defcontext: { rule: free, platforms: ['linux'] },
  devices: { rule: onoff },
  dnodesize: {
    rule: { kind: 'enum', values: ['legacy', 'auto', '1k', '2k', '4k', '8k', '16k'] },
    platforms: ['linux', 'freebsd'],
  },
  encryption: {
    rule: {
      kind: 'enum',
      values: [
        'off',
        'on',
        'aes-128-ccm',
        'aes-192-ccm',
        'aes-256-ccm',
        'aes-128-gcm',
        'aes-192-gcm',
        'aes-256-gcm',
      ],
    },
    createOnly: true,
  },
  exec: { rule: onoff },
  filesystem_limit: { rule: { kind: 'int', min: 0, none: true } },
  fscontext: { rule: free, platforms: ['linux'] },
  jailed: { rule: onoff, platforms: ['freebsd'] },
  keyformat: { rule: { kind: 'enum', values: ['raw', 'hex', 'passphrase'] }, createOnly: true },
  keylocation: { rule: free },
  logbias: { rule: { kind: 'enum', values: ['latency', 'throughput'] } },
  mlslabel: { rule: free },
  mountpoint: { rule: free, help: 'absolute path, none or legacy' },
  nbmand: { rule: onoff },
  normalization: {
    rule: { kind: 'enum', values: ['none', 'formC', 'formD', 'formKC', 'formKD'] },
    createOnly: true,
  },
  overlay: { rule: onoff, platforms: ['linux', 'freebsd'] },
  pbkdf2iters: { rule: { kind: 'int', min: 100000 }, createOnly: true },
  primarycache: { rule: { kind: 'enum', values: ['all', 'none', 'metadata'] } },
  quota: { rule: { kind: 'size', none: true } },
  readonly: { rule: onoff },
  recordsize: { rule: { kind: 'size', powerOfTwo: { min: 512, max: 16 * 2 ** 20 } } },
  redundant_metadata: { rule: { kind: 'enum', values: ['all', 'most', 'some', 'none'] } },
  refquota: { rule: { kind: 'size', none: true } },
  refreservation: { rule: { kind: 'size', none: true, auto: true } },
  relatime: { rule: onoff, platforms: ['linux', 'freebsd'] },
  reservation: { rule: { kind: 'size', none: true } },
  rootcontext: { rule: free, platforms: ['linux'] },
  secondarycache: { rule: { kind: 'enum', values: ['all', 'none', 'metadata'] } },
  setuid: { rule: onoff },
  sharenfs: { rule: free },
  sharesmb: { rule: free },
  snapdev: { rule: { kind: 'enum', values: ['hidden', 'visible'] } },
  snapdir: { rule: { kind: 'enum', values: ['hidden', 'visible', 'disabled'] } },
  snapshot_limit: { rule: { kind: 'int', min: 0, none: true } },
  special_small_blocks: { rule: { kind: 'size' } },
  sync: { rule: { kind: 'enum', values: ['standard', 'always', 'disabled'] } },
  utf8only: { rule: onoff, createOnly: true },
  version: { rule: free },
  volblocksize: {
    rule: { kind: 'size', powerOfTwo: { min: 512, max: 128 * 1024 } },
    createOnly: true,
  },
  volmode: { rule: { kind: 'enum', values: ['default', 'full', 'geom', 'dev', 'none'] } },
  volsize: { rule: { kind: 'size' } },
  vscan: { rule: onoff, platforms: ['illumos'] },
  xattr: { rule: { kind: 'enum', values: ['on', 'off', 'sa', 'dir'] } },
  zoned: { rule: onoff, platforms: ['illumos', 'linux'] },
  // read-only statistics: never settable
  available: ro,
  compressratio: ro,
  createtxg: ro,
  creation: ro,
  clones: ro,
  defer_destroy: ro,
  encryptionroot: ro,
  guid: ro,
  keystatus: ro,
  logicalreferenced: ro,
  logicalused: ro,
  mounted: ro,
  objsetid: ro,
  origin: ro,
  receive_resume_token: ro,
  refcompressratio: ro,
  referenced: ro,
  type: ro,
  used: ro,
  usedbychildren: ro,
  usedbydataset: ro,
  usedbyrefreservation: ro,
  usedbysnapshots: ro,
  userrefs: ro,
  written: ro,
};

/** Short aliases zfs itself accepts. */
export const DATASET_ALIASES: Record<string, string> = {
  compress: 'compression',
  recsize: 'recordsize',
  reserv: 'reservation',
  refreserv: 'refreservation',
  volblock: 'volblocksize',
  avail: 'available',
  refer: 'referenced',
  ratio: 'compressratio',
};

export const POOL_PROPERTIES: Record<string, PropInfo> = {
  altroot: { rule: free },
  ashift: { rule: { kind: 'int', min: 0, max: 16 }, help: '12 for 4K-sector disks (0 = detect)' },
  autoexpand: { rule: onoff },
  autoreplace: { rule: onoff },
  autotrim: { rule: onoff, platforms: ['linux', 'freebsd', 'illumos'] },
  bootfs: { rule: free },
  bootsize: { rule: { kind: 'size' }, createOnly: true, platforms: ['illumos'] },
  cachefile: { rule: free },
  comment: { rule: free },
  compatibility: { rule: free, platforms: ['linux', 'freebsd'] },
  dedup_table_quota: { rule: free, platforms: ['linux', 'freebsd'] },
  dedupditto: { rule: { kind: 'int', min: 0 } },
  delegation: { rule: onoff },
  failmode: { rule: { kind: 'enum', values: ['wait', 'continue', 'panic'] } },
  listsnapshots: { rule: onoff },
  multihost: { rule: onoff },
  readonly: { rule: onoff },
  version: { rule: free },
  // read-only
  allocated: ro,
  bcloneratio: ro,
  bclonesaved: ro,
  bcloneused: ro,
  capacity: ro,
  checkpoint: ro,
  dedupratio: ro,
  expandsize: ro,
  fragmentation: ro,
  free: ro,
  freeing: ro,
  guid: ro,
  health: ro,
  leaked: ro,
  load_guid: ro,
  maxblocksize: ro,
  maxdnodesize: ro,
  size: ro,
};

export const POOL_ALIASES: Record<string, string> = {
  cap: 'capacity',
  expandsz: 'expandsize',
  frag: 'fragmentation',
};

export type PropertyKind = 'pool' | 'dataset' | 'user' | 'feature' | 'unknown';

/** A user property: `module:property`, lower-case letters, digits, `: - . _`, not starting with `-`. */
export function isUserProperty(name: string): boolean {
  return name.includes(':');
}

export function userPropertyProblem(name: string): string | undefined {
  if (!name.includes(':')) return 'a user property name must contain ":" (e.g. com.example:role)';
  if (name.length > 256) return 'a user property name is at most 256 characters';
  if (name.startsWith('-')) return 'a user property name may not start with "-"';
  if (!/^[a-z0-9:._-]+$/.test(name))
    return 'a user property name may contain only lower-case letters, digits, ":", "-", "." and "_"';
  return undefined;
}

// Lookups go through Maps: a name from a config ("toString", "constructor") must
// never find what an object literal inherits, and Map lookups of absent names are
// cheap on the hot path (every property of 10,000 datasets).
const datasetAliases = new Map(Object.entries(DATASET_ALIASES));
const poolAliases = new Map(Object.entries(POOL_ALIASES));
const datasetProperties = new Map(Object.entries(DATASET_PROPERTIES));
const poolProperties = new Map(Object.entries(POOL_PROPERTIES));

export function canonicalDatasetProperty(name: string): string {
  return datasetAliases.get(name) ?? name;
}

export function canonicalPoolProperty(name: string): string {
  return poolAliases.get(name) ?? name;
}

export function isDatasetProperty(name: string): boolean {
  return datasetProperties.has(canonicalDatasetProperty(name));
}

export function isPoolProperty(name: string): boolean {
  return poolProperties.has(canonicalPoolProperty(name)) || name.startsWith('feature@');
}

/** How a name given in a pool's `properties` is to be read. */
export function classifyPoolLevelProperty(name: string): PropertyKind {
  if (name.startsWith('feature@')) return 'feature';
  if (isPoolProperty(name)) return 'pool';
  if (isDatasetProperty(name)) return 'dataset';
  if (isUserProperty(name)) return 'user';
  return 'unknown';
}

export function propertyInfo(kind: 'pool' | 'dataset', name: string): PropInfo | undefined {
  return kind === 'pool'
    ? poolProperties.get(canonicalPoolProperty(name))
    : datasetProperties.get(canonicalDatasetProperty(name));
}

export function propertyHelp(kind: 'pool' | 'dataset', name: string): string | undefined {
  return propertyInfo(kind, name)?.help;
}

/**
 * What is wrong with `name=value`, or undefined. Knows the enums, sizes, powers
 * of two, and values that a platform lacks (no zstd on illumos).
 */
export function propertyValueProblem(
  kind: 'pool' | 'dataset',
  name: string,
  value: string,
  platform?: Platform,
): string | undefined {
  const info = propertyInfo(kind, name);
  if (!info) return undefined;
  if (info.readonly) return `${name} is a read-only statistic and cannot be set`;
  const rule = info.rule;
  const canonical = kind === 'pool' ? canonicalPoolProperty(name) : canonicalDatasetProperty(name);
  switch (rule.kind) {
    case 'free':
      if (
        canonical === 'mountpoint' &&
        !(value.startsWith('/') || value === 'none' || value === 'legacy')
      )
        return 'mountpoint must be an absolute path, "none" or "legacy"';
      return undefined;
    case 'onoff':
      return value === 'on' || value === 'off' ? undefined : `${name} must be "on" or "off"`;
    case 'enum': {
      if (!rule.values.includes(value)) {
        const shown = rule.values.length > 12 ? [...rule.values.slice(0, 12), '…'] : rule.values;
        return `${name} must be one of ${shown.join(', ')}`;
      }
      if (canonical === 'compression' && platform === 'illumos' && value.startsWith('zstd'))
        return 'illumos ZFS has no zstd compression (use lz4 or gzip-N)';
      return undefined;
    }
    case 'int': {
      if (rule.none && isNone(value)) return undefined;
      if (!/^\d+$/.test(value))
        return `${name} must be a whole number${rule.none ? ' or "none"' : ''}`;
      const n = Number(value);
      if (rule.min !== undefined && n < rule.min) return `${name} must be at least ${rule.min}`;
      if (rule.max !== undefined && n > rule.max) return `${name} must be at most ${rule.max}`;
      if (canonical === 'ashift' && n !== 0 && n < 9) return 'ashift must be 0 (detect) or 9–16';
      return undefined;
    }
    case 'size': {
      if (rule.none && isNone(value)) return undefined;
      if (rule.auto && value === 'auto') return undefined;
      const bytes = parseSize(value);
      if (bytes === undefined)
        return `${name} must be a size such as 512, 128K, 50G or 1.5T${rule.none ? ', or "none"' : ''}`;
      if (rule.powerOfTwo) {
        const { min, max } = rule.powerOfTwo;
        if (bytes < min || bytes > max || (bytes & (bytes - 1)) !== 0)
          return `${name} must be a power of two from ${min === 512 ? '512' : min} to ${max >= 2 ** 20 ? `${max / 2 ** 20}M` : `${max / 1024}K`}`;
      }
      return undefined;
    }
  }
}

/** Whether the property exists on this platform's ZFS. */
export function propertyOnPlatform(
  kind: 'pool' | 'dataset',
  name: string,
  platform: Platform,
): boolean {
  const info = propertyInfo(kind, name);
  return !info?.platforms || info.platforms.includes(platform);
}

export const ALL_DATASET_PROPERTY_NAMES = Object.keys(DATASET_PROPERTIES);
export const ALL_POOL_PROPERTY_NAMES = Object.keys(POOL_PROPERTIES);
