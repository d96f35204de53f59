import { describe, expect, it } from 'vitest';
import { expectValidOrder, indexOf, planStorage, step } from '../helpers/plan-storage.js';
import { displayCommand } from '../../src/plan/shell.js';
import { PLATFORMS } from '../../src/plan/types.js';
import type { StorageResult } from '../../src/plan/storage.js';

const mirror = (...devices: unknown[]) => ({ vdev_type: 'mirror', devices });
const stripe = (...devices: unknown[]) => ({ vdev_type: 'stripe', devices });
const raidz = (type: string, n: number, prefix = 'd') => ({
  vdev_type: type,
  devices: Array.from({ length: n }, (_, i) => `/dev/${prefix}${i}`),
});

describe('zpool create', () => {
  it('writes special and dedup classes before log, cache and spare, in zpool grammar', () => {
    const plan = planStorage(
      {
        pools: [
          {
            name: 'tank',
            topology: {
              data: [mirror('/dev/a', '/dev/b'), mirror('/dev/c', '/dev/d')],
              special: [mirror('/dev/e', '/dev/f')],
              dedup: [mirror('/dev/g', '/dev/h')],
              log: [stripe('/dev/i')],
              cache: [stripe('/dev/j')],
              spare: ['/dev/k'],
            },
          },
        ],
      },
      'linux',
    );
    const s = step(plan, 'pool:tank');
    expect(s.argv).toEqual(
      'zpool create tank mirror /dev/a /dev/b mirror /dev/c /dev/d special mirror /dev/e /dev/f dedup mirror /dev/g /dev/h log /dev/i cache /dev/j spare /dev/k'.split(
        ' ',
      ),
    );
    expect(s.title).toBe(
      'Create pool tank: 2 × mirror of 2 disks, log of 1 disk, mirrored special, mirrored dedup, 1 cache device, 1 spare',
    );
    expect(s.devices).toHaveLength(11);
  });

  it('passes -f when redundancy or raidz widths are mixed, and says so', () => {
    const mixed = planStorage(
      {
        pools: [
          { name: 'tank', topology: { data: [raidz('raidz2', 6), raidz('raidz2', 5, 'e')] } },
        ],
      },
      'freebsd',
    );
    const s = step(mixed, 'pool:tank');
    expect(s.argv.slice(0, 4)).toEqual(['zpool', 'create', '-f', 'tank']);
    expect(s.title).toContain('forced with -f');
    expect(mixed.warnings).toContainEqual(
      expect.objectContaining({
        path: 'storage.pools[0].topology',
        message: expect.stringContaining('6-wide raidz2, 5-wide raidz2'),
      }),
    );
    const mirrorAndStripe = planStorage(
      {
        pools: [{ name: 't', topology: { data: [mirror('/dev/a', '/dev/b'), stripe('/dev/c')] } }],
      },
      'linux',
    );
    expect(step(mirrorAndStripe, 'pool:t').argv).toContain('-f');
    const consistent = planStorage(
      {
        pools: [
          { name: 't', topology: { data: [mirror('/dev/a', '/dev/b')], log: [stripe('/dev/c')] } },
        ],
      },
      'linux',
    );
    // log vdevs are not compared by zpool
    expect(step(consistent, 'pool:t').argv).not.toContain('-f');
  });

  it('puts pool properties and features on -o, file-system ones on -O, and drops what zpool would refuse', () => {
    const plan = planStorage(
      {
        pools: [
          {
            name: 'tank',
            devices: ['/dev/a'],
            properties: {
              ashift: 12,
              'feature@lz4_compress': 'enabled',
              compression: 'lz4',
              'com.example:role': 'db',
              size: '10G',
              compatibility: 'openzfs-2.1-linux',
              deduplication: 'on',
            },
            filesystem_properties: { mountpoint: '/srv/tank', acltype: 'posixacl' },
          },
        ],
      },
      'illumos',
    );
    expect(step(plan, 'pool:tank').argv).toEqual([
      'zpool',
      'create',
      '-o',
      'ashift=12',
      '-o',
      'feature@lz4_compress=enabled',
      '-O',
      'compression=lz4',
      '-O',
      'com.example:role=db',
      '-O',
      'mountpoint=/srv/tank',
      'tank',
      '/dev/a',
    ]);
    const paths = plan.warnings.map((w) => w.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'storage.pools[0].properties.size',
        'storage.pools[0].properties.compatibility',
        'storage.pools[0].properties.deduplication',
        'storage.pools[0].filesystem_properties.acltype',
      ]),
    );
    expect(plan.result.mountpoints.get('/srv/tank')).toBe('tank');
  });

  it('adds -B on illumos when bootsize is given, and only there', () => {
    const cfg = {
      pools: [{ name: 'rpool', devices: ['c1t0d0'], properties: { bootsize: '512M' } }],
    };
    expect(step(planStorage(cfg, 'illumos'), 'pool:rpool').argv).toEqual([
      'zpool',
      'create',
      '-B',
      '-o',
      'bootsize=512M',
      'rpool',
      'c1t0d0',
    ]);
    const linux = planStorage(cfg, 'linux');
    expect(step(linux, 'pool:rpool').argv).toEqual(['zpool', 'create', 'rpool', 'c1t0d0']);
    expect(linux.warnings[0]?.path).toBe('storage.pools[0].properties.bootsize');
  });

  it('sets bootfs in its own step once the dataset exists', () => {
    const plan = planStorage(
      {
        pools: [{ name: 'rpool', devices: ['/dev/a'], properties: { bootfs: 'rpool/ROOT/be' } }],
        zfs_datasets: [
          {
            name: 'rpool/ROOT',
            properties: { canmount: 'off', mountpoint: 'none' },
            children: [{ name: 'rpool/ROOT/be', properties: { mountpoint: '/' } }],
          },
        ],
      },
      'illumos',
    );
    expect(step(plan, 'pool:rpool').argv.join(' ')).not.toContain('bootfs');
    const s = step(plan, 'pool:rpool:bootfs');
    expect(s.argv).toEqual(['zpool', 'set', 'bootfs=rpool/ROOT/be', 'rpool']);
    expect(s.dependsOn).toEqual(['dataset:rpool/ROOT/be']);
    expect(indexOf(plan, 'pool:rpool:bootfs')).toBeGreaterThan(
      indexOf(plan, 'dataset:rpool/ROOT/be'),
    );
    expect(plan.result.mountpoints.get('/')).toBe('rpool/ROOT/be');
    expect([...plan.result.mountpoints.values()]).not.toContain('rpool/ROOT');
    expectValidOrder(plan);
  });

  it('uses the path of a resolved disk selector, and refuses an unresolved one with a placeholder', () => {
    const plan = planStorage(
      {
        pools: [
          {
            name: 'tank',
            topology: {
              data: [mirror({ path: '/dev/sdb', serial: 'S0' }, { serial: 'S1' })],
            },
          },
        ],
      },
      'linux',
    );
    const s = step(plan, 'pool:tank');
    expect(s.argv).toEqual(['zpool', 'create', 'tank', 'mirror', '/dev/sdb', '<serial=S1>']);
    expect(plan.errors).toEqual([
      {
        severity: 'error',
        path: 'storage.pools[0].topology.data[0].devices[1]',
        message: 'disk selector not resolved to a device path',
        hint: 'give --machine FILE or run on the target machine',
      },
    ]);
  });

  it('refuses a pool with no devices at all', () => {
    const plan = planStorage({ pools: [{ name: 'tank' }] }, 'linux');
    expect(plan.steps).toEqual([]);
    expect(plan.errors[0]?.path).toBe('storage.pools[0]');
  });
});

