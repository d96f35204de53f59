/**
 * Non-ZFS file systems: creating them (mkfs/newfs), mounting them, and the
 * fstab (Linux, FreeBSD) / vfstab (illumos) line that makes a mount persistent.
 * Pure: argv arrays and text. Facts from mke2fs(8), mkfs.xfs(8), mkfs.btrfs(8),
 * mkfs.fat(8), mkntfs(8), newfs(8) (FreeBSD and illumos), newfs_msdos(8),
 * mount(8), mount_tmpfs(8), fstab(5), vfstab(5); uncertain points say so.
 */
import type { Platform } from '../plan/types.js';

export type MkfsType = 'ufs' | 'ext4' | 'xfs' | 'btrfs' | 'ntfs' | 'fat32';

/** A creation option: its name in the config, the flag it becomes, and how the value is written. */
interface OptionRule {
  flag: string;
  /** `size=` style flags (mkfs.xfs `-b size=4096`). */
  prefix?: string;
  /** A boolean option: the flag alone when the value is true/yes/on. */
  bool?: boolean;
}

interface MkfsRule {
  /** argv before the options. */
  command: string[];
  options: Record<string, OptionRule>;
  /** Fed on stdin (illumos newfs asks `construct a new file system …: (y/n)?`). */
  stdin?: string;
  /** The name `blkid`/`fstyp` reports for the result, for the "already done" probe. */
  probeType: string;
}

const EXT4: MkfsRule = {
  // -F: mke2fs otherwise asks before overwriting an existing file system or a
  // whole disk and, with no terminal, gives up. One -F still refuses a mounted
  // device (that takes -F twice). apply asks for confirmation before this step.
  command: ['mkfs.ext4', '-F'],
  options: {
    block_size: { flag: '-b' },
    inode_size: { flag: '-I' },
    bytes_per_inode: { flag: '-i' },
    inode_ratio: { flag: '-i' },
    reserved_blocks_percentage: { flag: '-m' },
    reserved_percent: { flag: '-m' },
    label: { flag: '-L' },
    features: { flag: '-O' },
  },
  probeType: 'ext4',
};

const XFS: MkfsRule = {
  // -f: overwrite an existing file system signature (mkfs.xfs refuses without it).
  command: ['mkfs.xfs', '-f'],
  options: {
    block_size: { flag: '-b', prefix: 'size=' },
    inode_size: { flag: '-i', prefix: 'size=' },
    sector_size: { flag: '-s', prefix: 'size=' },
    label: { flag: '-L' },
  },
  probeType: 'xfs',
};

const BTRFS: MkfsRule = {
  command: ['mkfs.btrfs', '-f'],
  options: {
    label: { flag: '-L' },
    node_size: { flag: '-n' },
    sector_size: { flag: '-s' },
  },
  probeType: 'btrfs',
};

const NTFS: MkfsRule = {
  // mkntfs: -Q quick (no zeroing, no bad-sector scan), -F force on a non-partition.
  command: ['mkfs.ntfs', '-Q', '-F'],
  options: { label: { flag: '-L' }, cluster_size: { flag: '-c' } },
  probeType: 'ntfs',
};

const VFAT: MkfsRule = {
  command: ['mkfs.fat', '-F', '32'],
  options: { label: { flag: '-n' }, sectors_per_cluster: { flag: '-s' } },
  probeType: 'vfat',
};

const FREEBSD_UFS: MkfsRule = {
  command: ['newfs'],
  options: {
    block_size: { flag: '-b' },
    fragment_size: { flag: '-f' },
    bytes_per_inode: { flag: '-i' },
    label: { flag: '-L' },
    soft_updates: { flag: '-U', bool: true },
    journal: { flag: '-j', bool: true },
  },
  probeType: 'ufs',
};

const FREEBSD_FAT: MkfsRule = {
  command: ['newfs_msdos', '-F', '32'],
  options: { label: { flag: '-L' } },
  probeType: 'msdosfs',
};

