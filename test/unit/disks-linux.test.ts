import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxDisks, parseLsblk, parseProcSwaps } from '../../src/disks/parse-linux.js';
import { DiskParseError } from '../../src/disks/errors.js';
import type { Disk } from '../../src/disks/types.js';
import { DISK_CONTRACT_FIELDS } from '../helpers/disks.js';

const dir = join(__dirname, '../fixtures/disks');
const fx = (f: string) => readFileSync(join(dir, f), 'utf8');
const byName = (ds: Disk[], n: string) => {
  const d = ds.find((x) => x.name === n);
  if (!d) throw new Error(`no disk ${n} in ${ds.map((x) => x.name).join(',')}`);
  return d;
};
const reasons = (d: Disk) => d.in_use.map((u) => u.reason);

describe('Linux lsblk, real output captured on this machine', () => {
  const disks = linuxDisks({
    lsblk: fx('linux-lsblk.json'),
    swaps: fx('linux-proc-swaps.txt'),
    mounts: fx('linux-proc-mounts.txt'),
    loopBacking: JSON.parse(fx('linux-loop-backing.json')) as Record<string, string>,
    zpool: { status: fx('linux-zpool-status.txt'), import: fx('linux-zpool-import.txt') },
  });

  it('lists attached loop devices and the disk, not zram0 (size 0), sorted by name', () => {
    expect(disks.map((d) => d.name)).toEqual(['loop0', 'loop1', 'loop2', 'loop3', 'loop4', 'vda']);
  });

  it('reads identity fields with the contract names', () => {
    const vda = byName(disks, 'vda');
    expect(Object.keys(vda).sort()).toEqual(DISK_CONTRACT_FIELDS);
    expect(vda).toMatchObject({
      path: '/dev/vda',
      size_bytes: 274877906944,
      transport: 'virtio',
      vendor: '0x1af4',
      serial: null,
      removable: false,
      rotational: true,
      ssd: false,
    });
  });

  it('loop devices: transport loop, the backing file as model', () => {
    const l0 = byName(disks, 'loop0');
    expect(l0.transport).toBe('loop');
    expect(l0.model).toBe('/tmp/dcap/f1.img');
    expect(l0.size_bytes).toBe(268435456);
    expect(l0.in_use).toEqual([]);
  });

  it('classifies pool member, exported pool, mount, partitions and root', () => {
    expect(byName(disks, 'loop1').in_use).toEqual([{ reason: 'zpool', detail: 'captank' }]);
    expect(byName(disks, 'loop4').in_use).toEqual([
      { reason: 'zpool-exported', detail: 'oldpool' },
    ]);
    expect(byName(disks, 'loop2').in_use).toEqual([{ reason: 'mounted', detail: '/tmp/dcap/mnt' }]);
    const l3 = byName(disks, 'loop3');
    expect(l3.in_use).toEqual([
      { reason: 'partition-in-use', detail: 'loop3p1: mounted /tmp/dcap/mnt3' },
      { reason: 'partition-in-use', detail: 'loop3p2: swap /dev/loop3p2' },
    ]);
    expect(reasons(byName(disks, 'vda'))).toEqual(['mounted', 'root']);
    expect(byName(disks, 'vda').in_use[1]!.detail).toBe('/ is on vda');
  });

  it('the pre-2.37 MOUNTPOINT column gives the same mounts', () => {
    const old = linuxDisks({ lsblk: fx('linux-lsblk-mountpoint.json') });
    expect(byName(old, 'loop2').in_use).toEqual([{ reason: 'mounted', detail: '/tmp/dcap/mnt' }]);
    expect(byName(old, 'loop3').in_use.map((u) => u.detail)).toEqual([
      'loop3p1: mounted /tmp/dcap/mnt3',
      'loop3p2: swap /dev/loop3p2',
    ]);
  });

  it('without zpool facts, pool members are not invented (this machine has no fstype)', () => {
    const bare = linuxDisks({ lsblk: fx('linux-lsblk.json') });
    expect(byName(bare, 'loop1').in_use).toEqual([]);
    expect(byName(bare, 'loop0').model).toBeNull();
  });

  it('/proc/swaps: paths of the rows after the header', () => {
    expect(parseProcSwaps(fx('linux-proc-swaps.txt'))).toEqual(['/dev/loop3p2']);
  });
});

