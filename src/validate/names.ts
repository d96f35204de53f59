/**
 * Name rules of the things a config creates: pools and datasets (ZFS
 * `zfs_namecheck.c` / `zpool_name_valid`), snapshots, zones (zonecfg), jails,
 * containers, users, hosts and network links. Each function returns the
 * problems of one name; callers attach the JSON path.
 */
import type { Platform } from '../plan/types.js';

export interface NameProblem {
  severity: 'error' | 'warning';
  message: string;
  hint: string;
}

const err = (message: string, hint: string): NameProblem => ({ severity: 'error', message, hint });
const warn = (message: string, hint: string): NameProblem => ({
  severity: 'warning',
  message,
  hint,
});

/** OpenZFS's longest pool name (256 − 2 − 2 × strlen("$ORIGIN"), zpool_name_valid). */
export const MAX_POOL_NAME = 239;
/** ZFS_MAX_DATASET_NAME_LEN is 256 including the terminating NUL. */
export const MAX_DATASET_NAME = 255;
/** zfs_max_dataset_nesting: a name with this many `/` or more is refused. */
export const MAX_DATASET_NESTING = 50;

const POOL_RESERVED = ['mirror', 'raidz', 'draid', 'spare', 'log', 'cache'];
const POOL_RESERVED_PREFIXES = ['mirror', 'raidz', 'draid', 'spare'];
/** ZFS `valid_char`: letters, digits, `_ - . :` and space. */
const ZFS_COMPONENT = /^[A-Za-z0-9_\-.: ]+$/;

export function poolNameProblems(name: string, platform?: Platform): NameProblem[] {
  const out: NameProblem[] = [];
  if (name.length === 0)
    return [err('the pool name is empty', 'give the pool a name, e.g. "tank"')];
  if (name.length > MAX_POOL_NAME)
    out.push(err(`the pool name is longer than ${MAX_POOL_NAME} characters`, 'use a shorter name'));
  if (!/^[A-Za-z]/.test(name))
    out.push(err('a pool name must start with a letter', 'rename the pool, e.g. "tank"'));
  if (!ZFS_COMPONENT.test(name))
    out.push(
      err(
        'a pool name may contain only letters, digits, "_", "-", ".", ":" and space',
        'remove the other characters (a "/" belongs in dataset names, not pool names)',
      ),
    );
  const lower = name.toLowerCase();
  if (POOL_RESERVED.includes(lower) || POOL_RESERVED_PREFIXES.some((p) => lower.startsWith(p)))
    out.push(
      err(
        `"${name}" is reserved: zpool reads mirror, raidz*, draid*, spare*, log and cache as vdev keywords`,
        'choose another name, e.g. "tank" or "data"',
      ),
    );
  if (/^c[0-9]/.test(name)) {
    const message = 'illumos reserves pool names that begin with "c" and a digit (disk names)';
    if (platform === 'illumos') out.push(err(message, 'choose another name, e.g. "tank"'));
    else if (platform === undefined)
      out.push(warn(message, 'choose another name if the config may be used on illumos'));
  }
  if (platform === 'illumos' && /[: ]/.test(name))
    out.push(
      warn(
        'illumos documents only letters, digits, "_", "-" and "." in pool names',
        'remove ":" and spaces from the name',
      ),
    );
  return out;
}

function componentProblem(component: string): string | undefined {
  if (component.length === 0) return 'it has an empty component ("//", or a "/" at either end)';
  if (component === '.' || component === '..') return `"${component}" is not a valid component`;
  if (!ZFS_COMPONENT.test(component))
    return 'components may contain only letters, digits, "_", "-", ".", ":" and space';
  return undefined;
}

/** A dataset or volume name: `pool/a/b`. */
/** The common, valid case, checked in one step (configs may hold thousands of datasets). */
const PLAIN_DATASET = /^[A-Za-z][A-Za-z0-9_\-.: ]*(?:\/[A-Za-z0-9_\-: ][A-Za-z0-9_\-.: ]*)*$/;

