import { describe, expect, it } from 'vitest';
import {
  at,
  check,
  errors,
  mirror,
  raidz,
  stripe,
  warnings,
  withPool,
} from '../helpers/validate.js';

const data = (...vdevs: unknown[]) => withPool({ topology: { data: vdevs } });

describe('vdev device counts (what zpool create enforces)', () => {
  it.each([
    ['mirror', 1, 2],
    ['raidz', 1, 2],
    ['raidz1', 1, 2],
    ['raidz2', 2, 3],
    ['raidz3', 3, 4],
  ])('%s with %i devices is an error, with %i it is fine', (type, few, enough) => {
    const bad = check(data(raidz(type, few)));
    expect(errors(bad)).toEqual([
      expect.objectContaining({
        path: 'storage.pools[0].topology.data[0].devices',
        message: expect.stringContaining(`at least ${enough} devices`),
        hint: expect.any(String),
      }),
    ]);
    expect(errors(check(data(raidz(type, enough))))).toEqual([]);
  });

  it('a stripe vdev with no devices is an error', () => {
    const ds = check(data(stripe()));
    expect(at(errors(ds), 'storage.pools[0].topology.data[0].devices')[0]?.message).toMatch(
      /no devices/,
    );
  });

  it('a selector with count stands for several disks', () => {
    expect(errors(check(data(mirror({ model: 'Samsung*', count: 2 }))))).toEqual([]);
    expect(errors(check(data(mirror({ model: 'Samsung*' }))))).toHaveLength(1);
  });

  it('log vdevs are stripe or mirror only', () => {
    const ds = check(
      withPool({
        topology: { data: [mirror('/dev/sda', '/dev/sdb')], log: [raidz('raidz', 3, '/dev/vd')] },
      }),
    );
    expect(at(errors(ds), 'storage.pools[0].topology.log[0].vdev_type')).toHaveLength(1);
    const ok = check(
      withPool({
        topology: { data: [mirror('/dev/sda', '/dev/sdb')], log: [mirror('/dev/vdb', '/dev/vdc')] },
      }),
    );
    expect(errors(ok)).toEqual([]);
  });

  it('cache devices are plain devices only', () => {
    const ds = check(
      withPool({
        topology: {
          data: [mirror('/dev/sda', '/dev/sdb')],
          cache: [mirror('/dev/vdb', '/dev/vdc')],
        },
      }),
    );
    expect(at(errors(ds), 'storage.pools[0].topology.cache[0].vdev_type')[0]?.hint).toMatch(
      /stripe/,
    );
  });

  it('special and dedup vdevs are stripe or mirror', () => {
    const ds = check(
      withPool({
        topology: {
          data: [mirror('/dev/sda', '/dev/sdb')],
          special: [raidz('raidz', 3, '/dev/vd')],
          dedup: [mirror('/dev/nvme0n1', '/dev/nvme1n1')],
        },
      }),
    );
    expect(at(errors(ds), 'storage.pools[0].topology.special[0].vdev_type')).toHaveLength(1);
    expect(at(errors(ds), 'storage.pools[0].topology.dedup[0].vdev_type')).toEqual([]);
  });

  it('a special vdev weaker than the data vdevs is a warning', () => {
    const ds = check(
      withPool({ topology: { data: [raidz('raidz2', 4)], special: [stripe('/dev/nvme0n1')] } }),
    );
    expect(at(warnings(ds), 'storage.pools[0].topology.special[0]')[0]?.message).toMatch(
      /loses the whole pool/,
    );
  });

  it('a pool with neither data vdevs nor devices is an error at the pool', () => {
    const ds = check(withPool({ topology: { log: [stripe('/dev/sdb')] } }));
    expect(at(errors(ds), 'storage.pools[0]')[0]?.message).toMatch(/no data devices/);
    expect(at(errors(check(withPool({}))), 'storage.pools[0]')).toHaveLength(1);
  });

  it('devices alone make a striped pool (with a warning when there are several)', () => {
    const ds = check(withPool({ devices: ['/dev/sdb', '/dev/sdc'] }));
    expect(errors(ds)).toEqual([]);
    expect(at(warnings(ds), 'storage.pools[0].devices')[0]?.message).toMatch(/stripe/);
    expect(check(withPool({ devices: ['/dev/sdb'] }))).toEqual([]);
  });

  it('devices and topology.data together are ambiguous', () => {
    const ds = check(
      withPool({ devices: ['/dev/sdd'], topology: { data: [mirror('/dev/sdb', '/dev/sdc')] } }),
    );
    expect(at(errors(ds), 'storage.pools[0].devices')).toHaveLength(1);
  });
});