describe('datasets', () => {
  it('uses -p only when the parent is neither created here nor a pool root', () => {
    const plan = planStorage(
      {
        zfs_datasets: [{ name: 'tank/a', children: [{ name: 'tank/a/b' }] }, { name: 'tank/x/y' }],
      },
      'linux',
    );
    expect(step(plan, 'dataset:tank/a').argv).toEqual(['zfs', 'create', 'tank/a']);
    expect(step(plan, 'dataset:tank/a/b').argv).toEqual(['zfs', 'create', 'tank/a/b']);
    expect(step(plan, 'dataset:tank/x/y').argv).toEqual(['zfs', 'create', '-p', 'tank/x/y']);
    // tank is not created by this config: nothing to wait for
    expect(step(plan, 'dataset:tank/a').dependsOn).toEqual([]);
    expect(step(plan, 'dataset:tank/a/b').dependsOn).toEqual(['dataset:tank/a']);
    // without a pool created here, the mount points are unknown
    expect(plan.result.mountpoints.size).toBe(0);
  });

  it('orders parents first even when the config lists a child first', () => {
    const plan = planStorage(
      {
        zfs_datasets: [{ name: 'tank/a/b' }, { name: 'tank/a', properties: { mountpoint: '/a' } }],
      },
      'linux',
    );
    expect(plan.steps.map((s) => s.id)).toEqual(['dataset:tank/a', 'dataset:tank/a/b']);
    expect(step(plan, 'dataset:tank/a/b').argv).toEqual(['zfs', 'create', 'tank/a/b']);
    expect(step(plan, 'dataset:tank/a/b').dependsOn).toEqual(['dataset:tank/a']);
  });

  it('inherits mount points from the pool default and explicit parents', () => {
    const plan = planStorage(
      {
        pools: [{ name: 'tank', devices: ['/dev/a'] }],
        zfs_datasets: [
          {
            name: 'tank/srv',
            children: [
              { name: 'tank/srv/www' },
              { name: 'tank/srv/off', properties: { canmount: 'off' } },
            ],
          },
          {
            name: 'tank/db',
            properties: { mountpoint: '/var/db' },
            children: [{ name: 'tank/db/pg' }],
          },
          { name: 'tank/legacy', properties: { mountpoint: 'legacy' } },
        ],
      },
      'freebsd',
    );
    const mp = plan.result.mountpoints;
    expect(mp.get('/tank')).toBe('tank');
    expect(mp.get('/tank/srv/www')).toBe('tank/srv/www');
    expect(mp.get('/var/db/pg')).toBe('tank/db/pg');
    expect(mp.has('/tank/srv/off')).toBe(false);
    expect([...mp.values()]).not.toContain('tank/legacy');
  });

  it('keeps volume and file-system properties where they apply', () => {
    const plan = planStorage(
      {
        zfs_datasets: [
          {
            name: 'tank/vol',
            dataset_type: { volume: { size: '10G' } },
            quota: '20G',
            reservation: '10G',
            properties: { mountpoint: '/x', volsize: '10G', logbias: 'throughput' },
          },
          { name: 'tank/fs', properties: { volblocksize: '16K', 'com.example:x': 'y' } },
        ],
      },
      'linux',
    );
    expect(step(plan, 'dataset:tank/vol').argv).toEqual([
      'zfs',
      'create',
      '-V',
      '10G',
      '-o',
      'logbias=throughput',
      '-o',
      'reservation=10G',
      'tank/vol',
    ]);
    expect(step(plan, 'dataset:tank/fs').argv).toEqual([
      'zfs',
      'create',
      '-o',
      'com.example:x=y',
      'tank/fs',
    ]);
    expect(plan.warnings.map((w) => w.path)).toEqual(
      expect.arrayContaining([
        'storage.zfs_datasets[0].quota',
        'storage.zfs_datasets[0].properties.mountpoint',
        'storage.zfs_datasets[1].properties.volblocksize',
      ]),
    );
  });

  it('drops properties the platform lacks', () => {
    const plan = planStorage(
      { zfs_datasets: [{ name: 'tank/a', properties: { acltype: 'posixacl', atime: 'off' } }] },
      'illumos',
    );
    expect(step(plan, 'dataset:tank/a').argv).toEqual([
      'zfs',
      'create',
      '-o',
      'atime=off',
      'tank/a',
    ]);
    expect(plan.warnings[0]).toMatchObject({
      path: 'storage.zfs_datasets[0].properties.acltype',
      message: expect.stringContaining('illumos has no property "acltype"'),
    });
  });

  it('sets properties on a pool root dataset and on zfs file systems of existing pools', () => {
    const plan = planStorage(
      {
        zfs_datasets: [{ name: 'tank', properties: { compression: 'lz4' } }, { name: 'tank/a' }],
        filesystems: [
          { device: 'tank/b', fstype: 'zfs', options: { mountpoint: '/b' } },
          { device: 'tank/a', fstype: 'zfs', options: { atime: 'off' } },
          { device: 'tank/c', fstype: 'zfs', options: { recordsize: '1M' }, format: true },
        ],
      },
      'linux',
    );
    const root = step(plan, 'zfs-set:tank');
    expect(root.argv).toEqual(['zfs', 'set', 'compression=lz4', 'tank']);
    expect(root.probe).toEqual({
      kind: 'dataset-properties',
      dataset: 'tank',
      properties: { compression: 'lz4' },
    });
    expect(step(plan, 'zfs-set:tank/b').argv).toEqual(['zfs', 'set', 'mountpoint=/b', 'tank/b']);
    const a = step(plan, 'zfs-set:tank/a');
    expect(a.argv).toEqual(['zfs', 'set', 'atime=off', 'tank/a']);
    expect(a.dependsOn).toEqual(['dataset:tank/a']);
    expect(step(plan, 'dataset:tank/c').argv).toEqual([
      'zfs',
      'create',
      '-o',
      'recordsize=1M',
      'tank/c',
    ]);
    expectValidOrder(plan);
  });
});