const ILLUMOS_UFS: MkfsRule = {
  // illumos newfs asks "newfs: construct a new file system …: (y/n)?" and reads
  // the answer from stdin; the usual non-interactive form is `echo y | newfs …`.
  command: ['newfs'],
  options: {
    block_size: { flag: '-b' },
    fragment_size: { flag: '-f' },
    bytes_per_inode: { flag: '-i' },
  },
  stdin: 'y\n',
  probeType: 'ufs',
};

const MKFS: Record<Platform, Partial<Record<MkfsType, MkfsRule>>> = {
  linux: { ext4: EXT4, xfs: XFS, btrfs: BTRFS, ntfs: NTFS, fat32: VFAT },
  freebsd: { ufs: FREEBSD_UFS, fat32: FREEBSD_FAT },
  // FAT on illumos is `mkfs -F pcfs -o fat=32 …` on an fdisk partition (`…p0:c`);
  // its device naming is too particular to plan from a bare path, so it is not offered.
  illumos: { ufs: ILLUMOS_UFS },
};

export function mkfsSupported(platform: Platform, fstype: string): boolean {
  return MKFS[platform][fstype as MkfsType] !== undefined;
}

/** File system types `mkfs` can make on this platform, for messages. */
export function mkfsTypes(platform: Platform): string[] {
  return Object.keys(MKFS[platform]);
}

export interface MkfsCommand {
  argv: string[];
  stdin?: string | undefined;
  /** Option names that mean nothing to this mkfs (to warn about). */
  unknownOptions: string[];
  /** Exits 0 when the device already holds this type of file system. */
  probeArgv: string[];
  probeDescription: string;
}

const TRUE = new Set(['true', 'yes', 'on', '1']);

/** The command that creates `fstype` on `device`, or undefined when the platform cannot. */
export function mkfsCommand(
  platform: Platform,
  fstype: string,
  device: string,
  options: Record<string, string>,
): MkfsCommand | undefined {
  const rule = MKFS[platform][fstype as MkfsType];
  if (!rule) return undefined;
  const argv = [...rule.command];
  const unknownOptions: string[] = [];
  for (const [name, value] of Object.entries(options)) {
    const o = rule.options[name];
    if (!o) {
      unknownOptions.push(name);
      continue;
    }
    if (o.bool) {
      if (TRUE.has(value.toLowerCase())) argv.push(o.flag);
    } else argv.push(o.flag, `${o.prefix ?? ''}${value}`);
  }
  argv.push(device);
  return {
    argv,
    stdin: rule.stdin,
    unknownOptions,
    ...fsTypeProbe(platform, device, rule.probeType),
  };
}

/**
 * "The device already holds a file system of this type": Linux `blkid -p`
 * (low-level probe, no cache) prints the TYPE; FreeBSD and illumos `fstyp`
 * prints the type name. A fixed script; the device and type are positional.
 */
function fsTypeProbe(platform: Platform, device: string, type: string) {
  const script =
    platform === 'linux'
      ? '[ "$(blkid -p -o value -s TYPE -- "$1")" = "$2" ]'
      : '[ "$(fstyp "$1" 2>/dev/null)" = "$2" ]';
  const tool = platform === 'linux' ? 'blkid -p' : 'fstyp';
  return {
    probeArgv: ['sh', '-c', script, 'sh', device, type],
    probeDescription: `${tool} reports ${type} on ${device}`,
  };
}

/** `source` as the platform's mount wants it. */
function mountSource(platform: Platform, fstype: string | undefined, source: string): string {
  // illumos tmpfs: the special is conventionally `swap` (vfstab(5) example
  // `swap - /tmp tmpfs - yes -`); mount_tmpfs(8) ignores it otherwise.
  if (platform === 'illumos' && fstype === 'tmpfs' && source === 'tmpfs') return 'swap';
  return source;
}

/**
 * Linux/FreeBSD `mount [-t TYPE] [-o a,b] SOURCE TARGET`;
 * illumos `mount [-F TYPE] [-o a,b] SPECIAL MOUNTPOINT`.
 */
