/**
 * ZFS property maps in a config: pool `properties` (pool properties, or
 * file-system properties that go to the root dataset with `-O`),
 * `filesystem_properties`, dataset `properties`, `filesystems[].options` for zfs,
 * and snapshot properties. Names and values are checked against
 * `platform/zfs-properties.ts`.
 */
import {
  ALL_DATASET_PROPERTY_NAMES,
  ALL_POOL_PROPERTY_NAMES,
  DATASET_ALIASES,
  POOL_ALIASES,
  canonicalDatasetProperty,
  classifyPoolLevelProperty,
  isDatasetProperty,
  isPoolProperty,
  propertyInfo,
  propertyOnPlatform,
  propertyValueProblem,
  userPropertyProblem,
} from '../platform/zfs-properties.js';
import { didYouMean, formatPath } from '../schema/diagnostics.js';
import type { Ctx } from './context.js';
import { q, type Path } from './report.js';

const POOL_AND_DATASET_NAMES = [
  ...ALL_POOL_PROPERTY_NAMES,
  ...Object.keys(POOL_ALIASES),
  ...ALL_DATASET_PROPERTY_NAMES,
  ...Object.keys(DATASET_ALIASES),
].filter((n) => !propertyInfo('pool', n)?.readonly && !propertyInfo('dataset', n)?.readonly);
const DATASET_NAMES = [...ALL_DATASET_PROPERTY_NAMES, ...Object.keys(DATASET_ALIASES)].filter(
  (n) => !propertyInfo('dataset', n)?.readonly,
);

/** Properties that exist only for file systems (zfs rejects them on volumes). */
export const FILESYSTEM_ONLY = new Set([
  'aclinherit',
  'aclmode',
  'acltype',
  'atime',
  'canmount',
  'casesensitivity',
  'devices',
  'dnodesize',
  'exec',
  'filesystem_limit',
  'mountpoint',
  'nbmand',
  'normalization',
  'overlay',
  'quota',
  'recordsize',
  'refquota',
  'relatime',
  'setuid',
  'sharenfs',
  'sharesmb',
  'snapdir',
  'special_small_blocks',
  'utf8only',
  'vscan',
  'xattr',
]);
/** Properties that exist only for volumes. */
export const VOLUME_ONLY = new Set(['volblocksize', 'volmode', 'volsize', 'snapdev']);

function unknownHint(name: string, candidates: readonly string[], what: string): string {
  const guess = didYouMean(name, candidates);
  return guess
    ? `did you mean "${guess}"? rename it (${what} refuses unknown property names)`
    : `remove it, or write it as a user property such as "com.example:${name.toLowerCase().replace(/[^a-z0-9._-]/g, '')}"`;
}

function platformLabel(ctx: Ctx): string {
  return ctx.platform === 'illumos' ? 'illumos' : ctx.platform === 'freebsd' ? 'FreeBSD' : 'Linux';
}

/**
 * One file-system property (for a dataset, a pool's root dataset, or a zfs
 * `filesystems[]` entry). `type` says what the dataset is, when known.
 */
export function checkDatasetProperty(
  ctx: Ctx,
  path: Path,
  name: string,
  value: string,
  type: 'filesystem' | 'volume',
  what: string,
): void {
  // Thousands of datasets tend to repeat the same settings: remember what passed.
  if (propertyOk(ctx, type, name, value)) return;
  const before = ctx.report.diagnostics.length;
  checkDatasetPropertyUncached(ctx, path, name, value, type, what);
  if (ctx.report.diagnostics.length !== before) return;
  if (isUserProperty(name)) ctx.userPropertiesOk.add(name);
  else {
    let byName = ctx.propertiesOk.get(type);
    if (!byName) ctx.propertiesOk.set(type, (byName = new Map()));
    const values = byName.get(name);
    if (values) values.add(value);
    else byName.set(name, new Set([value]));
  }
}

/** Whether `name`'s check depends only on the name and the value's length. */
function isUserProperty(name: string): boolean {
  return name.includes(':');
}

function propertyOk(ctx: Ctx, type: string, name: string, value: string): boolean {
  if (isUserProperty(name)) return value.length <= MAX_USER_VALUE && ctx.userPropertiesOk.has(name);
  return ctx.propertiesOk.get(type)?.get(name)?.has(value) === true;
}