describe('the step creating the dataset mounted at a directory (stepMountedAt)', () => {
  /** What it answers, from the mount points and dataset steps: an index of every mount point. */
  function reference(result: StorageResult, dir: string): string | undefined {
    const index = new Map<string, string>();
    result.mountpoints.forEach((ds, mp) => {
      if (mp === '/' || !mp.startsWith('/')) return;
      const id = result.datasetStep.get(ds);
      const m = mp.replace(/\/+$/, '');
      if (id && !index.has(m)) index.set(m, id);
    });
    return index.get(dir);
  }
  const dirs = [
    '/',
    '',
    'srv/a',
    '/srv',
    '/srv/a',
    '/srv/a/',
    '/srv/a/b',
    '/srv/c',
    '/srv/c/',
    '/x',
  ];
  const pools = [{ name: 'tank', devices: ['/dev/sdb'] }];

  it('is the dataset whose mount point is the directory', () => {
    const plan = planStorage(
      {
        pools,
        zfs_datasets: [
          {
            name: 'tank/a',
            properties: { mountpoint: '/srv/a' },
            children: [{ name: 'tank/a/b' }],
          },
          { name: 'tank/n', properties: { mountpoint: 'none' } },
        ],
      },
      'linux',
    );
    expect(plan.result.stepMountedAt('/srv/a')).toBe('dataset:tank/a');
    expect(plan.result.stepMountedAt('/srv/a/b')).toBe('dataset:tank/a/b');
    for (const dir of dirs)
      expect(plan.result.stepMountedAt(dir), dir).toBe(reference(plan.result, dir));
  });

  it('finds inherited mount points, the last one noted winning, as the index of every mount point does', () => {
    const plan = planStorage(
      {
        pools,
        zfs_datasets: [
          {
            name: 'tank/a',
            properties: { mountpoint: '/srv/a' },
            children: [
              { name: 'tank/a/b', children: [{ name: 'tank/a/b/deep' }] },
              { name: 'tank/a/c' },
              { name: 'tank/a/off', properties: { canmount: 'off' } },
            ],
          },
          // the same place as tank/a/b, noted before it (names by depth)
          { name: 'tank/x', properties: { mountpoint: '/srv/a/b' } },
          { name: 'tank/r', properties: { mountpoint: '/' }, children: [{ name: 'tank/r/usr' }] },
          {
            name: 'tank/h',
            properties: { canmount: 'off', mountpoint: '/h' },
            children: [{ name: 'tank/h/u' }],
          },
          {
            name: 'tank/i',
            children: [
              { name: 'tank/i/j' },
              { name: 'tank/i/k', properties: { mountpoint: '/srv/a/c' } },
            ],
          },
          // before tank/a/c, and tank/i/k after it
          { name: 'tank/y', properties: { mountpoint: '/srv/a/c' } },
        ],
      },
      'linux',
    );
    expect(plan.result.stepMountedAt('/srv/a/b')).toBe('dataset:tank/a/b');
    expect(plan.result.stepMountedAt('/srv/a/c')).toBe('dataset:tank/i/k');
    expect(plan.result.stepMountedAt('/srv/a/b/deep')).toBe('dataset:tank/a/b/deep');
    expect(plan.result.stepMountedAt('/usr')).toBe('dataset:tank/r/usr');
    expect(plan.result.stepMountedAt('/h/u')).toBe('dataset:tank/h/u');
    expect(plan.result.stepMountedAt('/tank/i/j')).toBe('dataset:tank/i/j');
    const more = [
      '/srv/a/b/deep',
      '/srv/a/c',
      '/srv/a/off',
      '/usr',
      '/h',
      '/h/u',
      '/tank',
      '/tank/i',
      '/tank/i/j',
      '/tank/x',
      '/deep',
      '/u',
    ];
    for (const dir of [...dirs, ...more])
      expect(plan.result.stepMountedAt(dir), dir).toBe(reference(plan.result, dir));
  });

  it('takes a mount point written with trailing "/" for the same place, the first one noted', () => {
    const plan = planStorage(
      {
        pools,
        zfs_datasets: [
          { name: 'tank/c1', properties: { mountpoint: '/srv/c//' } },
          { name: 'tank/c2', properties: { mountpoint: '/srv/c' } },
          { name: 'tank/a', properties: { mountpoint: '/srv/a/' } },
        ],
      },
      'linux',
    );
    expect(plan.result.stepMountedAt('/srv/c')).toBe('dataset:tank/c1');
    expect(plan.result.stepMountedAt('/srv/a')).toBe('dataset:tank/a');
    for (const dir of dirs)
      expect(plan.result.stepMountedAt(dir), dir).toBe(reference(plan.result, dir));
  });
});

