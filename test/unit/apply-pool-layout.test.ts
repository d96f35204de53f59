import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseZpoolLayouts } from '../../src/disks/common.js';
import { deviceMatcher, layoutDifferences } from '../../src/apply/pool-layout.js';
import { ProbeOracle, parseZpoolGet } from '../../src/apply/probes.js';
import { FakeRunner } from '../helpers/fake-runner.js';
import type { PoolLayout } from '../../src/platform/zfs.js';
import type { Step } from '../../src/plan/types.js';

const fx = (f: string) => readFileSync(join(__dirname, '../fixtures/disks', f), 'utf8');

/** What zfs-fuse printed here for the e2e pool (no -P: files by path, block devices by name). */
const ZFS_FUSE = [
  '  pool: tank',
  ' state: ONLINE',
  ' scrub: none requested',
  'config:',
  '',
  '\tNAME                  STATE     READ WRITE CKSUM',
  '\ttank                  ONLINE       0     0     0',
  '\t  raidz1-0            ONLINE       0     0     0',
  '\t    /srv/disk0        ONLINE       0     0     0',
  '\t    /srv/disk1        ONLINE       0     0     0',
  '\t    /srv/disk2        ONLINE       0     0     0',
  '\tlogs',
  '\t  mirror-1            ONLINE       0     0     0',
  '\t    /srv/log0         ONLINE       0     0     0',
  '\t    /srv/log1         ONLINE       0     0     0',
  '\tcache',
  '\t  loop0               ONLINE       0     0     0',
  '\tspares',
  '\t  /srv/spare0         AVAIL   ',
  '',
  'errors: No known data errors',
  '',
].join('\n');

/** OpenZFS -P: whole disks on partition 1, a hot spare standing in, a disk being replaced, special and dedup classes, a removed vdev. */
const OPENZFS = [
  '  pool: big',
  ' state: DEGRADED',
  'config:',
  '',
  '\tNAME                                   STATE     READ WRITE CKSUM',
  '\tbig                                    DEGRADED     0     0     0',
  '\t  raidz2-0                             DEGRADED     0     0     0',
  '\t    /dev/disk/by-id/wwn-0xa-part1      ONLINE       0     0     0',
  '\t    spare-1                            DEGRADED     0     0     0',
  '\t      /dev/disk/by-id/wwn-0xb-part1    FAULTED      0     0     0  too many errors',
  '\t      /dev/disk/by-id/wwn-0xs-part1    ONLINE       0     0     0',
  '\t    replacing-2                        DEGRADED     0     0     0',
  '\t      /dev/disk/by-id/wwn-0xc-part1    OFFLINE      0     0     0',
  '\t      /dev/disk/by-id/wwn-0xd-part1    ONLINE       0     0     0',
  '\t    /dev/disk/by-id/wwn-0xe-part1      ONLINE       0     0     0',
  '\t  indirect-1                           ONLINE       0     0     0',
  '\t  /dev/sdz1                            ONLINE       0     0     0',
  '\tspecial',
  '\t  mirror-3                             ONLINE       0     0     0',
  '\t    /dev/nvme0n1p1                     ONLINE       0     0     0',
  '\t    /dev/nvme1n1p1                     ONLINE       0     0     0',
  '\tdedup',
  '\t  /dev/nvme2n1p1                       ONLINE       0     0     0',
  '\tspares',
  '\t  /dev/disk/by-id/wwn-0xs-part1        INUSE     currently in use',
  '',
  'errors: No known data errors',
].join('\n');