describe('mixed redundancy (zpool wants -f)', () => {
  it('mirror + stripe data vdevs is a warning', () => {
    const ds = check(data(mirror('/dev/sda', '/dev/sdb'), stripe('/dev/sdc')));
    expect(errors(ds)).toEqual([]);
    expect(at(warnings(ds), 'storage.pools[0].topology.data[1]')[0]?.message).toMatch(
      /mismatched replication.*-f/,
    );
  });

  it('raidz vdevs of different widths is a warning', () => {
    const ds = check(data(raidz('raidz', 3, '/dev/sd'), raidz('raidz1', 4, '/dev/vd')));
    expect(at(warnings(ds), 'storage.pools[0].topology.data[1]')[0]?.message).toMatch(
      /3-wide raidz1 and 4-wide raidz1/,
    );
  });

  it('raidz and raidz1 of the same width are the same thing', () => {
    expect(check(data(raidz('raidz', 3, '/dev/sd'), raidz('raidz1', 3, '/dev/vd')))).toEqual([]);
  });

  it('two 2-way mirrors are fine', () => {
    expect(check(data(mirror('/dev/sda', '/dev/sdb'), mirror('/dev/sdc', '/dev/sdd')))).toEqual([]);
  });
});

describe('a disk used twice', () => {
  it('within one vdev', () => {
    const ds = check(data(mirror('/dev/sdb', '/dev/sdb')));
    expect(at(errors(ds), 'storage.pools[0].topology.data[0].devices[1]')[0]?.message).toContain(
      'storage.pools[0].topology.data[0].devices[0]',
    );
  });

  it('across roles: data and spare, after normalising the path', () => {
    const ds = check(
      withPool({ topology: { data: [mirror('/dev/sdb', '/dev/sdc')], spare: ['/dev//sdb/'] } }),
    );
    expect(at(errors(ds), 'storage.pools[0].topology.spare[0]')).toHaveLength(1);
  });

  it('illumos short names and /dev/dsk paths are one disk', () => {
    const ds = check(
      withPool({
        topology: { data: [mirror('/dev/dsk/c1t0d0', 'c1t1d0')], cache: [stripe('c1t0d0')] },
      }),
    );
    expect(at(errors(ds), 'storage.pools[0].topology.cache[0].devices[0]')).toHaveLength(1);
  });

  it('across pools, including a pool given by devices', () => {
    const ds = check({
      storage: {
        pools: [
          { name: 'tank', topology: { data: [mirror('/dev/sdb', '/dev/sdc')] } },
          { name: 'scratch', devices: ['/dev/sdc'] },
        ],
      },
    });
    expect(at(errors(ds), 'storage.pools[1].devices[0]')[0]?.message).toContain(
      'storage.pools[0].topology.data[0].devices[1]',
    );
  });

  it('selectors by serial and wwn', () => {
    const ds = check(
      withPool({
        topology: {
          data: [
            mirror({ serial: 'S1' }, { wwn: '0x5000ABC' }),
            mirror({ serial: 'S1' }, { wwn: '5000abc' }),
          ],
        },
      }),
    );
    expect(errors(ds).map((d) => d.path)).toEqual([
      'storage.pools[0].topology.data[1].devices[0]',
      'storage.pools[0].topology.data[1].devices[1]',
    ]);
  });

  it('a path and a selector naming the same detected disk', () => {
    const disks = [
      {
        name: 'sdb',
        path: '/dev/sdb',
        size_bytes: 1e12,
        model: null,
        vendor: null,
        serial: 'S1',
        wwn: null,
        by_id: [],
        transport: null,
        rotational: null,
        ssd: null,
        removable: false,
        in_use: [],
      },
      {
        name: 'sdc',
        path: '/dev/sdc',
        size_bytes: 1e12,
        model: null,
        vendor: null,
        serial: 'S2',
        wwn: null,
        by_id: [],
        transport: null,
        rotational: null,
        ssd: null,
        removable: false,
        in_use: [],
      },
    ];
    const value = data(mirror('/dev/sdb', '/dev/sdc'), mirror({ serial: 'S1' }, '/dev/sdd'));
    expect(errors(check(value))).toEqual([]);
    expect(
      at(errors(check(value, { disks })), 'storage.pools[0].topology.data[1].devices[0]'),
    ).toHaveLength(1);
  });

  it('a whole disk and one of its partitions', () => {
    const ds = check(data(mirror('/dev/sdb', '/dev/sdc'), mirror('/dev/sdb1', '/dev/sdd')));
    expect(at(errors(ds), 'storage.pools[0].topology.data[1].devices[0]')[0]?.message).toMatch(
      /partition/,
    );
    expect(
      errors(check(data(mirror('/dev/sdb1', '/dev/sdc1'), mirror('/dev/sdb2', '/dev/sdc2')))),
    ).toEqual([]);
  });

  it('a non-ZFS file system on a disk of a pool', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'tank', topology: { data: [mirror('/dev/sdb', '/dev/sdc')] } }],
        filesystems: [
          { device: '/dev/sdc', fstype: 'ext4', format: true },
          { device: '/dev/sdb2', fstype: 'xfs' },
          { device: '/dev/sdd1', fstype: 'xfs' },
          { device: 'UUID=1234-abcd', fstype: 'ext4' },
        ],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual([
      'storage.filesystems[0].device',
      'storage.filesystems[1].device',
    ]);
  });

  it('distinct disks are fine', () => {
    expect(check(data(mirror('/dev/sdb', '/dev/sdc')))).toEqual([]);
  });
});