describe('a dataset name with shell metacharacters', () => {
  const evil = 'tank/a;rm -rf $HOME';
  const plan = planStorage(
    {
      zfs_datasets: [{ name: evil }],
      zfs_snapshots: [{ dataset: evil, name: 's$(id)' }],
      zfs_replication: [
        {
          source_dataset: evil,
          target: 'backup:pool/b`reboot`',
          exclude_properties: ['mountpoint'],
        },
      ],
    },
    'linux',
  );

  it('is one argv element wherever it appears locally', () => {
    expect(step(plan, `dataset:${evil}`).argv).toEqual(['zfs', 'create', evil]);
    expect(step(plan, `snapshot:${evil}@s$(id)`).argv).toEqual([
      'zfs',
      'snapshot',
      `${evil}@s$(id)`,
    ]);
    const send = step(plan, `replicate:${evil}->backup:pool/b\`reboot\``);
    expect(send.argv).toEqual(['zfs', 'send', '-p', `${evil}@s$(id)`]);
  });

  it('is shell-quoted in the remote command that ssh hands to a shell', () => {
    const send = step(plan, `replicate:${evil}->backup:pool/b\`reboot\``);
    expect(send.pipeTo).toEqual([
      'ssh',
      '-o',
      'BatchMode=yes',
      '--',
      'backup',
      'zfs',
      'receive',
      '-u',
      '-x',
      'mountpoint',
      "'pool/b`reboot`'",
    ]);
    // and the displayed line quotes it once more for the local shell
    expect(displayCommand(send)).toBe(
      `zfs send -p 'tank/a;rm -rf $HOME@s$(id)' | ssh -o BatchMode=yes -- backup zfs receive -u -x mountpoint ''\\''pool/b\`reboot\`'\\'''`,
    );
  });
});

