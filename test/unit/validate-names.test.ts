import { describe, expect, it } from 'vitest';
import {
  containerNameProblems,
  datasetNameProblems,
  jailNameProblems,
  poolNameProblems,
  snapshotNameProblems,
  userNameProblems,
  zoneNameProblems,
  linkNameProblem,
} from '../../src/validate/names.js';
import { at, check, errors, warnings } from '../helpers/validate.js';

const sev = (ps: { severity: string }[]) => ps.map((p) => p.severity);

describe('pool names', () => {
  it.each(['tank', 'rpool', 'data-1', 'a.b_c:d', 'pool 2'])('%s is valid', (n) => {
    expect(poolNameProblems(n)).toEqual([]);
  });
  it.each([
    '1tank',
    '_x',
    'ta/nk',
    'tank@x',
    'mirror',
    'raidz',
    'draid',
    'spare',
    'log',
    'cache',
    'mirror2',
    'raidz2pool',
    'spares',
    'draid1x',
    '',
  ])('%j is an error', (n) => {
    expect(sev(poolNameProblems(n))).toContain('error');
  });
  it('is at most 239 characters', () => {
    expect(poolNameProblems('a'.repeat(239))).toEqual([]);
    expect(sev(poolNameProblems('a'.repeat(240)))).toEqual(['error']);
  });
  it('c0… is reserved on illumos (error there, warning when the platform is unknown)', () => {
    expect(sev(poolNameProblems('c0pool', 'illumos'))).toEqual(['error']);
    expect(sev(poolNameProblems('c0pool'))).toEqual(['warning']);
    expect(poolNameProblems('c0pool', 'linux')).toEqual([]);
  });
  it('is reported at the pool name path', () => {
    const ds = check({ storage: { pools: [{ name: 'mirror', devices: ['/dev/sdb'] }] } });
    expect(at(errors(ds), 'storage.pools[0].name')[0]?.hint).toBeTruthy();
  });
});

describe('dataset names', () => {
  it.each(['tank/a', 'tank/a b/c.d_e-f:g', 'tank'])('%j is valid', (n) =>
    expect(datasetNameProblems(n)).toEqual([]),
  );
  it.each([
    'tank//a',
    'tank/a/',
    '/tank/a',
    'tank/a@snap',
    'tank/a#b',
    'tank/ä',
    'tank/./a',
    '9tank/a',
    '',
  ])('%j is an error', (n) => {
    expect(sev(datasetNameProblems(n))).toContain('error');
  });
  it('is at most 255 characters', () => {
    const long = 'tank/' + 'a'.repeat(250);
    expect(datasetNameProblems(long)).toEqual([]);
    expect(sev(datasetNameProblems(long + 'b'))).toEqual(['error']);
  });
  it('nests fewer than 50 levels', () => {
    const deep = (n: number) => ['tank', ...Array.from({ length: n }, () => 'a')].join('/');
    expect(datasetNameProblems(deep(49))).toEqual([]);
    expect(sev(datasetNameProblems(deep(50)))).toEqual(['error']);
  });
});

describe('snapshot names', () => {
  it('accept the component characters', () =>
    expect(snapshotNameProblems('daily-2024.01_01:x', 'tank/a')).toEqual([]));
  it.each(['a/b', 'a@b', 'a#b', '', 'ä'])('%j is an error', (n) =>
    expect(sev(snapshotNameProblems(n, 'tank/a'))).toContain('error'),
  );
  it('count the dataset in the length', () => {
    expect(sev(snapshotNameProblems('s'.repeat(250), 'tank/a'))).toEqual(['error']);
  });
});