const MAX_USER_VALUE = 8192;

function checkDatasetPropertyUncached(
  ctx: Ctx,
  path: Path,
  name: string,
  value: string,
  type: 'filesystem' | 'volume',
  what: string,
): void {
  const r = ctx.report;
  if (isUserProperty(name)) {
    const problem = userPropertyProblem(name);
    if (problem) r.error(path, problem, 'rename it, e.g. "com.example:role"');
    else if (value.length > MAX_USER_VALUE)
      r.error(path, 'a user property value is at most 8192 bytes', 'shorten the value');
    return;
  }
  if (!isDatasetProperty(name)) {
    if (isPoolProperty(name))
      r.error(
        path,
        `"${name}" is a pool property, not a file-system property`,
        'move it to the pool\'s "properties"',
      );
    else r.warning(path, `unknown ZFS property "${name}"`, unknownHint(name, DATASET_NAMES, what));
    return;
  }
  const canonical = canonicalDatasetProperty(name);
  if (ctx.platform && !propertyOnPlatform('dataset', name, ctx.platform)) {
    r.error(
      path,
      `${platformLabel(ctx)} ZFS has no "${name}" property`,
      'remove it for this platform',
    );
    return;
  }
  const problem = propertyValueProblem('dataset', name, value, ctx.platform);
  if (problem) {
    const readonly = propertyInfo('dataset', name)?.readonly;
    r.error(
      path,
      readonly ? problem : `${q(value)}: ${problem}`,
      readonly ? 'remove it; ZFS computes it' : `write a valid value for ${canonical}`,
    );
    return;
  }
  if (type === 'volume' && FILESYSTEM_ONLY.has(canonical))
    r.error(
      path,
      `"${canonical}" does not apply to volumes`,
      canonical === 'quota'
        ? 'remove it: the volume size is its quota (use refreservation to guarantee space)'
        : 'remove it from this volume',
    );
  else if (type === 'filesystem' && VOLUME_ONLY.has(canonical))
    r.error(
      path,
      `"${canonical}" applies only to volumes`,
      canonical === 'volblocksize'
        ? 'remove it, or use recordsize for a file system'
        : 'remove it, or make this dataset a volume',
    );
}

/**
 * The file-system properties `props`, found at `[...base, key]` (the path is
 * built only for a finding: this runs once per dataset).
 */
export function checkDatasetProperties(
  ctx: Ctx,
  base: Path,
  key: string,
  props: Record<string, string>,
  type: 'filesystem' | 'volume',
  what: string,
): void {
  // for-in: the order of Object.entries (a parsed map has no inherited keys), without its pairs
  for (const name in props) {
    const value = props[name]!;
    if (propertyOk(ctx, type, name, value)) continue;
    checkDatasetProperty(ctx, [...base, key, name], name, value, type, what);
  }
  const encryption = props.encryption;
  if (encryption === undefined || encryption === 'off') return;
  const path = [...base, key];
  if (props.keyformat === undefined)
    ctx.report.error(
      [...path, 'encryption'],
      'an encrypted dataset needs keyformat (zfs create refuses without it)',
      'add keyformat (raw, hex or passphrase) and keylocation',
    );
  const location = props.keylocation ?? 'prompt';
  if (location === 'prompt')
    ctx.report.warning(
      [...path, props.keylocation === undefined ? 'encryption' : 'keylocation'],
      'keylocation is "prompt": the key must be typed when the dataset is created and at every boot',
      'use keylocation=file:///path/to/key (or https://…) for an unattended install',
    );
  else if (!/^(?:file:\/\/\/|https?:\/\/)/.test(location))
    ctx.report.error(
      [...path, 'keylocation'],
      `${q(location)} is not a key location`,
      'write prompt, file:///absolute/path or an https:// URL',
    );
}