describe('parseZpoolLayouts', () => {
  it('reads the vdev classes of the zfs-fuse listing', () => {
    expect(parseZpoolLayouts(ZFS_FUSE).get('tank')).toEqual({
      data: [{ type: 'raidz1', slots: [['/srv/disk0'], ['/srv/disk1'], ['/srv/disk2']] }],
      special: [],
      dedup: [],
      log: [{ type: 'mirror', slots: [['/srv/log0'], ['/srv/log1']] }],
      cache: [['loop0']],
      spare: [['/srv/spare0']],
    });
  });

  it('keeps spare-N and replacing-N groups as one slot, skips indirect vdevs, reads special and dedup', () => {
    const big = parseZpoolLayouts(OPENZFS).get('big')!;
    expect(big.data).toEqual([
      {
        type: 'raidz2',
        slots: [
          ['/dev/disk/by-id/wwn-0xa-part1'],
          ['/dev/disk/by-id/wwn-0xb-part1', '/dev/disk/by-id/wwn-0xs-part1'],
          ['/dev/disk/by-id/wwn-0xc-part1', '/dev/disk/by-id/wwn-0xd-part1'],
          ['/dev/disk/by-id/wwn-0xe-part1'],
        ],
      },
      { type: 'stripe', slots: [['/dev/sdz1']] },
    ]);
    expect(big.special).toEqual([
      { type: 'mirror', slots: [['/dev/nvme0n1p1'], ['/dev/nvme1n1p1']] },
    ]);
    expect(big.dedup).toEqual([{ type: 'stripe', slots: [['/dev/nvme2n1p1']] }]);
    expect(big.spare).toEqual([['/dev/disk/by-id/wwn-0xs-part1']]);
  });

  it('reads several pools (illumos and FreeBSD listings)', () => {
    const illumos = parseZpoolLayouts(fx('illumos-zpool-status-P.txt'));
    expect([...illumos.keys()]).toEqual(['rpool', 'tank']);
    expect(illumos.get('tank')).toEqual({
      data: [{ type: 'mirror', slots: [['/dev/dsk/c3t1d0s0'], ['/dev/dsk/c3t2d0s0']] }],
      special: [],
      dedup: [],
      log: [{ type: 'stripe', slots: [['/dev/dsk/c2t0025385B71B40ADEd0s0']] }],
      cache: [['/dev/dsk/c7t0d0s0']],
      spare: [['/dev/dsk/c0t5000CCA0259F42F0d0s0']],
    });
    const freebsd = parseZpoolLayouts(fx('freebsd-zpool-status-P.txt'));
    expect(freebsd.get('fast')!.data).toEqual([{ type: 'stripe', slots: [['/dev/nvd0p1']] }]);
  });
});

describe('deviceMatcher', () => {
  const links: Record<string, string> = {
    '/dev/disk/by-id/wwn-0xa': '/dev/sdb',
    '/dev/disk/by-id/wwn-0xa-part1': '/dev/sdb1',
  };
  const same = deviceMatcher((p) => links[p] ?? p);

  it('matches with or without /dev/, through symlinks, and a whole disk with the partition ZFS made', () => {
    expect(same('/dev/loop0', 'loop0')).toBe(true);
    expect(same('/srv/disk0', '/srv/disk0')).toBe(true);
    expect(same('/dev/sdb', '/dev/sdb1')).toBe(true);
    expect(same('/dev/disk/by-id/wwn-0xa', '/dev/disk/by-id/wwn-0xa-part1')).toBe(true);
    expect(same('/dev/sdb', '/dev/disk/by-id/wwn-0xa-part1')).toBe(true);
    expect(same('/dev/disk/by-id/wwn-0xa', 'sdb')).toBe(true);
    expect(same('/dev/nvme0n1', '/dev/nvme0n1p1')).toBe(true);
    expect(same('c3t1d0', '/dev/dsk/c3t1d0s0')).toBe(true);
  });

  it('does not take one disk for another', () => {
    expect(same('/dev/loop1', 'loop11')).toBe(false);
    expect(same('/dev/nvme0n1', '/dev/nvme0n11')).toBe(false);
    expect(same('/dev/sdb', '/dev/sdb2')).toBe(false);
    expect(same('/dev/sdb', '/dev/sdc1')).toBe(false);
    expect(same('/srv/disk1', '/srv/disk10')).toBe(false);
  });
});