describe('LVM pools', () => {
  it('need devices and have no topology', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'vg0', pool_type: 'lvm', topology: { data: [stripe('/dev/sdb')] } }],
      },
    });
    expect(at(errors(ds), 'storage.pools[0].devices')).toHaveLength(1);
    expect(at(errors(ds), 'storage.pools[0].topology')).toHaveLength(1);
  });

  it('with devices are fine, and not read as ZFS', () => {
    const ds = check({
      storage: {
        pools: [
          {
            name: 'docker-pool',
            pool_type: 'lvm',
            devices: ['/dev/sdb'],
            properties: { stripe_size: '64' },
          },
        ],
      },
    });
    expect(ds).toEqual([]);
  });

  it('are ignored off Linux (warning)', () => {
    const ds = check(
      { storage: { pools: [{ name: 'vg0', pool_type: 'lvm', devices: ['/dev/sdb'] }] } },
      { platform: 'freebsd' },
    );
    expect(at(warnings(ds), 'storage.pools[0].pool_type')).toHaveLength(1);
  });
});

describe('pools by name', () => {
  it('are unique', () => {
    const ds = check({
      storage: {
        pools: [
          { name: 'tank', devices: ['/dev/sdb'] },
          { name: 'tank', devices: ['/dev/sdc'] },
        ],
      },
    });
    expect(at(errors(ds), 'storage.pools[1].name')).toHaveLength(1);
  });
});

