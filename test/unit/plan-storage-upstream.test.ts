import { describe, expect, it } from 'vitest';
import {
  expectValidOrder,
  indexOf,
  planUpstream,
  step,
  type StoragePlan,
} from '../helpers/plan-storage.js';
import { PLATFORMS } from '../../src/plan/types.js';
import { upstreamExampleNames } from '../helpers/upstream.js';

const ILLUMOS = 'advanced-illumos-config.json';
const LINUX = 'advanced-linux-config.json';
const UNIFIED = 'unified-provisioning.json';

const rpoolVdevs = [
  'rpool',
  'mirror',
  '/dev/dsk/c1t0d0s0',
  '/dev/dsk/c1t1d0s0',
  'log',
  'mirror',
  '/dev/dsk/c2t0d0s0',
  '/dev/dsk/c2t1d0s0',
  'cache',
  '/dev/dsk/c3t0d0s0',
  'spare',
  '/dev/dsk/c4t0d0s0',
];
const tankVdevs = [
  'tank',
  'raidz2',
  ...[0, 1, 2, 3, 4, 5].map((n) => `/dev/dsk/c5t${n}d0s0`),
  'log',
  'mirror',
  '/dev/dsk/c6t0d0s0',
  '/dev/dsk/c6t1d0s0',
  'cache',
  '/dev/dsk/c7t0d0s0',
  '/dev/dsk/c7t1d0s0',
  'spare',
  '/dev/dsk/c8t0d0s0',
  '/dev/dsk/c8t1d0s0',
];