/** The pool-level `properties` map of a zpool. */
export function checkPoolProperties(
  ctx: Ctx,
  poolPath: Path,
  poolName: string,
  props: Record<string, string>,
  filesystemProps: Record<string, string>,
): void {
  const r = ctx.report;
  for (const [name, value] of Object.entries(props)) {
    const path = [...poolPath, 'properties', name];
    switch (classifyPoolLevelProperty(name)) {
      case 'feature':
        if (!/^feature@[a-z0-9_]+$/.test(name))
          r.error(
            path,
            `"${name}" is not a feature name`,
            'write it as feature@name, e.g. feature@lz4_compress',
          );
        else if (value !== 'enabled' && value !== 'disabled')
          r.error(
            path,
            `${q(value)}: a feature is "enabled" or "disabled"`,
            'use "enabled" or "disabled"',
          );
        break;
      case 'pool': {
        if (ctx.platform && !propertyOnPlatform('pool', name, ctx.platform)) {
          r.error(
            path,
            `${platformLabel(ctx)} ZFS has no pool property "${name}"`,
            'remove it for this platform',
          );
          break;
        }
        const problem = propertyValueProblem('pool', name, value, ctx.platform);
        if (problem) {
          const readonly = propertyInfo('pool', name)?.readonly;
          r.error(
            path,
            readonly ? problem : `${q(value)}: ${problem}`,
            readonly ? 'remove it; ZFS computes it' : `write a valid value for ${name}`,
          );
        } else if (name === 'bootfs') checkBootfs(ctx, path, poolName, value);
        break;
      }
      case 'dataset': {
        const canonical = canonicalDatasetProperty(name);
        const fsPath = formatPath([...poolPath, 'filesystem_properties']);
        if (name in filesystemProps || canonical in filesystemProps) {
          const other = filesystemProps[name] ?? filesystemProps[canonical];
          if (other === value)
            r.warning(path, `"${name}" is also in filesystem_properties`, 'remove it here');
          else
            r.error(
              path,
              `"${name}" is ${q(value)} here but ${q(other ?? '')} in filesystem_properties`,
              'keep one of them (in filesystem_properties)',
            );
          break;
        }
        r.warning(
          path,
          `"${name}" is a file-system property, not a pool property: it will be applied to the pool's root dataset (zpool create -O ${canonical}=${value})`,
          `move it to ${fsPath}`,
        );
        checkDatasetProperty(ctx, path, name, value, 'filesystem', 'zpool create -O');
        break;
      }
      case 'user': {
        const problem = userPropertyProblem(name);
        if (problem) r.error(path, problem, 'rename it, e.g. "com.example:role"');
        else if (ctx.platform === 'illumos')
          r.warning(
            path,
            'illumos pools have no user properties',
            'move it to filesystem_properties to set it on the root dataset',
          );
        break;
      }
      case 'unknown':
        r.warning(
          path,
          `unknown ZFS property "${name}"`,
          unknownHint(name, POOL_AND_DATASET_NAMES, 'zpool create'),
        );
        break;
    }
  }
}

function checkBootfs(ctx: Ctx, path: Path, poolName: string, value: string): void {
  if (!value.startsWith(`${poolName}/`) && value !== poolName) {
    ctx.report.error(
      path,
      `bootfs ${q(value)} is not a dataset of pool "${poolName}"`,
      `name a dataset of this pool, e.g. "${poolName}/ROOT/default"`,
    );
    return;
  }
  if (value !== poolName && !ctx.createdDatasets().has(value))
    ctx.report.error(
      path,
      `bootfs ${q(value)} names a dataset this config does not create, in a pool it creates`,
      'add the dataset to storage.zfs_datasets (bootfs is set once it exists)',
    );
}

/** Snapshot properties: user properties only. */
export function checkSnapshotProperties(ctx: Ctx, path: Path, props: Record<string, string>): void {
  for (const [name, value] of Object.entries(props)) {
    const p = [...path, name];
    if (name.includes(':')) {
      const problem = userPropertyProblem(name);
      if (problem) ctx.report.error(p, problem, 'rename it, e.g. "com.example:retention"');
      else if (value.length > 8192)
        ctx.report.error(p, 'a user property value is at most 8192 bytes', 'shorten the value');
    } else
      ctx.report.warning(
        p,
        `"${name}" is not a user property: snapshots take user properties (names with ":")`,
        `rename it, e.g. "com.example:${name.toLowerCase().replace(/[^a-z0-9._-]/g, '')}" (native properties of a snapshot are inherited or read-only)`,
      );
  }
}
