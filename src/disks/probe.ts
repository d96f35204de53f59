/**
 * Probes: the only code here that touches the machine. One main command per
 * platform (`lsblk` on Linux, `diskinfo -cHp` on illumos, `geom disk list` on
 * FreeBSD), run with LC_ALL=C, plus the few auxiliary reads each needs. The
 * output goes to the pure parsers.
 *
 * A failing main command, or main output that cannot be parsed, is a
 * DiskProbeError naming the command, its exit code and the tail of its stderr.
 * Auxiliary reads that fail degrade: a missing `zpool` makes Linux fall back to
 * lsblk's fstype for pool membership (and says so in the detail).
 */
import { existsSync } from 'node:fs';
import { DiskParseError, DiskProbeError, stderrTail } from './errors.js';
import {
  LSBLK_COLUMNS,
  LSBLK_COLUMNS_OLD,
  linuxDisks,
  type LinuxProbeData,
} from './parse-linux.js';
import { illumosDisks } from './parse-illumos.js';
import { freebsdDisks } from './parse-freebsd.js';
import type { Disk } from './types.js';
import type { Platform } from '../plan/types.js';

export interface CommandResult {
  /** 127 when the command could not be started (not installed), null when killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** What a probe may do on the machine. Tests pass a recorded one. */
export interface ProbeRunner {
  run(argv: readonly string[]): Promise<CommandResult>;
  /** File contents, or null when it cannot be read. */
  readFile(path: string): Promise<string | null>;
  /** Directory entries, or null when it does not exist. */
  readDir(path: string): Promise<string[] | null>;
  /** Symlink target, or null. */
  readLink(path: string): Promise<string | null>;
  /** Whether a path exists; synchronous, asked before the first commands start. Without it: no. */
  exists?(path: string): boolean;
}

const TIMEOUT_MS = 60_000;

/** The real machine: execa with argv arrays and LC_ALL=C; node:fs for reads. */
export function systemRunner(): ProbeRunner {
  return {
    async run(argv) {
      const { execa } = await import('execa');
      const r = await execa(argv[0]!, argv.slice(1), {
        reject: false,
        env: { LC_ALL: 'C', LANG: 'C' },
        timeout: TIMEOUT_MS,
        stdin: 'ignore',
      });
      const notFound = (r as { code?: string }).code === 'ENOENT';
      return {
        exitCode: notFound ? 127 : (r.exitCode ?? null),
        stdout: String(r.stdout ?? ''),
        stderr: notFound ? `${argv[0]}: command not found` : String(r.stderr ?? ''),
      };
    },
    async readFile(path) {
      const { readFile } = await import('node:fs/promises');
      return readFile(path, 'utf8').catch(() => null);
    },
    async readDir(path) {
      const { readdir } = await import('node:fs/promises');
      return readdir(path).catch(() => null);
    },
    async readLink(path) {
      const { readlink } = await import('node:fs/promises');
      return readlink(path).catch(() => null);
    },
    exists: existsSync,
  };
}

/** Run the main command of a probe: a non-zero exit is a DiskProbeError. */
async function main(runner: ProbeRunner, argv: string[]): Promise<string> {
  const r = await runner.run(argv);
  if (r.exitCode !== 0)
    throw new DiskProbeError(
      argv,
      r.exitCode,
      stderrTail(r.stderr),
      r.exitCode === 127 ? 'could not be run (is it installed?)' : 'failed',
    );
  return r.stdout;
}

/** Run an auxiliary command; undefined when it failed (its facts are then unknown). */
async function aux(
  runner: ProbeRunner,
  argv: string[],
  okCodes = [0],
): Promise<string | undefined> {
  const r = await runner.run(argv);
  return r.exitCode !== null && okCodes.includes(r.exitCode) ? r.stdout : undefined;
}

/** Wrap a parser so that its DiskParseError names the command whose output it was. */
function parsed<T>(argv: string[], fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DiskParseError)
      throw new DiskProbeError(argv, 0, '', `printed output that cannot be parsed: ${err.message}`);
    throw err;
  }
}

/**
 * `zpool status -P` (falling back to `zpool status` for zfs-fuse, which has no
 * -P) and `zpool import`. On Linux, zfs-fuse is recognised first (`linux`):
 * its daemon's socket and no OpenZFS kernel module. Its status is then asked
 * plainly at once, not after -P is refused.
 */
async function zpoolFacts(
  runner: ProbeRunner,
  linux = false,
): Promise<{ status: string; import: string } | { unavailable: string }> {
  // `zpool import` runs alongside: both only read.
  const importing = runner.run(['zpool', 'import']);
  const plain = linux && isZfsFuse(runner);
  let st = await runner.run(plain ? ['zpool', 'status'] : ['zpool', 'status', '-P']);
  if (!plain && st.exitCode !== 0 && /invalid option/i.test(st.stderr + st.stdout))
    st = await runner.run(['zpool', 'status']);
  const imp = await importing;
  if (st.exitCode === 127) return { unavailable: 'zpool is not installed' };
  if (st.exitCode !== 0)
    return { unavailable: `zpool status failed: ${stderrTail(st.stderr || st.stdout, 1)}` };
  // OpenZFS: nothing to import is exit 0 with a message on stderr; zfs-fuse: exit 1, silent.
  if (imp.exitCode !== 0 && imp.stdout.trim() === '' && imp.stderr.trim() !== '')
    return { unavailable: `zpool import failed: ${stderrTail(imp.stderr, 1)}` };
  return { status: st.stdout, import: imp.stdout };
}