describe.each(PLATFORMS)('advanced-illumos-config.json on %s', (platform) => {
  const plan: StoragePlan = planUpstream(ILLUMOS, platform);

  it('creates rpool with its file-system properties on -O and the whole topology in zpool order', () => {
    const s = step(plan, 'pool:rpool');
    expect(s.argv).toEqual([
      'zpool',
      'create',
      '-O',
      'compression=lz4',
      '-O',
      'atime=off',
      '-O',
      'redundant_metadata=most',
      ...rpoolVdevs,
    ]);
    expect(s.destroys).toBe(true);
    expect(s.devices).toEqual([
      '/dev/dsk/c1t0d0s0',
      '/dev/dsk/c1t1d0s0',
      '/dev/dsk/c2t0d0s0',
      '/dev/dsk/c2t1d0s0',
      '/dev/dsk/c3t0d0s0',
      '/dev/dsk/c4t0d0s0',
    ]);
    // a pool that exists is compared with the vdevs and the root dataset's -O properties
    expect(s.probe).toEqual({
      kind: 'pool-exists',
      pool: 'rpool',
      properties: { compression: 'lz4', atime: 'off', redundant_metadata: 'most' },
      layout: {
        data: [{ type: 'mirror', devices: ['/dev/dsk/c1t0d0s0', '/dev/dsk/c1t1d0s0'] }],
        special: [],
        dedup: [],
        log: [{ type: 'mirror', devices: ['/dev/dsk/c2t0d0s0', '/dev/dsk/c2t1d0s0'] }],
        cache: ['/dev/dsk/c3t0d0s0'],
        spare: ['/dev/dsk/c4t0d0s0'],
      },
    });
    expect(s.title).toBe(
      'Create pool rpool: mirror of 2 disks, mirrored log, 1 cache device, 1 spare',
    );
  });

  it('creates tank without the unknown "deduplication", warning at its path with "dedup"', () => {
    const s = step(plan, 'pool:tank');
    expect(s.argv).toEqual([
      'zpool',
      'create',
      '-O',
      'compression=gzip-6',
      '-O',
      'atime=off',
      ...tankVdevs,
    ]);
    expect(s.argv.join(' ')).not.toContain('dedup');
    expect(s.title).toBe(
      'Create pool tank: raidz2 of 6 disks, mirrored log, 2 cache devices, 2 spares',
    );
    expect(s.devices).toHaveLength(12);
    expect(plan.warnings).toContainEqual({
      severity: 'warning',
      path: 'storage.pools[1].properties.deduplication',
      message: expect.stringContaining('unknown ZFS property "deduplication"'),
      hint: 'did you mean "dedup"?',
    });
  });

  it('creates the datasets parent first with properties, quota and reservation', () => {
    expect(step(plan, 'dataset:rpool/export').argv).toEqual([
      'zfs',
      'create',
      '-o',
      'mountpoint=/export',
      '-o',
      'compression=lz4',
      '-o',
      'atime=off',
      '-o',
      'exec=on',
      '-o',
      'quota=50G',
      '-o',
      'reservation=10G',
      'rpool/export',
    ]);
    expect(step(plan, 'dataset:rpool/export/home').argv).toEqual([
      'zfs',
      'create',
      '-o',
      'mountpoint=/export/home',
      '-o',
      'compression=gzip',
      '-o',
      'atime=on',
      '-o',
      'quota=20G',
      'rpool/export/home',
    ]);
    expect(step(plan, 'dataset:tank/data/databases').argv).toEqual([
      'zfs',
      'create',
      '-o',
      'mountpoint=/data/databases',
      '-o',
      'compression=lz4',
      '-o',
      'primarycache=metadata',
      '-o',
      'logbias=throughput',
      '-o',
      'recordsize=8K',
      '-o',
      'quota=200G',
      '-o',
      'reservation=50G',
      'tank/data/databases',
    ]);
    expect(step(plan, 'dataset:rpool/export').dependsOn).toEqual(['pool:rpool']);
    expect(step(plan, 'dataset:rpool/export/home').dependsOn).toEqual(['dataset:rpool/export']);
    expect(step(plan, 'dataset:tank/data/databases').dependsOn).toEqual(['dataset:tank/data']);
    expect(indexOf(plan, 'dataset:tank/data')).toBeLessThan(
      indexOf(plan, 'dataset:tank/data/backups'),
    );
    // a dataset that exists is compared with the same properties as zfs create sets
    for (const id of ['dataset:rpool/export', 'dataset:tank/data/backups']) {
      const s = step(plan, id);
      const props = Object.fromEntries(
        s.argv.flatMap((a, i) => (s.argv[i - 1] === '-o' ? [a.split(/=(.*)/s).slice(0, 2)] : [])),
      ) as Record<string, string>;
      expect(Object.keys(props).length).toBeGreaterThan(0);
      expect(s.probe).toEqual({ kind: 'dataset-exists', dataset: id.slice(8), properties: props });
    }
    expect(step(plan, 'dataset:rpool/export').probe).toMatchObject({
      properties: { mountpoint: '/export', quota: '50G', reservation: '10G' },
    });
  });

  it('drops "deduplication" from tank/data/backups with a warning, keeping the rest', () => {
    const argv = step(plan, 'dataset:tank/data/backups').argv;
    expect(argv).toEqual([
      'zfs',
      'create',
      '-o',
      'mountpoint=/data/backups',
      '-o',
      'compression=gzip-9',
      '-o',
      'atime=off',
      '-o',
      'quota=300G',
      'tank/data/backups',
    ]);
    expect(plan.warnings).toContainEqual(
      expect.objectContaining({
        path: 'storage.zfs_datasets[1].children[1].properties.deduplication',
        hint: 'did you mean "dedup"?',
      }),
    );
  });

  it('creates the zvol with -V and -b, and -p for its undeclared parent', () => {
    const s = step(plan, 'dataset:tank/volumes/vm-disk1');
    expect(s.argv).toEqual([
      'zfs',
      'create',
      '-p',
      '-V',
      '100G',
      '-b',
      '64K',
      '-o',
      'compression=off',
      '-o',
      'checksum=sha256',
      'tank/volumes/vm-disk1',
    ]);
    expect(s.dependsOn).toEqual(['pool:tank']);
    expect(s.title).toBe('Create volume tank/volumes/vm-disk1 of 100G (64K blocks)');
  });

  it('takes the snapshots with -r and user properties after the datasets', () => {
    const daily = step(plan, 'snapshot:rpool/export/home@daily-backup');
    expect(daily.argv).toEqual([
      'zfs',
      'snapshot',
      '-r',
      '-o',
      'com.example:backup_type=daily',
      '-o',
      'com.example:retention=30d',
      'rpool/export/home@daily-backup',
    ]);
    expect(daily.dependsOn).toEqual(['dataset:rpool/export/home']);
    expect(daily.probe).toEqual({
      kind: 'snapshot-exists',
      snapshot: 'rpool/export/home@daily-backup',
    });
    expect(step(plan, 'snapshot:tank/data/databases@pre-maintenance').argv).toEqual([
      'zfs',
      'snapshot',
      '-o',
      'com.example:backup_type=maintenance',
      '-o',
      'com.example:created_by=sysconfig',
      'tank/data/databases@pre-maintenance',
    ]);
  });

  it('replicates with zfs send piped to ssh zfs receive -u -x …, ssh_config winning over the target host', () => {
    const s = step(plan, 'replicate:tank/data/databases->backup-server:backup/databases');
    expect(s.argv).toEqual(['zfs', 'send', '-p', 'tank/data/databases@pre-maintenance']);
    expect(s.pipeTo).toEqual([
      'ssh',
      '-p',
      '22',
      '-i',
      '/root/.ssh/backup_rsa',
      '-o',
      'BatchMode=yes',
      '--',
      'backup@backup-server.example.com',
      'zfs',
      'receive',
      '-u',
      '-x',
      'mountpoint',
      '-x',
      'canmount',
      'backup/databases',
    ]);
    expect(s.dependsOn).toEqual(['snapshot:tank/data/databases@pre-maintenance']);
    expect(s.probe.kind).toBe('journal');
    expect(s.destroys).toBe(false);
    expect(s.title).toContain('first run of incremental replication');
    // "backup-server" is the short name of ssh_config.host: no warning about it
    expect(plan.warnings.filter((w) => w.path.endsWith('.target'))).toEqual([]);
  });

  it('mounts tmpfs on /tmp the platform way, without fstab (not persistent)', () => {
    const s = step(plan, 'mount:/tmp');
    expect(s.argv).toEqual(
      platform === 'illumos'
        ? ['mount', '-F', 'tmpfs', '-o', 'size=4G,mode=1777', 'swap', '/tmp']
        : ['mount', '-t', 'tmpfs', '-o', 'size=4G,mode=1777', 'tmpfs', '/tmp'],
    );
    expect(s.probe.kind).toBe('command');
    if (platform === 'linux') expect(s.probe).toMatchObject({ argv: ['mountpoint', '-q', '/tmp'] });
    expect(plan.steps.some((x) => x.id.startsWith('fstab:'))).toBe(false);
    expect(plan.steps.some((x) => x.id === 'mkdir:/tmp')).toBe(false);
  });

  it('records the mount points of the datasets it creates', () => {
    expect(plan.result.mountpoints.get('/export/home')).toBe('rpool/export/home');
    expect(plan.result.mountpoints.get('/data/databases')).toBe('tank/data/databases');
    expect(plan.result.mountpoints.get('/rpool')).toBe('rpool');
    expect([...plan.result.mountpoints.values()]).not.toContain('tank/volumes/vm-disk1');
    expect(plan.result.datasetStep.get('tank')).toBe('pool:tank');
    expect(plan.result.datasetStep.get('tank/data')).toBe('dataset:tank/data');
  });

  it('has unique ids, dependencies first, and lastIds that cover every non-replication leaf', () => {
    expectValidOrder(plan);
    expect(plan.result.lastIds).toContain('dataset:rpool/export/zones');
    expect(plan.result.lastIds).toContain('snapshot:tank/data/databases@pre-maintenance');
    expect(plan.result.lastIds).not.toContain('pool:tank');
    expect(plan.result.lastIds.some((id) => id.startsWith('replicate:'))).toBe(false);
    expect(plan.errors).toEqual([]);
  });

  it('marks exactly the disk-writing steps as destroying, each with its devices', () => {
    const destroying = plan.steps.filter((s) => s.destroys).map((s) => s.id);
    expect(destroying).toEqual(['pool:rpool', 'pool:tank']);
  });
});

