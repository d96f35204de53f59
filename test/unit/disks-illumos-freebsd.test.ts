import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  illumosDisks,
  parseDiskinfo,
  parseDumpadm,
  parseSwapL,
} from '../../src/disks/parse-illumos.js';
import { freebsdDisks, parseGeomDiskList, parseSwapctl } from '../../src/disks/parse-freebsd.js';
import { parseMountP, parseZpoolListing } from '../../src/disks/common.js';
import { DiskParseError } from '../../src/disks/errors.js';
import type { Disk } from '../../src/disks/types.js';

const dir = join(__dirname, '../fixtures/disks');
const fx = (f: string) => readFileSync(join(dir, f), 'utf8');
const byName = (ds: Disk[], n: string) => {
  const d = ds.find((x) => x.name === n);
  if (!d) throw new Error(`no disk ${n}`);
  return d;
};

describe('zpool listings', () => {
  it('status -P: leaf devices only (no mirror-0, logs, cache, spares), per pool', () => {
    const pools = parseZpoolListing(fx('illumos-zpool-status-P.txt'));
    expect(pools.map((p) => p.pool)).toEqual(['rpool', 'tank']);
    expect(pools[1]!.devices).toEqual([
      '/dev/dsk/c3t1d0s0',
      '/dev/dsk/c3t2d0s0',
      '/dev/dsk/c2t0025385B71B40ADEd0s0',
      '/dev/dsk/c7t0d0s0',
      '/dev/dsk/c0t5000CCA0259F42F0d0s0',
    ]);
    expect(pools[0]!.state).toBe('ONLINE');
  });
  it('import (old indentation) and the real zfs-fuse listing', () => {
    expect(parseZpoolListing(fx('illumos-zpool-import.txt'))).toEqual([
      { pool: 'oldtank', id: '15034478376353441862', state: 'ONLINE', devices: ['c3t3d0'] },
    ]);
    expect(parseZpoolListing(fx('linux-zpool-status.txt'))).toEqual([
      { pool: 'captank', state: 'ONLINE', devices: ['loop1'] },
      { pool: 'filetank', state: 'ONLINE', devices: ['/tmp/dcap/filepool.img'] },
    ]);
  });
  it('OpenZFS ≥ 2.3 import labels shifted left, raidz2 and draid groups', () => {
    const text = [
      '  pool: big',
      '    id: 1',
      ' state: ONLINE',
      'action: The pool can be imported using its name or numeric identifier.',
      'config:',
      '',
      '\tbig          ONLINE',
      '\t  raidz2-0   ONLINE',
      '\t    sdb      ONLINE',
      '\t    sdc      ONLINE',
      '\t  draid1:2d:4c:0s-1  ONLINE',
      '\t    sdd      ONLINE',
      '\tspecial',
      '\t  mirror-2   ONLINE',
      '\t    nvme0n1  ONLINE',
    ].join('\n');
    expect(parseZpoolListing(text)[0]!.devices).toEqual(['sdb', 'sdc', 'sdd', 'nvme0n1']);
  });
  it('nothing to import: no pools', () => {
    expect(parseZpoolListing('')).toEqual([]);
  });
});

describe('illumos diskinfo', () => {
  it('-cHp: 8 TAB fields, PIDs with spaces, missing serials, FIBRE CHANNEL, FLRS letters', () => {
    const rows = parseDiskinfo(fx('illumos-diskinfo-cHp.txt'));
    expect(rows).toHaveLength(10);
    expect(rows[1]).toEqual({
      type: 'NVME',
      disk: 'c2t0025385B71B40ADEd0',
      vid: 'NVMe',
      pid: 'Samsung SSD 970 EVO Plus 500GB',
      serial: 'S4EVNF0M123456X',
      size: 500107862016,
      removable: false,
      ssd: true,
    });
    expect(rows[3]).toMatchObject({ type: 'FIBRE CHANNEL', serial: null, ssd: false });
    expect(rows[8]).toMatchObject({ disk: 'c6d0', type: 'UNKNOWN', ssd: null, removable: null });
  });
  it('-Hp: 7 fields with yes/no/-', () => {
    const rows = parseDiskinfo(fx('illumos-diskinfo-Hp.txt'));
    expect(rows.map((r) => [r.disk, r.removable, r.ssd])).toEqual([
      ['c1t0d0', false, false],
      ['c2t0025385B71B40ADEd0', false, true],
      ['c5t0d0', true, false],
      ['c6d0', null, null],
    ]);
    expect(rows[3]!.type).toBeNull();
  });
  it.each([
    ['human size', 'SCSI\tc1t0d0\tATA\tVBOX HARDDISK\t  16.00 GiB\tno\tno'],
    ['wrong field count', 'SCSI c1t0d0 ATA VBOX 17179869184 no no'],
    ['bad disk name', 'SCSI\tsda\tATA\tX\t1\tno\tno'],
    ['bad FLRS', 'SCSI\tc1t0d0\tATA\tX\tSER\t1\tyes\t-'],
  ])('%s → DiskParseError', (_, text) => {
    expect(() => parseDiskinfo(text)).toThrow(DiskParseError);
  });
  it('swap -l, dumpadm, mount -p', () => {
    expect(parseSwapL(fx('illumos-swap-l.txt'))).toEqual(['/dev/zvol/dsk/rpool/swap']);
    expect(parseDumpadm(fx('illumos-dumpadm.txt'))).toBe('/dev/zvol/dsk/rpool/dump');
    expect(parseDumpadm('       Dump device: none (dumps disabled)\n')).toBeUndefined();
    expect(parseMountP(fx('illumos-mount-p.txt'), 'vfstab')[0]).toEqual({
      device: 'rpool/ROOT/omnios',
      mountpoint: '/',
      fstype: 'zfs',
    });
  });
});