describe('file systems, mounts, snapshots, replication', () => {
  it('mount targets are absolute', () => {
    const ds = check({
      storage: { mounts: [{ source: 'tmpfs', target: 'tmp', fstype: 'tmpfs' }] },
    });
    expect(at(errors(ds), 'storage.mounts[0].target')).toHaveLength(1);
  });

  it('a zfs file system takes dataset properties', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'rpool', devices: ['/dev/sdb'] }],
        filesystems: [
          { device: 'rpool/opt', fstype: 'zfs', options: { compresion: 'lz4', atime: 'maybe' } },
        ],
      },
    });
    expect(at(warnings(ds), 'storage.filesystems[0].options.compresion')[0]?.hint).toContain(
      '"compression"',
    );
    expect(at(errors(ds), 'storage.filesystems[0].options.atime')).toHaveLength(1);
  });

  it('ext4 options are not read as ZFS properties', () => {
    expect(
      check({
        storage: {
          filesystems: [{ device: '/dev/sdb1', fstype: 'ext4', options: { block_size: '4096' } }],
        },
      }),
    ).toEqual([]);
  });

  it('a snapshot of a dataset not created, in a pool created here, is an error', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
        zfs_snapshots: [{ dataset: 'tank/nope', name: 'now' }],
      },
    });
    expect(at(errors(ds), 'storage.zfs_snapshots[0].dataset')).toHaveLength(1);
  });

  it('references to datasets know every dataset the document creates, nested configs included', () => {
    const known = ['tank/a/b', 'tank/fs', 'tank/app/data'];
    const value = (refs: string[]) => ({
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'], properties: { bootfs: refs[0] } }],
        zfs_datasets: [{ name: 'tank/a', children: [{ name: 'tank/a/b' }] }],
        filesystems: [{ device: 'tank/fs', fstype: 'zfs' }],
        zfs_snapshots: refs.map((dataset) => ({ dataset, name: 'now' })),
        zfs_replication: refs.map((source_dataset) => ({ source_dataset, target: 'h:b/x' })),
      },
      containers: {
        containers: [
          {
            name: 'app',
            image: 'localhost/app:1',
            sysconfig: { storage: { zfs_datasets: [{ name: 'tank/app/data' }] } },
          },
        ],
      },
    });
    const refErrors = (ds: ReturnType<typeof check>) =>
      errors(ds).filter((d) => /zfs_snapshots|zfs_replication|bootfs/.test(d.path));
    expect(refErrors(check(value(known)))).toEqual([]);
    const unknown = refErrors(check(value(['tank/a/c', 'tank/nope'])));
    expect(unknown.map((d) => d.path)).toEqual([
      'storage.pools[0].properties.bootfs',
      'storage.zfs_snapshots[0].dataset',
      'storage.zfs_snapshots[1].dataset',
      'storage.zfs_replication[0].source_dataset',
      'storage.zfs_replication[1].source_dataset',
    ]);
  });

  it('snapshot names: no "/" or "@"', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
        zfs_datasets: [{ name: 'tank/a' }],
        zfs_snapshots: [
          { dataset: 'tank/a', name: 'x@y' },
          { dataset: 'tank/a', name: 'ok-1' },
        ],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual(['storage.zfs_snapshots[0].name']);
  });

  it('scheduled snapshot policies need a schedule that parses', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
        zfs_datasets: [{ name: 'tank/a' }],
        zfs_snapshots: [
          { dataset: 'tank/a', name: 'auto', schedule: 'every day', name_format: 'auto' },
        ],
      },
    });
    expect(at(errors(ds), 'storage.zfs_snapshots[0].schedule')).toHaveLength(1);
    expect(at(warnings(ds), 'storage.zfs_snapshots[0].name_format')).toHaveLength(1);
  });

  it('replication needs a target with a host', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
        zfs_datasets: [{ name: 'tank/a' }],
        zfs_replication: [
          { source_dataset: 'tank/a' },
          { source_dataset: 'tank/a', target: 'backup/a' },
          { source_dataset: 'tank/a', target: 'host:backup/a' },
        ],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual([
      'storage.zfs_replication[0]',
      'storage.zfs_replication[1].target',
    ]);
  });
});