describe('layoutDifferences', () => {
  const same = deviceMatcher((p) => p);
  const found = parseZpoolLayouts(ZFS_FUSE).get('tank')!;
  const wanted: PoolLayout = {
    data: [{ type: 'raidz', devices: ['/srv/disk2', '/srv/disk0', '/srv/disk1'] }],
    special: [],
    dedup: [],
    log: [{ type: 'mirror', devices: ['/srv/log1', '/srv/log0'] }],
    cache: ['/dev/loop0'],
    spare: ['/srv/spare0'],
  };

  it('finds none when the pool has the vdevs the config gives it (in any order)', () => {
    expect(layoutDifferences(wanted, found, same)).toEqual([]);
  });

  it('names each class that differs, with both sides', () => {
    expect(
      layoutDifferences(
        {
          ...wanted,
          data: [{ type: 'mirror', devices: ['/srv/disk0', '/srv/disk1'] }],
          log: [],
          cache: ['/dev/loop0', '/dev/loop1'],
        },
        found,
        same,
      ),
    ).toEqual([
      'data vdevs: the config has mirror (/srv/disk0, /srv/disk1); the pool has raidz1 (/srv/disk0, /srv/disk1, /srv/disk2)',
      'log vdevs: the config has none; the pool has mirror (/srv/log0, /srv/log1)',
      'cache devices: the config has /dev/loop0, /dev/loop1; the pool has loop0',
    ]);
  });

  it('takes a stripe of n devices as n top-level vdevs, and a raidz of other disks as different', () => {
    const stripe = parseZpoolLayouts(fx('linux-zpool-status.txt')).get('captank')!;
    const plain = { special: [], dedup: [], log: [], cache: [], spare: [] };
    expect(
      layoutDifferences(
        { ...plain, data: [{ type: 'stripe', devices: ['/dev/loop1'] }] },
        stripe,
        same,
      ),
    ).toEqual([]);
    expect(
      layoutDifferences(
        { ...plain, data: [{ type: 'stripe', devices: ['/dev/loop1', '/dev/loop2'] }] },
        stripe,
        same,
      ),
    ).toEqual(['data vdevs: the config has /dev/loop1, /dev/loop2; the pool has loop1']);
    expect(
      layoutDifferences(
        {
          ...wanted,
          data: [{ type: 'raidz1', devices: ['/srv/disk0', '/srv/disk1', '/srv/diskX'] }],
        },
        found,
        same,
      ),
    ).toHaveLength(1);
  });

  it('accepts a pool whose disk is being replaced or stood in for by a spare', () => {
    const big = parseZpoolLayouts(OPENZFS).get('big')!;
    const id = (x: string) => `/dev/disk/by-id/wwn-0x${x}`;
    expect(
      layoutDifferences(
        {
          data: [
            { type: 'raidz2', devices: ['a', 'b', 'c', 'e'].map(id) },
            { type: 'stripe', devices: ['/dev/sdz'] },
          ],
          special: [{ type: 'mirror', devices: ['/dev/nvme0n1', '/dev/nvme1n1'] }],
          dedup: [{ type: 'stripe', devices: ['/dev/nvme2n1'] }],
          log: [],
          cache: [],
          spare: [id('s')],
        },
        big,
        same,
      ),
    ).toEqual([]);
  });
});

describe('a pool that exists', () => {
  const host = { kind: 'host' } as const;
  // zfs-fuse: no -P
  const answer = (argv: readonly string[]) =>
    argv[0] === 'zpool'
      ? argv.includes('-P')
        ? { exitCode: 2, stderr: "invalid option 'P'\n" }
        : { stdout: ZFS_FUSE }
      : { stdout: 'tank\ttype\tfilesystem\t-\ntank\tatime\toff\tlocal\n' };
  const pool = (layout: PoolLayout): Step => ({
    id: 'pool:tank',
    title: 'Create pool tank',
    context: host,
    argv: ['zpool', 'create', 'tank'],
    dependsOn: [],
    destroys: true,
    probe: { kind: 'pool-exists', pool: 'tank', properties: { atime: 'off' }, layout },
  });
  const wanted: PoolLayout = {
    data: [{ type: 'raidz', devices: ['/srv/disk0', '/srv/disk1', '/srv/disk2'] }],
    special: [],
    dedup: [],
    log: [{ type: 'mirror', devices: ['/srv/log0', '/srv/log1'] }],
    cache: ['/dev/loop0'],
    spare: ['/srv/spare0'],
  };

  it('is done with the vdevs the config gives it', async () => {
    const step = pool(wanted);
    const runner = new FakeRunner(answer);
    expect(await new ProbeOracle(runner, { steps: [step] }).check(step)).toEqual({ done: true });
    expect(runner.calls.slice(0, 2)).toEqual(['zpool status -P', 'zpool status']);
  });

  it('is refused, never re-created or taken as done, with other vdevs', async () => {
    const step = pool({
      ...wanted,
      data: [{ type: 'mirror', devices: ['/srv/disk0', '/srv/disk1'] }],
    });
    const v = await new ProbeOracle(new FakeRunner(answer), { steps: [step] }).check(step);
    expect(v.done).toBe(false);
    expect(v.refuse).toBe(
      'pool tank exists with other vdevs than the config gives it (data vdevs: the config has mirror (/srv/disk0, /srv/disk1); the pool has raidz1 (/srv/disk0, /srv/disk1, /srv/disk2)); apply never changes the vdevs of a pool that exists: make the config match the pool or give the pool another name, or change the pool yourself (zpool add, attach, replace)',
    );
  });
});