describe('illumos classification', () => {
  const disks = illumosDisks({
    diskinfo: fx('illumos-diskinfo-cHp.txt'),
    zpoolStatus: fx('illumos-zpool-status-P.txt'),
    zpoolImport: fx('illumos-zpool-import.txt'),
    swap: fx('illumos-swap-l.txt'),
    dumpadm: fx('illumos-dumpadm.txt'),
    mounts: fx('illumos-mount-p.txt'),
  });
  it('identity: path, transport from TYPE, WWN from an MPxIO target, ssd from FLRS', () => {
    const fc = byName(disks, 'c0t5000CCA0259F42F0d0');
    expect(fc).toMatchObject({
      path: '/dev/dsk/c0t5000CCA0259F42F0d0',
      transport: 'fc',
      wwn: '0x5000cca0259f42f0',
      serial: null,
      vendor: 'HITACHI',
      model: 'HUS72302CLAR2000',
      size_bytes: 2000398934016,
      ssd: false,
      rotational: true,
    });
    expect(byName(disks, 'c4t1d0').transport).toBe('loop');
    expect(byName(disks, 'c5t0d0')).toMatchObject({ transport: 'usb', removable: true });
    expect(byName(disks, 'c6d0')).toMatchObject({ transport: null, ssd: null, rotational: null });
    expect(byName(disks, 'c1t0d0').wwn).toBeNull();
  });
  it('root pool disk (rpool on s1 of a -B disk) is zpool + root', () => {
    expect(byName(disks, 'c1t0d0').in_use).toEqual([
      { reason: 'zpool', detail: 'rpool' },
      { reason: 'root', detail: '/ is on pool rpool' },
    ]);
  });
  it('every tank vdev (data, log, cache, spare) is zpool; exported pool; mounted slice; hsfs media', () => {
    for (const n of [
      'c3t1d0',
      'c3t2d0',
      'c2t0025385B71B40ADEd0',
      'c7t0d0',
      'c0t5000CCA0259F42F0d0',
    ])
      expect(byName(disks, n).in_use).toEqual([{ reason: 'zpool', detail: 'tank' }]);
    expect(byName(disks, 'c3t3d0').in_use).toEqual([
      { reason: 'zpool-exported', detail: 'oldtank' },
    ]);
    expect(byName(disks, 'c4t1d0').in_use).toEqual([
      { reason: 'partition-in-use', detail: 'c4t1d0s0: mounted /mnt/lofi' },
    ]);
    expect(byName(disks, 'c5t0d0').in_use).toEqual([
      { reason: 'partition-in-use', detail: 'c5t0d0p1: install-media /media/usb (hsfs)' },
    ]);
    expect(byName(disks, 'c6d0').in_use).toEqual([]);
  });
  it('a dedicated dump slice and a swap slice', () => {
    const ds = illumosDisks({
      diskinfo: fx('illumos-diskinfo-cHp.txt'),
      dumpadm: '       Dump device: /dev/dsk/c6d0s1 (dedicated)\n',
      swap: 'swapfile dev swaplo blocks free\n/dev/dsk/c6d0s0 30,1 8 100 100\n',
    });
    expect(byName(ds, 'c6d0').in_use).toEqual([
      { reason: 'partition-in-use', detail: 'c6d0s0: swap /dev/dsk/c6d0s0' },
      { reason: 'partition-in-use', detail: 'c6d0s1: dump /dev/dsk/c6d0s1' },
    ]);
  });
});