/** zfs-fuse serves this machine's ZFS: its daemon's socket is there, OpenZFS's module is not. */
function isZfsFuse(runner: ProbeRunner): boolean {
  return runner.exists?.('/var/run/zfs/zfs_socket') === true && !runner.exists('/sys/module/zfs');
}

async function probeLinux(runner: ProbeRunner): Promise<Disk[]> {
  // The pool listings run while lsblk does (every command here only reads).
  const zpool = zpoolFacts(runner, true);
  let argv = ['lsblk', '-J', '-b', '-o', LSBLK_COLUMNS];
  let r = await runner.run(argv);
  if (r.exitCode !== 0 && /unknown column/i.test(r.stderr)) {
    argv = ['lsblk', '-J', '-b', '-o', LSBLK_COLUMNS_OLD];
    r = await runner.run(argv);
  }
  if (r.exitCode !== 0)
    throw new DiskProbeError(
      argv,
      r.exitCode,
      stderrTail(r.stderr),
      r.exitCode === 127 ? 'could not be run (is util-linux installed?)' : 'failed',
    );
  const data: LinuxProbeData = { lsblk: r.stdout };
  const byId: Record<string, string> = {};
  for (const link of (await runner.readDir('/dev/disk/by-id')) ?? []) {
    const target = await runner.readLink(`/dev/disk/by-id/${link}`);
    if (target) byId[link] = target.split('/').pop()!;
  }
  data.byId = byId;
  data.swaps = (await runner.readFile('/proc/swaps')) ?? undefined;
  data.mounts = (await runner.readFile('/proc/self/mounts')) ?? undefined;
  const loopBacking: Record<string, string> = {};
  for (const dev of (await runner.readDir('/sys/block')) ?? []) {
    if (!/^loop\d+$/.test(dev)) continue;
    const f = await runner.readFile(`/sys/block/${dev}/loop/backing_file`);
    if (f?.trim()) loopBacking[dev] = f.trim();
  }
  data.loopBacking = loopBacking;
  data.zpool = await zpool;
  return parsed(argv, () => linuxDisks(data));
}

async function probeIllumos(runner: ProbeRunner): Promise<Disk[]> {
  const argv = ['diskinfo', '-cHp'];
  const diskinfo = await main(runner, argv);
  const zp = await zpoolFacts(runner);
  // `swap -l` with no swap configured exits 1 with a message on stderr
  const swap = await aux(runner, ['swap', '-l'], [0, 1]);
  const dumpadm = await aux(runner, ['dumpadm']);
  const mounts = await aux(runner, ['mount', '-p']);
  return parsed(argv, () =>
    illumosDisks({
      diskinfo,
      zpoolStatus: 'status' in zp ? zp.status : undefined,
      zpoolImport: 'status' in zp ? zp.import : undefined,
      swap,
      dumpadm,
      mounts,
    }),
  );
}

async function probeFreebsd(runner: ProbeRunner): Promise<Disk[]> {
  const argv = ['geom', 'disk', 'list'];
  const geom = await main(runner, argv);
  const kernDisks = await aux(runner, ['sysctl', '-n', 'kern.disks']);
  const zp = await zpoolFacts(runner);
  const swap = await aux(runner, ['swapctl', '-l']);
  const mounts = await aux(runner, ['mount', '-p']);
  return parsed(argv, () =>
    freebsdDisks({
      geom,
      kernDisks,
      zpoolStatus: 'status' in zp ? zp.status : undefined,
      zpoolImport: 'status' in zp ? zp.import : undefined,
      swap,
      mounts,
    }),
  );
}

/** Detect the disks of this machine (or of a recorded runner), sorted by name. */
export async function detectDisks(
  platform: Platform,
  runner: ProbeRunner = systemRunner(),
): Promise<Disk[]> {
  switch (platform) {
    case 'linux':
      return probeLinux(runner);
    case 'illumos':
      return probeIllumos(runner);
    case 'freebsd':
      return probeFreebsd(runner);
  }
}

/** Parse a recorded main-command output (lsblk JSON, `diskinfo -cHp`, `geom disk list`) offline. */
export function disksFromOutput(platform: Platform, text: string): Disk[] {
  switch (platform) {
    case 'linux':
      return linuxDisks({ lsblk: text });
    case 'illumos':
      return illumosDisks({ diskinfo: text });
    case 'freebsd':
      return freebsdDisks({ geom: text });
  }
}