describe('Linux lsblk, server fixture (util-linux ≥ 2.41 form)', () => {
  const disks = linuxDisks({
    lsblk: fx('linux-lsblk-server.json'),
    byId: JSON.parse(fx('linux-by-id-server.json')) as Record<string, string>,
    swaps: fx('linux-server-proc-swaps.txt'),
    zpool: {
      status: fx('linux-server-zpool-status-P.txt'),
      import: fx('linux-server-zpool-import.txt'),
    },
  });

  it('skips the empty card reader and the DVD drive', () => {
    expect(disks.map((d) => d.name)).toEqual([
      'nvme0n1',
      'nvme1n1',
      'sda',
      'sdb',
      'sdc',
      'sdd',
      'sde',
      'sdf',
      'sdh',
    ]);
  });

  it('by-id links of the whole disk only, sorted; vendor trimmed', () => {
    const sda = byName(disks, 'sda');
    expect(sda.by_id).toEqual([
      '/dev/disk/by-id/ata-INTEL_SSDSC2BB480G4_BTWL3402055H480QGN',
      '/dev/disk/by-id/wwn-0x55cd2e404b6f1a2c',
    ]);
    expect(sda.vendor).toBe('ATA');
    expect(sda.wwn).toBe('0x55cd2e404b6f1a2c');
    expect(byName(disks, 'nvme0n1').wwn).toBe('eui.002538b711b4e4f1');
  });

  it('md + LVM root: both mirror halves are root and have a partition in use', () => {
    for (const n of ['sda', 'sdb']) {
      const d = byName(disks, n);
      expect(reasons(d)).toContain('root');
      expect(d.in_use).toContainEqual({
        reason: 'partition-in-use',
        detail: `${n}2: md md0 (raid1)`,
      });
    }
    expect(byName(disks, 'sda').in_use).toContainEqual({
      reason: 'partition-in-use',
      detail: 'sda1: mounted /boot/efi',
    });
    expect(byName(disks, 'sda').in_use).toContainEqual({
      reason: 'partition-in-use',
      detail: 'sda2: mounted / (via vg0-root)',
    });
  });

  it('zpool status -P by-id partition path → partition-in-use naming the pool', () => {
    expect(byName(disks, 'nvme0n1').in_use).toEqual([
      { reason: 'partition-in-use', detail: 'nvme0n1p1: zpool fast' },
    ]);
  });

  it('zpool import by-id name → zpool-exported on the whole disk, no duplicate from fstype', () => {
    expect(byName(disks, 'sdc').in_use).toEqual([{ reason: 'zpool-exported', detail: 'archive' }]);
  });

  it('install media: iso9660 and the live medium mount point', () => {
    const sde = byName(disks, 'sde');
    expect(sde.removable).toBe(true);
    expect(sde.transport).toBe('usb');
    expect(sde.in_use).toContainEqual({ reason: 'install-media', detail: 'iso9660 file system' });
    expect(sde.in_use).toContainEqual({
      reason: 'partition-in-use',
      detail: 'sde1: install-media /run/live/medium',
    });
  });

  it('dm-crypt holder on a whole disk', () => {
    const sdf = byName(disks, 'sdf');
    expect(sdf.serial).toBeNull();
    expect(sdf.in_use).toEqual([
      { reason: 'device-mapper', detail: 'luks-1f2e (crypt)' },
      { reason: 'mounted', detail: '/srv/secret (via luks-1f2e)' },
    ]);
  });

  it('free disks have no reasons; type from rota', () => {
    for (const n of ['sdd', 'sdh', 'nvme1n1']) expect(byName(disks, n).in_use).toEqual([]);
    expect(byName(disks, 'sdd')).toMatchObject({ rotational: true, ssd: false });
    expect(byName(disks, 'nvme1n1')).toMatchObject({
      rotational: false,
      ssd: true,
      transport: 'nvme',
    });
  });

  it('zfs_member without zpool: in use, and the detail says why it is a guess', () => {
    const ds = linuxDisks({
      lsblk: fx('linux-lsblk-server.json'),
      zpool: { unavailable: 'zpool is not installed' },
    });
    const nv = byName(ds, 'nvme0n1');
    expect(nv.in_use).toHaveLength(1);
    expect(nv.in_use[0]!.reason).toBe('partition-in-use');
    expect(nv.in_use[0]!.detail).toMatch(
      /^nvme0n1p1: zpool ZFS label .*zpool not available: zpool is not installed/,
    );
  });

  it('zfs_member not listed by zpool → zpool-exported, conservatively', () => {
    const ds = linuxDisks({
      lsblk: fx('linux-lsblk-server.json'),
      zpool: { status: '', import: '' },
    });
    expect(byName(ds, 'sdc').in_use[0]!.detail).toMatch(/^sdc1: zpool-exported ZFS label/);
  });
});