describe('pool properties of a pool that exists', () => {
  const ZFS_FUSE_GET = [
    'NAME  PROPERTY       VALUE       SOURCE',
    'tank  autoexpand     off         default',
    'tank  failmode       continue    local',
    'tank  guid           5032028774341297177  default',
    '',
  ].join('\n');

  it('reads zpool get with -H and the zfs-fuse table (values with spaces, overflowing columns)', () => {
    expect(
      parseZpoolGet('tank\tcomment\ta b\tlocal\ntank\tautoexpand\ton\tdefault\n', 'tank', false),
    ).toEqual(
      new Map([
        ['comment', 'a b'],
        ['autoexpand', 'on'],
      ]),
    );
    expect(parseZpoolGet(ZFS_FUSE_GET, 'tank', true)).toEqual(
      new Map([
        ['autoexpand', 'off'],
        ['failmode', 'continue'],
        ['guid', '5032028774341297177'],
      ]),
    );
    expect(parseZpoolGet('tank  comment  two  words  local\n', 'tank', true).get('comment')).toBe(
      'two  words',
    );
  });

  it("gets zpool set of each that differs, before the root dataset's zfs set", async () => {
    const runner = new FakeRunner((a) =>
      a[1] === 'status'
        ? { stdout: ZFS_FUSE }
        : a[0] === 'zpool' && a[1] === 'get' && a[2] === '-H'
          ? { exitCode: 2, stderr: "bad property list: invalid property '-H'\n" }
          : a[0] === 'zpool'
            ? { stdout: ZFS_FUSE_GET }
            : { stdout: 'tank\ttype\tfilesystem\t-\ntank\tatime\ton\tdefault\n' },
    );
    const step: Step = {
      id: 'pool:tank',
      title: 'Create pool tank',
      context: { kind: 'host' },
      argv: ['zpool', 'create', 'tank'],
      dependsOn: [],
      destroys: true,
      probe: {
        kind: 'pool-exists',
        pool: 'tank',
        properties: { atime: 'off' },
        poolProperties: { autoexpand: 'on', failmode: 'continue' },
      },
    };
    const o = new ProbeOracle(runner, { steps: [step] });
    expect(await o.check(step)).toEqual({
      done: false,
      fix: {
        argvs: [
          ['zpool', 'set', 'autoexpand=on', 'tank'],
          ['zfs', 'set', 'atime=off', 'tank'],
        ],
        title:
          'Set autoexpand=on on pool tank (exists; autoexpand is off); Set atime=off on tank (exists; atime is on)',
      },
    });
    expect(runner.calls).toContain(
      'zpool get -H -p -o name,property,value,source autoexpand,failmode tank',
    );
    expect(runner.calls).toContain('zpool get autoexpand,failmode tank');
  });
});

describe('the pool listing during an apply', () => {
  it('is asked again only after a zpool step, and without -P once zpool refused it', async () => {
    const runner = new FakeRunner((argv) =>
      argv[0] === 'zpool'
        ? argv.includes('-P')
          ? { exitCode: 2, stderr: "invalid option 'P'\n" }
          : { stdout: ZFS_FUSE }
        : { stdout: 'tank\ttype\tfilesystem\t-\ntank/a\ttype\tfilesystem\t-\n' },
    );
    const host = { kind: 'host' } as const;
    const pool: Step = {
      id: 'pool:tank',
      title: 'Create pool tank',
      context: host,
      argv: ['zpool', 'create', 'tank', '/srv/disk0'],
      dependsOn: [],
      destroys: true,
      probe: { kind: 'pool-exists', pool: 'tank' },
    };
    const dataset = (name: string): Step => ({
      id: `dataset:${name}`,
      title: `Create ${name}`,
      context: host,
      argv: ['zfs', 'create', name],
      dependsOn: [],
      destroys: false,
      probe: { kind: 'dataset-exists', dataset: name },
    });
    const o = new ProbeOracle(runner, { steps: [pool, dataset('tank/a'), dataset('tank/b')] });
    expect(await o.isDone(pool)).toBe(true);
    expect(await o.isDone(dataset('tank/a'))).toBe(true);
    o.invalidate(dataset('tank/b'));
    expect(await o.isDone(dataset('tank/b'))).toBe(false);
    expect(runner.calls.filter((c) => c.startsWith('zpool'))).toEqual([
      'zpool status -P',
      'zpool status',
    ]);
    expect(runner.calls.filter((c) => c.startsWith('zfs get'))).toHaveLength(2);
    o.invalidate(pool);
    expect(await o.isDone(pool)).toBe(true);
    expect(runner.calls.filter((c) => c.startsWith('zpool'))).toEqual([
      'zpool status -P',
      'zpool status',
      'zpool status',
    ]);
  });
});