describe('zone, jail, container, user and link names', () => {
  it('zones: global and SUNW* reserved, charset, 63 characters', () => {
    expect(zoneNameProblems('web-zone.1_a')).toEqual([]);
    expect(sev(zoneNameProblems('global'))).toEqual(['error']);
    expect(sev(zoneNameProblems('SUNWdefault'))).toEqual(['error']);
    expect(sev(zoneNameProblems('-web'))).toEqual(['error']);
    expect(sev(zoneNameProblems('web zone'))).toEqual(['error']);
    expect(zoneNameProblems('z'.repeat(63))).toEqual([]);
    expect(sev(zoneNameProblems('z'.repeat(64)))).toEqual(['error']);
  });
  it('jails: not a number; dots make hierarchical jails', () => {
    expect(jailNameProblems('web_1')).toEqual([]);
    expect(sev(jailNameProblems('42'))).toEqual(['error']);
    expect(sev(jailNameProblems('web jail'))).toEqual(['error']);
    expect(sev(jailNameProblems('web.child'))).toEqual(['warning']);
  });
  it('containers', () => {
    expect(containerNameProblems('web-server_1.a')).toEqual([]);
    expect(sev(containerNameProblems('_web'))).toEqual(['error']);
    expect(sev(containerNameProblems('web/server'))).toEqual(['error']);
  });
  it('users', () => {
    expect(userNameProblems('admin')).toEqual([]);
    expect(userNameProblems('svc_user-1')).toEqual([]);
    expect(sev(userNameProblems('Admin'))).toEqual(['warning']);
    expect(sev(userNameProblems('-x'))).toEqual(['error']);
    expect(sev(userNameProblems('a:b'))).toEqual(['error']);
    expect(sev(userNameProblems('1000'))).toEqual(['error']);
    expect(sev(userNameProblems('a'.repeat(33)))).toEqual(['error']);
  });
  it('datalinks (VNICs)', () => {
    expect(linkNameProblem('vnic0')).toBeUndefined();
    expect(linkNameProblem('web1')).toBeUndefined();
    expect(linkNameProblem('web01')).toMatch(/leading|start with 0/);
    expect(linkNameProblem('vnic')).toBeDefined();
    expect(linkNameProblem('0vnic1')).toBeDefined();
    expect(linkNameProblem('v-nic1')).toBeDefined();
  });
});

describe('uniqueness', () => {
  it('zone, jail and container names, zonepaths and jail paths', () => {
    const ds = check({
      containers: {
        zones: [
          { name: 'web', zonepath: '/zones/web' },
          { name: 'web', zonepath: '/zones/web/' },
          { name: 'db', zonepath: '/zones/web/db' },
        ],
        jails: [
          { name: 'j', path: '/jails/j' },
          { name: 'j', path: '/jails/j' },
        ],
        containers: [
          { name: 'c', image: 'alpine' },
          { name: 'c', image: 'alpine' },
        ],
      },
    });
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual(
      [
        'containers.containers[1].name',
        'containers.jails[1].name',
        'containers.jails[1].path',
        'containers.zones[1].name',
        'containers.zones[1].zonepath',
        'containers.zones[2].zonepath',
      ].sort(),
    );
  });

  it('dataset names across the tree and nested configs', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
        zfs_datasets: [{ name: 'tank/a', children: [{ name: 'tank/a/b' }] }, { name: 'tank/a/b' }],
      },
      containers: {
        zones: [
          {
            name: 'z',
            zonepath: '/zones/z',
            properties: { dataset: 'tank/a' },
            sysconfig: { storage: { zfs_datasets: [{ name: 'tank/a/b' }] } },
          },
        ],
      },
    });
    expect(errors(ds).map((d) => d.path)).toEqual([
      'storage.zfs_datasets[1].name',
      'containers.zones[0].sysconfig.storage.zfs_datasets[0].name',
    ]);
  });

  it('child datasets start with the parent name and a slash', () => {
    const ds = check({
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
        zfs_datasets: [
          { name: 'tank/data', children: [{ name: 'tank/database' }, { name: 'tank/data/ok' }] },
        ],
      },
    });
    const e = errors(ds);
    expect(e.map((d) => d.path)).toEqual(['storage.zfs_datasets[0].children[0].name']);
    expect(e[0]!.hint).toContain('"tank/data/"');
  });

  it('a dataset in a pool this config does not create is a warning', () => {
    const ds = check({ storage: { zfs_datasets: [{ name: 'zroot/data' }] } });
    expect(errors(ds)).toEqual([]);
    expect(at(warnings(ds), 'storage.zfs_datasets[0].name')[0]?.message).toMatch(
      /pool "zroot" is not created/,
    );
  });
});
