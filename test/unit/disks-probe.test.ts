import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectDisks, type CommandResult, type ProbeRunner } from '../../src/disks/probe.js';
import { DiskProbeError } from '../../src/disks/errors.js';

const dir = join(__dirname, '../fixtures/disks');
const fx = (f: string) => readFileSync(join(dir, f), 'utf8');

/** A recorded machine: argv (joined) → result; files; every call is logged. */
function recorded(
  commands: Record<string, Partial<CommandResult>>,
  files: Record<string, string> = {},
  links: Record<string, string> = {},
): ProbeRunner & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async run(argv) {
      const key = argv.join(' ');
      calls.push(key);
      const r = commands[key];
      if (!r) return { exitCode: 127, stdout: '', stderr: `${argv[0]}: command not found` };
      return { exitCode: 0, stdout: '', stderr: '', ...r };
    },
    async readFile(p) {
      return files[p] ?? null;
    },
    async readDir(p) {
      const prefix = p.endsWith('/') ? p : p + '/';
      const names = [...Object.keys(files), ...Object.keys(links)]
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length).split('/')[0]!);
      return names.length ? [...new Set(names)] : null;
    },
    async readLink(p) {
      return links[p] ?? null;
    },
    exists(p) {
      return [...Object.keys(files), ...Object.keys(links)].some(
        (f) => f === p || f.startsWith(`${p}/`),
      );
    },
  };
}

const LSBLK =
  'lsblk -J -b -o NAME,PATH,SIZE,TYPE,MODEL,SERIAL,ROTA,RM,TRAN,WWN,MOUNTPOINTS,FSTYPE,PKNAME,VENDOR,HOTPLUG';

describe('detectDisks linux', () => {
  it('zfs-fuse: zpool status -P is refused, so plain status is used; loop backing files from sysfs', async () => {
    const r = recorded(
      {
        [LSBLK]: { stdout: fx('linux-lsblk.json') },
        'zpool status -P': {
          exitCode: 2,
          stderr: "invalid option 'P'\nusage:\n\tstatus [-vx] [pool] ...",
        },
        'zpool status': { stdout: fx('linux-zpool-status.txt') },
        'zpool import': { stdout: fx('linux-zpool-import.txt') },
      },
      {
        '/proc/swaps': fx('linux-proc-swaps.txt'),
        '/proc/self/mounts': fx('linux-proc-mounts.txt'),
        '/sys/block/loop0/loop/backing_file': '/tmp/dcap/f1.img\n',
        '/sys/block/vda/size': '1',
      },
    );
    const disks = await detectDisks('linux', r);
    // the pool listings run alongside lsblk: the same commands, each once, in no set order
    expect([...r.calls].sort()).toEqual(
      [LSBLK, 'zpool status -P', 'zpool status', 'zpool import'].sort(),
    );
    // plain status only after -P was refused
    expect(r.calls.indexOf('zpool status')).toBeGreaterThan(r.calls.indexOf('zpool status -P'));
    expect(disks.find((d) => d.name === 'loop1')!.in_use).toEqual([
      { reason: 'zpool', detail: 'captank' },
    ]);
    expect(disks.find((d) => d.name === 'loop0')!.model).toBe('/tmp/dcap/f1.img');
  });

  it('zfs-fuse recognised by its socket (and no OpenZFS module): plain status at once, no -P', async () => {
    const commands = {
      [LSBLK]: { stdout: fx('linux-lsblk.json') },
      'zpool status -P': { exitCode: 2, stderr: "invalid option 'P'" },
      'zpool status': { stdout: fx('linux-zpool-status.txt') },
      'zpool import': { stdout: fx('linux-zpool-import.txt') },
    };
    const fuse = recorded(commands, { '/var/run/zfs/zfs_socket': '' });
    const disks = await detectDisks('linux', fuse);
    expect([...fuse.calls].sort()).toEqual([LSBLK, 'zpool status', 'zpool import'].sort());
    expect(disks.find((d) => d.name === 'loop1')!.in_use).toEqual([
      { reason: 'zpool', detail: 'captank' },
    ]);
    // OpenZFS's module loaded: -P, whatever else is in /var/run/zfs
    const openzfs = recorded(commands, {
      '/var/run/zfs/zfs_socket': '',
      '/sys/module/zfs/version': '2.2.2-1\n',
    });
    await detectDisks('linux', openzfs);
    expect(openzfs.calls).toContain('zpool status -P');
  });

  it('by-id links are read with readdir + readlink', async () => {
    const r = recorded(
      { [LSBLK]: { stdout: fx('linux-lsblk-server.json') } },
      {},
      {
        '/dev/disk/by-id/wwn-0x50014ee2b5a1c3d5': '../../sdd',
        '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0ABCDE2': '../../sdd',
        '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0ABCDE2-part1': '../../sdd1',
      },
    );
    const disks = await detectDisks('linux', r);
    expect(disks.find((d) => d.name === 'sdd')!.by_id).toEqual([
      '/dev/disk/by-id/ata-WDC_WD40EFRX-68N32N0_WD-WCC7K0ABCDE2',
      '/dev/disk/by-id/wwn-0x50014ee2b5a1c3d5',
    ]);
  });

  it('no zpool: pool membership from lsblk fstype, saying so', async () => {
    const r = recorded({ [LSBLK]: { stdout: fx('linux-lsblk-server.json') } });
    const disks = await detectDisks('linux', r);
    expect(disks.find((d) => d.name === 'sdc')!.in_use[0]!.detail).toMatch(
      /lsblk fstype zfs_member; pool unknown: zpool not available: zpool is not installed/,
    );
  });

  it('old util-linux: unknown column → retried with MOUNTPOINT', async () => {
    const r = recorded({
      [LSBLK]: { exitCode: 1, stderr: 'lsblk: unknown column: MOUNTPOINTS' },
      'lsblk -J -b -o NAME,SIZE,TYPE,MODEL,SERIAL,ROTA,RM,TRAN,WWN,MOUNTPOINT,FSTYPE,PKNAME': {
        stdout: fx('linux-lsblk-old.json'),
      },
    });
    const disks = await detectDisks('linux', r);
    expect(disks.map((d) => d.name)).toEqual(['sda', 'sdb']);
  });

  it('lsblk failing is a DiskProbeError naming the command, its exit code and stderr', async () => {
    const r = recorded({
      [LSBLK]: { exitCode: 32, stderr: 'lsblk: failed to access sysfs directory: /sys/dev/block' },
    });
    const err = await detectDisks('linux', r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiskProbeError);
    const e = err as DiskProbeError;
    expect(e.argv.join(' ')).toBe(LSBLK);
    expect(e.exitCode).toBe(32);
    expect(e.message).toContain('failed to access sysfs');
    expect(e.message).toContain('(exit 32)');
  });

  it('lsblk missing → exit 127 in the error', async () => {
    const err = (await detectDisks('linux', recorded({})).catch(
      (e: unknown) => e,
    )) as DiskProbeError;
    expect(err).toBeInstanceOf(DiskProbeError);
    expect(err.exitCode).toBe(127);
    expect(err.message).toMatch(/could not be run/);
  });

  it('unparseable output is a DiskProbeError too, never an empty list', async () => {
    const r = recorded({ [LSBLK]: { stdout: 'garbage' } });
    const err = (await detectDisks('linux', r).catch((e: unknown) => e)) as DiskProbeError;
    expect(err).toBeInstanceOf(DiskProbeError);
    expect(err.message).toMatch(/cannot be parsed: lsblk JSON: not JSON/);
  });
});