describe('replication', () => {
  const base = {
    pools: [{ name: 'tank', devices: ['/dev/a'] }],
    zfs_datasets: [{ name: 'tank/db', children: [{ name: 'tank/db/wal' }] }],
  };

  it('takes a snapshot of its own when none is declared, and warns', () => {
    const plan = planStorage(
      {
        ...base,
        zfs_replication: [
          { source_dataset: 'tank/db', target: 'tank2/db', exclude_properties: ['mountpoint'] },
        ],
      },
      'linux',
    );
    const snap = step(plan, 'snapshot:tank/db@slipway-repl-0');
    expect(snap.argv).toEqual(['zfs', 'snapshot', 'tank/db@slipway-repl-0']);
    expect(snap.dependsOn).toEqual(['dataset:tank/db']);
    const send = step(plan, 'replicate:tank/db->tank2/db');
    expect(send.argv).toEqual(['zfs', 'send', '-p', 'tank/db@slipway-repl-0']);
    // no host, no ssh_config: a local receive
    expect(send.pipeTo).toEqual(['zfs', 'receive', '-u', '-x', 'mountpoint', 'tank2/db']);
    expect(plan.warnings).toContainEqual(
      expect.objectContaining({
        path: 'storage.zfs_replication[0].source_dataset',
        message: expect.stringContaining('tank/db@slipway-repl-0'),
      }),
    );
  });

  it('incremental: a full stream of the first snapshot, then -I up to the last', () => {
    const plan = planStorage(
      {
        ...base,
        zfs_snapshots: [
          { dataset: 'tank/db', name: 'a', recursive: true },
          { dataset: 'tank/db', name: 'b', recursive: true },
        ],
        zfs_replication: [
          {
            source_dataset: 'tank/db',
            target: 'root@bk:pool/db',
            replication_type: 'incremental',
            recursive: true,
            exclude_properties: ['mountpoint'],
          },
        ],
      },
      'freebsd',
    );
    const full = step(plan, 'replicate:tank/db->root@bk:pool/db');
    expect(full.argv).toEqual(['zfs', 'send', '-R', 'tank/db@a']);
    expect(full.pipeTo).toEqual([
      'ssh',
      '-o',
      'BatchMode=yes',
      '--',
      'root@bk',
      'zfs',
      'receive',
      '-u',
      '-x',
      'mountpoint',
      'pool/db',
    ]);
    const inc = step(plan, 'replicate:tank/db->root@bk:pool/db:incremental');
    expect(inc.argv).toEqual(['zfs', 'send', '-R', '-I', '@a', 'tank/db@b']);
    expect(inc.dependsOn).toEqual(['replicate:tank/db->root@bk:pool/db', 'snapshot:tank/db@b']);
    // the recursive snapshot waits for the child dataset too
    expect(step(plan, 'snapshot:tank/db@a').dependsOn).toEqual([
      'dataset:tank/db',
      'dataset:tank/db/wal',
    ]);
    expect(plan.result.lastIds).not.toContain(inc.id);
  });

  it('full: sends the last declared snapshot (a recursive one of an ancestor covers the source), -R only when recursive', () => {
    const plan = planStorage(
      {
        ...base,
        zfs_snapshots: [
          { dataset: 'tank/db/wal', name: 'x' },
          { dataset: 'tank', name: 'y', recursive: true },
        ],
        zfs_replication: [
          { source_dataset: 'tank/db/wal', target: 'h:p/w', exclude_properties: ['mountpoint'] },
        ],
      },
      'linux',
    );
    expect(step(plan, 'replicate:tank/db/wal->h:p/w').argv).toEqual([
      'zfs',
      'send',
      '-p',
      'tank/db/wal@y',
    ]);
  });

  it('sends to each of targets, with -F only when overwrite_diverged, and warns about conflicting hosts', () => {
    const plan = planStorage(
      {
        ...base,
        zfs_snapshots: [{ dataset: 'tank/db', name: 's' }],
        zfs_replication: [
          {
            source_dataset: 'tank/db',
            overwrite_diverged: true,
            targets: [
              {
                target: 'one:b/db',
                ssh_config: { user: 'u', host: 'two.example.org', port: 2222 },
              },
              { target: 'three:b/db' },
            ],
          },
        ],
      },
      'linux',
    );
    expect(step(plan, 'replicate:tank/db->one:b/db').pipeTo).toEqual([
      'ssh',
      '-p',
      '2222',
      '-o',
      'BatchMode=yes',
      '--',
      'u@two.example.org',
      'zfs',
      'receive',
      '-u',
      '-F',
      'b/db',
    ]);
    expect(step(plan, 'replicate:tank/db->three:b/db').pipeTo?.slice(4, 5)).toEqual(['three']);
    expect(plan.warnings).toContainEqual(
      expect.objectContaining({
        path: 'storage.zfs_replication[0].targets[0].target',
        message: expect.stringContaining('Slipway connects to two.example.org'),
      }),
    );
    expect(plan.warnings).toContainEqual(
      expect.objectContaining({ path: 'storage.zfs_replication[0].exclude_properties' }),
    );
  });

  it('leaves scheduled snapshots and replications to their policy', () => {
    const plan = planStorage(
      {
        ...base,
        zfs_snapshots: [{ dataset: 'tank/db', name: 'auto', schedule: 'daily' }],
        zfs_replication: [{ source_dataset: 'tank/db', target: 'h:b/db', schedule: 'daily' }],
      },
      'linux',
    );
    expect(plan.steps.filter((s) => /^(snapshot|replicate):/.test(s.id))).toEqual([]);
    const followed = planStorage(
      {
        ...base,
        zfs_snapshots: [
          { dataset: 'tank', name: 'auto', schedule: 'hourly', recursive: true },
          { dataset: 'tank/db', name: 'once' },
        ],
        zfs_replication: [{ source_dataset: 'tank/db', target: 'h:b/db' }],
      },
      'linux',
    );
    expect(
      followed.steps.map((s) => s.id).filter((id) => /^(snapshot|replicate):/.test(id)),
    ).toEqual(['snapshot:tank/db@once']);
  });
});