/** The answer for a valid name, shared (frozen): a new empty array per dataset was garbage. */
const NO_PROBLEMS = Object.freeze([]) as readonly NameProblem[] as NameProblem[];

export function datasetNameProblems(name: string): NameProblem[] {
  // PLAIN_DATASET has no component starting with "." (so no "." or ".."), and
  // every component is at least one character: fewer than 2 × 50 characters
  // cannot hold 50 "/" (the count is skipped; this runs for every dataset).
  if (name.length <= MAX_DATASET_NAME && PLAIN_DATASET.test(name)) {
    if (name.length < 2 * MAX_DATASET_NESTING) return NO_PROBLEMS;
    let slashes = 0;
    for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) slashes++;
    if (slashes < MAX_DATASET_NESTING) return NO_PROBLEMS;
  }
  const out: NameProblem[] = [];
  if (name.length === 0)
    return [err('the dataset name is empty', 'write it as pool/path, e.g. "tank/data"')];
  if (name.includes('@'))
    return [
      err(
        'a dataset name may not contain "@" (that separates a snapshot name)',
        'put snapshots in storage.zfs_snapshots',
      ),
    ];
  if (name.length > MAX_DATASET_NAME)
    out.push(
      err(`the dataset name is longer than ${MAX_DATASET_NAME} characters`, 'use shorter names'),
    );
  const parts = name.split('/');
  if (parts.length - 1 >= MAX_DATASET_NESTING)
    out.push(
      err(
        `the dataset is nested ${parts.length - 1} levels deep; ZFS allows fewer than ${MAX_DATASET_NESTING}`,
        'flatten the hierarchy',
      ),
    );
  for (const part of parts) {
    const p = componentProblem(part);
    if (p) {
      out.push(err(`invalid dataset name: ${p}`, 'write it as pool/path, e.g. "tank/data/www"'));
      break;
    }
  }
  if (parts[0] && !/^[A-Za-z]/.test(parts[0]))
    out.push(
      err(
        'a dataset name starts with its pool name, which must start with a letter',
        'write it as pool/path, e.g. "tank/data"',
      ),
    );
  return out;
}

/** The part after `@`; `full` is `dataset@name` (its length is limited too). */
export function snapshotNameProblems(name: string, dataset: string): NameProblem[] {
  if (name.length === 0)
    return [err('the snapshot name is empty', 'give it a name, e.g. "daily-2024-01-01"')];
  const out: NameProblem[] = [];
  if (/[/@#]/.test(name))
    out.push(
      err(
        'a snapshot name may not contain "/", "@" or "#"',
        'write only the part after "@" in name and the dataset in dataset',
      ),
    );
  else if (!ZFS_COMPONENT.test(name))
    out.push(
      err(
        'a snapshot name may contain only letters, digits, "_", "-", ".", ":" and space',
        'remove the other characters',
      ),
    );
  if (dataset.length + 1 + name.length > MAX_DATASET_NAME)
    out.push(
      err(
        `"dataset@name" is longer than ${MAX_DATASET_NAME} characters`,
        'use a shorter snapshot name',
      ),
    );
  return out;
}

/** zonecfg: ZONENAME_MAX is 64 including the NUL, so at most 63 characters. */
export function zoneNameProblems(name: string): NameProblem[] {
  if (name === 'global')
    return [err('"global" is the global zone\'s name', 'choose another zone name')];
  const out: NameProblem[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name))
    out.push(
      err(
        'a zone name starts with a letter or digit and may contain only letters, digits, "_", "-" and "."',
        'rename the zone, e.g. "web"',
      ),
    );
  if (name.startsWith('SUNW'))
    out.push(err('zone names beginning with "SUNW" are reserved', 'choose another zone name'));
  if (name.length > 63) out.push(err('a zone name is at most 63 characters', 'use a shorter name'));
  return out;
}

export function jailNameProblems(name: string): NameProblem[] {
  if (name.length === 0) return [err('the jail name is empty', 'give the jail a name, e.g. "web"')];
  if (/^\d+$/.test(name))
    return [
      err(
        'a jail name that is a number is read as a jail ID by jail(8) and jexec',
        'use a name with a letter in it, e.g. "web1"',
      ),
    ];
  const out: NameProblem[] = [];
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(name))
    out.push(
      err(
        'a jail name may contain only letters, digits, "_", "-" and "."',
        'rename the jail, e.g. "web"',
      ),
    );
  else if (name.includes('.'))
    out.push(
      warn(
        'a "." in a jail name makes it a child of the jail named before the dot (hierarchical jails)',
        'use "-" or "_" instead unless you mean a hierarchical jail',
      ),
    );
  return out;
}