describe('FreeBSD geom', () => {
  it('blocks: real sample fields, unknown keys kept, (null) strings', () => {
    const g = parseGeomDiskList(fx('freebsd-geom-disk-list.txt'));
    expect(g.map((x) => x.name)).toEqual(['ada0', 'da0', 'nvd0', 'da1', 'da2', 'vtbd0', 'cd0']);
    expect(g[0]).toMatchObject({
      mediasize: 120034123776,
      sectorsize: 512,
      mode: 'r2w2e3',
      descr: 'ST3120813AS',
      ident: '5LS10CHW',
      rotationrate: 'unknown',
    });
    expect(g[1]).toMatchObject({ lunid: '2020030102060804', lunname: 'USB MEMORY BAR' });
    expect(g[3]!.fields.zonemode).toBe('Not_Zoned');
    expect(g[3]!.ident).toBeNull();
    expect(g[5]).toMatchObject({ descr: null, ident: null });
  });
  it('a block without Mediasize is a parse error', () => {
    expect(() =>
      parseGeomDiskList('Geom name: ada0\nProviders:\n1. Name: ada0\n   Mode: r0w0e0\n'),
    ).toThrow(/no "Mediasize/);
  });
  it('swapctl -l (.eli on its provider)', () => {
    expect(parseSwapctl(fx('freebsd-swapctl-l.txt'))).toEqual(['/dev/ada0p2']);
  });
});

describe('FreeBSD classification', () => {
  const disks = freebsdDisks({
    geom: fx('freebsd-geom-disk-list.txt'),
    kernDisks: fx('freebsd-kern-disks.txt'),
    zpoolStatus: fx('freebsd-zpool-status-P.txt'),
    zpoolImport: fx('freebsd-zpool-import.txt'),
    swap: fx('freebsd-swapctl-l.txt'),
    mounts: fx('freebsd-mount-p.txt'),
  });
  it('kern.disks (unsorted) without cd0, sorted by name', () => {
    expect(disks.map((d) => d.name)).toEqual(['ada0', 'da0', 'da1', 'da2', 'nvd0', 'vtbd0']);
  });
  it('rotationrate: 0 → ssd, number → hdd, unknown → null; lunid → wwn', () => {
    expect(byName(disks, 'nvd0')).toMatchObject({
      ssd: true,
      rotational: false,
      transport: 'nvme',
      wwn: '0x002538b711b4e4f1',
    });
    expect(byName(disks, 'da1')).toMatchObject({
      ssd: false,
      rotational: true,
      serial: null,
      transport: 'scsi',
    });
    expect(byName(disks, 'ada0')).toMatchObject({
      ssd: null,
      rotational: null,
      transport: 'ata',
      model: 'ST3120813AS',
    });
  });
  it('root pool partition, swap, mounted ESP, open counts', () => {
    const ada0 = byName(disks, 'ada0');
    expect(ada0.in_use).toEqual([
      { reason: 'partition-in-use', detail: 'ada0p3: zpool zroot' },
      { reason: 'partition-in-use', detail: 'ada0p2: swap /dev/ada0p2' },
      { reason: 'partition-in-use', detail: 'ada0p1: mounted /boot/efi' },
      { reason: 'root', detail: '/ is on pool zroot' },
      { reason: 'open', detail: 'GEOM open counts r2w2e3 (something has the disk open)' },
    ]);
    expect(byName(disks, 'nvd0').in_use).toEqual([
      { reason: 'partition-in-use', detail: 'nvd0p1: zpool fast' },
      { reason: 'open', detail: 'GEOM open counts r1w1e1 (something has the disk open)' },
    ]);
  });
  it('exported pool by /dev/diskid ident; idle disks are free', () => {
    expect(byName(disks, 'da2').in_use).toEqual([{ reason: 'zpool-exported', detail: 'backup' }]);
    for (const n of ['da0', 'da1', 'vtbd0']) expect(byName(disks, n).in_use).toEqual([]);
  });
  it('kern.disks names disks but geom printed nothing: parse error, not "no disks"', () => {
    expect(() => freebsdDisks({ geom: '', kernDisks: 'ada0 cd0' })).toThrow(DiskParseError);
    expect(freebsdDisks({ geom: '', kernDisks: 'cd0' })).toEqual([]);
  });
});