export function mountArgv(
  platform: Platform,
  m: { source: string; target: string; fstype?: string | undefined; options: readonly string[] },
): string[] {
  const typeFlag = platform === 'illumos' ? '-F' : '-t';
  return [
    'mount',
    ...(m.fstype ? [typeFlag, m.fstype] : []),
    ...(m.options.length ? ['-o', m.options.join(',')] : []),
    mountSource(platform, m.fstype, m.source),
    m.target,
  ];
}

/**
 * Exits 0 when `target` is a mount point:
 * - Linux: `mountpoint -q TARGET` (util-linux).
 * - FreeBSD: `mount -p` prints the mounts in fstab(5) form, mount point in field 2.
 * - illumos: `mount -p` prints them in vfstab(5) form, mount point in field 3.
 * The path is handed to awk through ARGV (no escape processing, unlike -v).
 */
export function isMountedProbe(
  platform: Platform,
  target: string,
): { argv: string[]; description: string } {
  if (platform === 'linux')
    return { argv: ['mountpoint', '-q', target], description: `${target} is a mount point` };
  const field = platform === 'illumos' ? 3 : 2;
  const script = `mount -p | awk 'BEGIN { t = ARGV[1]; ARGV[1] = "" } $${field} == t { f = 1 } END { exit !f }' "$1"`;
  return {
    argv: ['sh', '-c', script, 'sh', target],
    description: `mount -p lists ${target}`,
  };
}

/** fstab(5) escapes blanks in fields as \040. */
function fstabField(s: string): string {
  return s.replace(/\\/g, '\\134').replace(/ /g, '\\040').replace(/\t/g, '\\011');
}

/** fsck pass: 2 for file systems fsck knows (not the root), 0 for the rest. */
function fsckPass(fstype: string | undefined): number {
  return fstype === 'ext4' || fstype === 'ufs' ? 2 : 0;
}

export function fstabPath(platform: Platform): string {
  return platform === 'illumos' ? '/etc/vfstab' : '/etc/fstab';
}

/**
 * The line that makes a mount persistent.
 * - Linux fstab: `source target type options dump pass`, options `defaults` when none.
 * - FreeBSD fstab: the same columns; FreeBSD has no `defaults`, so `rw`.
 * - illumos vfstab: `special fsckdev mountpoint type pass at-boot options`, with
 *   `-` for empty fields; the fsck device of a /dev/dsk special is its /dev/rdsk twin.
 */
export function fstabLine(
  platform: Platform,
  m: { source: string; target: string; fstype?: string | undefined; options: readonly string[] },
): string {
  const type = m.fstype ?? 'auto';
  if (platform === 'illumos') {
    const special = mountSource(platform, m.fstype, m.source);
    const fsckDev = special.startsWith('/dev/dsk/')
      ? special.replace('/dev/dsk/', '/dev/rdsk/')
      : '-';
    const pass = fsckDev === '-' ? '-' : String(fsckPass(m.fstype));
    return [
      special,
      fsckDev,
      m.target,
      type,
      pass,
      'yes',
      m.options.length ? m.options.join(',') : '-',
    ].join('\t');
  }
  const opts = m.options.length ? m.options.join(',') : platform === 'linux' ? 'defaults' : 'rw';
  return [
    fstabField(m.source),
    fstabField(m.target),
    type,
    fstabField(opts),
    '0',
    String(fsckPass(m.fstype)),
  ].join('\t');
}

/**
 * Append a line to a file unless it is already there, as one fixed script with
 * the line and the file as positional arguments (data never enters the script).
 */
export const APPEND_LINE_SCRIPT = 'grep -qxF -- "$1" "$2" || printf \'%s\\n\' "$1" >> "$2"';

export function appendLineArgv(line: string, file: string): string[] {
  return ['sh', '-c', APPEND_LINE_SCRIPT, 'sh', line, file];
}

export function hasLineArgv(line: string, file: string): string[] {
  return ['grep', '-qxF', '--', line, file];
}

/** Directories every installed system has: a mount there needs no mkdir. */
export const ALWAYS_PRESENT_DIRS = new Set(['/tmp', '/var/tmp', '/mnt']);