/** podman and docker: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
export function containerNameProblems(name: string): NameProblem[] {
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name))
    return [
      err(
        'a container name starts with a letter or digit and may contain only letters, digits, "_", "." and "-"',
        'rename the container, e.g. "web-server"',
      ),
    ];
  return [];
}

/** Login names as useradd accepts them on all three systems (shadow-utils NAME_REGEX, pw, illumos). */
export function userNameProblems(name: string): NameProblem[] {
  if (name.length === 0)
    return [err('the user name is empty', 'give the user a name, e.g. "admin"')];
  const out: NameProblem[] = [];
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]*\$?$/.test(name))
    out.push(
      err(
        'a user name may contain only letters, digits, ".", "_" and "-", and may not start with "-" or "."',
        'rename the user, e.g. "admin"',
      ),
    );
  else if (/^\d+$/.test(name))
    out.push(
      err('a user name that is a number is confused with a uid', 'use a name with a letter in it'),
    );
  else if (/[A-Z]/.test(name) || /^\d/.test(name))
    out.push(
      warn(
        'useradd on Linux refuses upper-case letters and a leading digit by default',
        'use lower-case letters and start with a letter',
      ),
    );
  if (name.length > 32) out.push(err('a user name is at most 32 characters', 'use a shorter name'));
  return out;
}

/** One label of a host name (RFC 1123). */
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function hostnameProblem(name: string): string | undefined {
  if (name.length === 0) return 'the host name is empty';
  if (name.length > 253) return 'a host name is at most 253 characters';
  for (const label of name.split('.')) {
    if (!HOST_LABEL.test(label))
      return 'each part of a host name has 1–63 letters, digits or "-", and does not start or end with "-"';
  }
  return undefined;
}

/**
 * illumos datalink names (dladm): letters, digits and `_`, starting with a letter,
 * ending with a number without a leading zero, at most 31 characters.
 */
export function linkNameProblem(name: string): string | undefined {
  if (name.length > 31) return 'a datalink name is at most 31 characters';
  const m = /^[A-Za-z][A-Za-z0-9_]*?(\d+)$/.exec(name);
  if (!m || !/^[A-Za-z0-9_]+$/.test(name))
    return 'a datalink name is letters, digits and "_", starts with a letter and ends with a number (e.g. vnic0)';
  if (m[1]!.length > 1 && m[1]!.startsWith('0'))
    return 'the number at the end of a datalink name may not start with 0 (web1, not web01)';
  return undefined;
}

/** Environment variable names: POSIX portable names; `=` or NUL can never work. */
export function envNameProblem(name: string): NameProblem | undefined {
  if (name.length === 0 || name.includes('=') || name.includes('\0'))
    return err(
      'an environment variable name may not be empty or contain "="',
      'rename the variable',
    );
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    return warn(
      'this environment variable name is not a portable shell name (letters, digits, "_")',
      'shells cannot refer to it; rename it unless the program reads it directly',
    );
  return undefined;
}