describe.each(PLATFORMS)('advanced-linux-config.json on %s', (platform) => {
  const plan = planUpstream(LINUX, platform);

  if (platform === 'linux') {
    it('builds the LVM pool: pvcreate per disk, vgcreate, then the logical volume it names', () => {
      expect(step(plan, 'lvm:pv:/dev/sdb').argv).toEqual(['pvcreate', '-y', '/dev/sdb']);
      expect(step(plan, 'lvm:pv:/dev/sdc').argv).toEqual(['pvcreate', '-y', '/dev/sdc']);
      const vg = step(plan, 'lvm:vg:docker-pool');
      expect(vg.argv).toEqual([
        'vgcreate',
        '--alloc',
        'anywhere',
        'docker-pool',
        '/dev/sdb',
        '/dev/sdc',
      ]);
      expect(vg.destroys).toBe(true);
      expect(vg.devices).toEqual(['/dev/sdb', '/dev/sdc']);
      expect(vg.probe).toEqual({
        kind: 'command',
        argv: ['vgs', 'docker-pool'],
        description: 'volume group docker-pool exists',
      });
      expect(vg.dependsOn).toEqual(['lvm:pv:/dev/sdb', 'lvm:pv:/dev/sdc']);
      const lv = step(plan, 'lvm:lv:docker-pool/docker-data');
      expect(lv.argv).toEqual([
        'lvcreate',
        '-y',
        '-n',
        'docker-data',
        '-l',
        '100%FREE',
        '-i',
        '2',
        '-I',
        '64',
        'docker-pool',
      ]);
      expect(plan.warnings).toContainEqual(
        expect.objectContaining({
          path: 'storage.filesystems[0].device',
          message: expect.stringContaining('logical volume docker-data is not declared'),
        }),
      );
    });

    it('formats the LV with mkfs.ext4 -b/-I, destroying, probed with blkid', () => {
      const s = step(plan, 'fs:/dev/mapper/docker--pool-docker--data');
      expect(s.argv).toEqual([
        'mkfs.ext4',
        '-F',
        '-b',
        '4096',
        '-I',
        '256',
        '/dev/mapper/docker--pool-docker--data',
      ]);
      expect(s.destroys).toBe(true);
      expect(s.devices).toEqual(['/dev/mapper/docker--pool-docker--data']);
      expect(s.dependsOn).toEqual(['lvm:lv:docker-pool/docker-data']);
      expect(s.probe).toMatchObject({
        kind: 'command',
        argv: [
          'sh',
          '-c',
          expect.stringContaining('blkid -p -o value -s TYPE'),
          'sh',
          '/dev/mapper/docker--pool-docker--data',
          'ext4',
        ],
      });
    });

    it('mounts it on a created /var/lib/docker and records it in fstab idempotently', () => {
      const mkdir = step(plan, 'mkdir:/var/lib/docker');
      expect(mkdir.argv).toEqual(['mkdir', '-p', '/var/lib/docker']);
      const mount = step(plan, 'mount:/var/lib/docker');
      expect(mount.argv).toEqual([
        'mount',
        '-t',
        'ext4',
        '-o',
        'defaults,noatime',
        '/dev/mapper/docker--pool-docker--data',
        '/var/lib/docker',
      ]);
      expect(mount.dependsOn).toEqual([
        'fs:/dev/mapper/docker--pool-docker--data',
        'mkdir:/var/lib/docker',
      ]);
      const line =
        '/dev/mapper/docker--pool-docker--data\t/var/lib/docker\text4\tdefaults,noatime\t0\t2';
      const fstab = step(plan, 'fstab:/var/lib/docker');
      expect(fstab.argv).toEqual([
        'sh',
        '-c',
        'grep -qxF -- "$1" "$2" || printf \'%s\\n\' "$1" >> "$2"',
        'sh',
        line,
        '/etc/fstab',
      ]);
      expect(fstab.probe).toMatchObject({ argv: ['grep', '-qxF', '--', line, '/etc/fstab'] });
      expect(fstab.dependsOn).toEqual(['mount:/var/lib/docker']);
      expect(step(plan, 'mount:/tmp').argv).toEqual([
        'mount',
        '-t',
        'tmpfs',
        '-o',
        'size=4G,mode=1777,nodev,nosuid',
        'tmpfs',
        '/tmp',
      ]);
    });

    it('destroys only on pvcreate, vgcreate and mkfs', () => {
      expect(plan.steps.filter((s) => s.destroys).map((s) => s.id)).toEqual([
        'lvm:pv:/dev/sdb',
        'lvm:pv:/dev/sdc',
        'lvm:vg:docker-pool',
        'fs:/dev/mapper/docker--pool-docker--data',
      ]);
    });
  } else {
    it('skips LVM, ext4 and its mount with warnings, keeping tmpfs', () => {
      expect(plan.steps.map((s) => s.id)).toEqual(['mount:/tmp']);
      expect(plan.warnings).toContainEqual(
        expect.objectContaining({
          path: 'storage.pools[0].pool_type',
          message: expect.stringContaining('LVM is Linux-only'),
        }),
      );
      expect(plan.warnings).toContainEqual(
        expect.objectContaining({ path: 'storage.filesystems[0].fstype' }),
      );
      expect(plan.warnings).toContainEqual(
        expect.objectContaining({ path: 'storage.mounts[0].fstype' }),
      );
    });
  }

  it('has unique ids with dependencies first', () => expectValidOrder(plan));
});