describe('file systems and mounts', () => {
  it('makes each platform its own file system, and skips what it cannot make', () => {
    const fs = (fstype: string, options = {}) => ({
      filesystems: [{ device: '/dev/x', fstype, format: true, options }],
    });
    expect(
      step(planStorage(fs('xfs', { block_size: 4096, label: 'data' }), 'linux'), 'fs:/dev/x').argv,
    ).toEqual(['mkfs.xfs', '-f', '-b', 'size=4096', '-L', 'data', '/dev/x']);
    const ufs = step(planStorage(fs('ufs', { soft_updates: true }), 'freebsd'), 'fs:/dev/x');
    expect(ufs.argv).toEqual(['newfs', '-U', '/dev/x']);
    expect(ufs.probe).toMatchObject({
      argv: ['sh', '-c', expect.stringContaining('fstyp'), 'sh', '/dev/x', 'ufs'],
    });
    const illumos = step(planStorage(fs('ufs'), 'illumos'), 'fs:/dev/x');
    expect(illumos.argv).toEqual(['newfs', '/dev/x']);
    expect(illumos.stdin).toBe('y\n');
    expect(illumos.destroys).toBe(true);
    const skipped = planStorage(fs('ext4', { bogus: 1 }), 'illumos');
    expect(skipped.steps).toEqual([]);
    expect(skipped.warnings[0]?.path).toBe('storage.filesystems[0].fstype');
    const unknownOpt = planStorage(fs('ext4', { bogus: 1 }), 'linux');
    expect(step(unknownOpt, 'fs:/dev/x').argv).toEqual(['mkfs.ext4', '-F', '/dev/x']);
    expect(unknownOpt.warnings[0]?.path).toBe('storage.filesystems[0].options.bogus');
  });

  it('formats a zvol created by the plan after it exists', () => {
    const plan = planStorage(
      {
        zfs_datasets: [{ name: 'tank/v', dataset_type: { volume: { size: '1G' } } }],
        filesystems: [{ device: '/dev/zvol/tank/v', fstype: 'ext4', format: true }],
      },
      'linux',
    );
    expect(step(plan, 'fs:/dev/zvol/tank/v').dependsOn).toEqual(['dataset:tank/v']);
    const illumos = planStorage(
      {
        zfs_datasets: [{ name: 'tank/v', dataset_type: { volume: { size: '1G' } } }],
        filesystems: [{ device: '/dev/zvol/rdsk/tank/v', fstype: 'ufs', format: true }],
      },
      'illumos',
    );
    expect(step(illumos, 'fs:/dev/zvol/rdsk/tank/v').dependsOn).toEqual(['dataset:tank/v']);
  });

  it('writes vfstab on illumos and fstab with rw on FreeBSD', () => {
    const mounts = {
      mounts: [{ source: '/dev/dsk/c1t0d0s0', target: '/data', fstype: 'ufs', persistent: true }],
    };
    const ill = planStorage(mounts, 'illumos');
    expect(step(ill, 'mount:/data').argv).toEqual([
      'mount',
      '-F',
      'ufs',
      '/dev/dsk/c1t0d0s0',
      '/data',
    ]);
    expect(step(ill, 'fstab:/data').argv).toEqual([
      'sh',
      '-c',
      expect.any(String),
      'sh',
      '/dev/dsk/c1t0d0s0\t/dev/rdsk/c1t0d0s0\t/data\tufs\t2\tyes\t-',
      '/etc/vfstab',
    ]);
    const bsd = planStorage(mounts, 'freebsd');
    expect(step(bsd, 'fstab:/data').argv[4]).toBe('/dev/dsk/c1t0d0s0\t/data\tufs\trw\t0\t2');
    expect(step(bsd, 'mount:/data').probe).toMatchObject({
      argv: ['sh', '-c', expect.stringContaining('$2 == t'), 'sh', '/data'],
    });
    expect(step(ill, 'mount:/data').probe).toMatchObject({
      argv: ['sh', '-c', expect.stringContaining('$3 == t'), 'sh', '/data'],
    });
  });

  it('mounts parents first, inside mounted datasets, with unique ids for repeated targets', () => {
    const plan = planStorage(
      {
        pools: [{ name: 'tank', devices: ['/dev/a'] }],
        zfs_datasets: [{ name: 'tank/srv', properties: { mountpoint: '/srv' } }],
        mounts: [
          { source: '/dev/b', target: '/srv/www/static', fstype: 'ext4' },
          { source: '/dev/c', target: '/srv/www', fstype: 'ext4' },
          { source: 'tmpfs', target: '/tmp', fstype: 'tmpfs' },
          { source: 'tmpfs', target: '/tmp', fstype: 'tmpfs' },
        ],
      },
      'linux',
    );
    expect(indexOf(plan, 'mount:/srv/www')).toBeLessThan(indexOf(plan, 'mount:/srv/www/static'));
    expect(step(plan, 'mkdir:/srv/www').dependsOn).toEqual(['dataset:tank/srv']);
    expect(step(plan, 'mount:/srv/www/static').dependsOn).toEqual(
      expect.arrayContaining(['dataset:tank/srv', 'mount:/srv/www', 'mkdir:/srv/www/static']),
    );
    expect(plan.byId.has('mount:/tmp#2')).toBe(true);
    expectValidOrder(plan);
  });

  it('an LVM property name that an object literal inherits is unknown, not used', () => {
    const plan = planStorage(
      {
        pools: [
          { name: 'vg', pool_type: 'lvm', devices: ['/dev/a'], properties: { toString: 'x' } },
        ],
      },
      'linux',
    );
    expect(plan.warnings.map((w) => w.message)).toContain(
      'unknown LVM property "toString": not used',
    );
  });

  it('warns that LVM is Linux-only elsewhere', () => {
    for (const platform of PLATFORMS.filter((p) => p !== 'linux')) {
      const plan = planStorage(
        { pools: [{ name: 'vg', pool_type: 'lvm', devices: ['/dev/a'] }] },
        platform,
      );
      expect(plan.steps).toEqual([]);
      expect(plan.warnings[0]?.message).toContain('LVM is Linux-only');
    }
  });
});

describe('what host configuration waits for', () => {
  it('is the storage leaves, or one zfs mount -a step when there are many', () => {
    const few = planStorage(
      { pools: [{ name: 'tank', devices: ['/dev/a'] }], zfs_datasets: [{ name: 'tank/a' }] },
      'linux',
    );
    expect(few.result.lastIds).toEqual(['dataset:tank/a']);
    const datasets = Array.from({ length: 40 }, (_, i) => ({ name: `tank/d${i}` }));
    const many = planStorage(
      { pools: [{ name: 'tank', devices: ['/dev/a'] }], zfs_datasets: datasets },
      'linux',
    );
    expect(many.result.lastIds).toEqual(['storage:mounted']);
    const barrier = step(many, 'storage:mounted');
    expect(barrier.argv).toEqual(['zfs', 'mount', '-a']);
    expect(barrier.dependsOn).toHaveLength(40);
    expect(barrier.dependsOn).not.toContain('pool:tank');
    expectValidOrder(many);
  });
});