describe('detectDisks illumos and freebsd', () => {
  it('illumos: diskinfo -cHp, zpool, swap -l (exit 1 when none), dumpadm, mount -p', async () => {
    const r = recorded({
      'diskinfo -cHp': { stdout: fx('illumos-diskinfo-cHp.txt') },
      'zpool status -P': { stdout: fx('illumos-zpool-status-P.txt') },
      'zpool import': { stdout: '', stderr: 'no pools available to import' },
      'swap -l': { exitCode: 1, stderr: 'No swap devices configured' },
      dumpadm: { stdout: fx('illumos-dumpadm.txt') },
      'mount -p': { stdout: fx('illumos-mount-p.txt') },
    });
    const disks = await detectDisks('illumos', r);
    expect(r.calls[0]).toBe('diskinfo -cHp');
    expect(disks).toHaveLength(10);
    expect(disks.find((d) => d.name === 'c1t0d0')!.in_use.map((u) => u.reason)).toEqual([
      'zpool',
      'root',
    ]);
    expect(disks.find((d) => d.name === 'c3t3d0')!.in_use).toEqual([]);
  });
  it('illumos: diskinfo in a non-global zone failing', async () => {
    const r = recorded({
      'diskinfo -cHp': { exitCode: 1, stderr: 'diskinfo: failed to open topology' },
    });
    await expect(detectDisks('illumos', r)).rejects.toThrow(
      /diskinfo -cHp" failed \(exit 1\): diskinfo: failed to open topology/,
    );
  });
  it('freebsd: geom disk list + kern.disks + zpool + swapctl + mount -p', async () => {
    const r = recorded({
      'geom disk list': { stdout: fx('freebsd-geom-disk-list.txt') },
      'sysctl -n kern.disks': { stdout: fx('freebsd-kern-disks.txt') },
      'zpool status -P': { stdout: fx('freebsd-zpool-status-P.txt') },
      'zpool import': { stdout: fx('freebsd-zpool-import.txt') },
      'swapctl -l': { stdout: fx('freebsd-swapctl-l.txt') },
      'mount -p': { stdout: fx('freebsd-mount-p.txt') },
    });
    const disks = await detectDisks('freebsd', r);
    expect(disks.map((d) => d.name)).toEqual(['ada0', 'da0', 'da1', 'da2', 'nvd0', 'vtbd0']);
    expect(disks.find((d) => d.name === 'da2')!.in_use).toEqual([
      { reason: 'zpool-exported', detail: 'backup' },
    ]);
  });
});