describe.each(PLATFORMS)('unified-provisioning.json on %s', (platform) => {
  const plan = planUpstream(UNIFIED, platform);

  it('creates rpool as a stripe of its devices and the zfs file systems under it', () => {
    expect(step(plan, 'pool:rpool').argv).toEqual([
      'zpool',
      'create',
      '-O',
      'compression=lz4',
      '-O',
      'atime=off',
      'rpool',
      '/dev/disk0',
      '/dev/disk1',
    ]);
    expect(step(plan, 'dataset:rpool/opt').argv).toEqual([
      'zfs',
      'create',
      '-o',
      'mountpoint=/opt',
      '-o',
      'compression=gzip',
      'rpool/opt',
    ]);
    // rpool/var is not declared: -p creates it
    expect(step(plan, 'dataset:rpool/var/log').argv).toEqual([
      'zfs',
      'create',
      '-p',
      '-o',
      'mountpoint=/var/log',
      '-o',
      'logbias=throughput',
      'rpool/var/log',
    ]);
    expect(plan.result.mountpoints.get('/var/log')).toBe('rpool/var/log');
    expectValidOrder(plan);
  });
});

describe('every upstream example plans storage on every platform', () => {
  it.each(upstreamExampleNames.flatMap((n) => PLATFORMS.map((p) => [n, p] as const)))(
    '%s on %s: valid order, titles, and devices on every destroying step',
    (name, platform) => {
      const plan = planUpstream(name, platform);
      expectValidOrder(plan);
      for (const s of plan.steps) {
        expect(s.title.length).toBeGreaterThan(5);
        if (s.destroys) expect(s.devices?.length).toBeGreaterThan(0);
      }
    },
  );
});