describe('Linux lsblk, util-linux < 2.33 form (strings, no path, mountpoint)', () => {
  const disks = linuxDisks({ lsblk: fx('linux-lsblk-old.json') });
  it('reads string numbers and booleans; skips the unattached loop device', () => {
    expect(disks.map((d) => d.name)).toEqual(['sda', 'sdb']);
    expect(byName(disks, 'sda')).toMatchObject({
      path: '/dev/sda',
      size_bytes: 256060514304,
      ssd: true,
      rotational: false,
      model: 'Samsung SSD 850',
    });
    expect(byName(disks, 'sdb')).toMatchObject({ rotational: true, ssd: false, in_use: [] });
  });
  it('root, mounted partition and swap partition', () => {
    expect(byName(disks, 'sda').in_use).toEqual([
      { reason: 'partition-in-use', detail: 'sda1: mounted /' },
      { reason: 'partition-in-use', detail: 'sda2: swap /dev/sda2' },
      { reason: 'root', detail: '/ is on sda1' },
    ]);
  });
});

describe('lsblk shape errors', () => {
  it.each([
    ['not JSON', 'lsblk: unknown column', /not JSON/],
    ['no blockdevices', '{"devices": []}', /no "blockdevices"/],
    [
      'human sizes',
      '{"blockdevices":[{"name":"sda","size":"465.8G","type":"disk"}]}',
      /run lsblk with -b/,
    ],
    ['no name', '{"blockdevices":[{"size":1}]}', /has no "name"/],
  ])('%s → DiskParseError', (_, text, re) => {
    expect(() => parseLsblk(text)).toThrow(DiskParseError);
    expect(() => parseLsblk(text)).toThrow(re);
  });
  it('an empty list is an empty list (a machine with no block devices), not an error', () => {
    expect(linuxDisks({ lsblk: '{"blockdevices": []}' })).toEqual([]);
  });
  it('mountpoints [null] (2.37–2.40) and [] (2.41) both mean not mounted', () => {
    const mk = (mps: unknown) =>
      JSON.stringify({ blockdevices: [{ name: 'sdz', size: 10, type: 'disk', mountpoints: mps }] });
    expect(linuxDisks({ lsblk: mk([null]) })[0]!.in_use).toEqual([]);
    expect(linuxDisks({ lsblk: mk([]) })[0]!.in_use).toEqual([]);
    expect(linuxDisks({ lsblk: mk(['/x']) })[0]!.in_use).toEqual([
      { reason: 'mounted', detail: '/x' },
    ]);
  });
});
