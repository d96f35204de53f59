import { describe, expect, it } from 'vitest';
import { at, check, errors, warnings, withPool } from '../helpers/validate.js';

const pool = (properties: Record<string, string>, extra: Record<string, unknown> = {}) =>
  withPool({ devices: ['/dev/sdb'], properties, ...extra });
const dataset = (ds: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  ...rest,
  storage: {
    pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
    zfs_datasets: [{ name: 'tank/a', ...ds }],
  },
});

describe('pool-level properties', () => {
  it('pool properties with good values pass', () => {
    expect(
      check(
        pool({
          ashift: '12',
          autotrim: 'on',
          failmode: 'continue',
          'feature@lz4_compress': 'enabled',
        }),
      ),
    ).toEqual([]);
  });

  it('a file-system property is a warning that says -O and filesystem_properties', () => {
    const ds = check(pool({ compression: 'lz4' }));
    expect(errors(ds)).toEqual([]);
    const w = at(warnings(ds), 'storage.pools[0].properties.compression');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toContain('-O compression=lz4');
    expect(w[0]!.hint).toContain('storage.pools[0].filesystem_properties');
  });

  it('and its value is still checked', () => {
    const ds = check(pool({ compression: 'fast' }));
    expect(at(errors(ds), 'storage.pools[0].properties.compression')).toHaveLength(1);
  });

  it('an unknown name is a warning with did-you-mean: deduplication → dedup', () => {
    const ds = check(pool({ deduplication: 'on' }));
    expect(errors(ds)).toEqual([]);
    const w = at(warnings(ds), 'storage.pools[0].properties.deduplication');
    expect(w[0]!.message).toContain('unknown ZFS property "deduplication"');
    expect(w[0]!.hint).toMatch(/^did you mean "dedup"\?/);
  });

  it('typos of pool properties suggest the pool property', () => {
    const w = at(
      warnings(check(pool({ autoexpnd: 'on' }))),
      'storage.pools[0].properties.autoexpnd',
    );
    expect(w[0]!.hint).toContain('"autoexpand"');
  });

  it('read-only properties are errors', () => {
    const ds = check(pool({ size: '10G', used: '1G' }));
    expect(at(errors(ds), 'storage.pools[0].properties.size')).toHaveLength(1);
    expect(at(errors(ds), 'storage.pools[0].properties.used')).toHaveLength(1);
  });

  it('bad pool property values are errors', () => {
    const ds = check(pool({ ashift: '7', failmode: 'explode', 'feature@async_destroy': 'yes' }));
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'storage.pools[0].properties.ashift',
      'storage.pools[0].properties.failmode',
      'storage.pools[0].properties["feature@async_destroy"]',
    ]);
  });

  it('platform-aware: zstd on illumos, compatibility on illumos', () => {
    expect(
      errors(
        check(pool({}, { filesystem_properties: { compression: 'zstd' } }), {
          platform: 'illumos',
        }),
      ),
    ).toHaveLength(1);
    expect(
      errors(
        check(pool({}, { filesystem_properties: { compression: 'zstd' } }), { platform: 'linux' }),
      ),
    ).toEqual([]);
    expect(
      at(
        errors(check(pool({ compatibility: 'grub2' }), { platform: 'illumos' })),
        'storage.pools[0].properties.compatibility',
      ),
    ).toHaveLength(1);
  });

  it('the same property in properties and filesystem_properties with different values is an error', () => {
    const ds = check(
      pool({ compression: 'lz4' }, { filesystem_properties: { compression: 'gzip' } }),
    );
    expect(at(errors(ds), 'storage.pools[0].properties.compression')).toHaveLength(1);
  });

  it('user properties need a colon and valid characters', () => {
    expect(check(pool({}, { filesystem_properties: { 'com.example:role': 'db' } }))).toEqual([]);
    const ds = check(pool({}, { filesystem_properties: { 'com.example:Role': 'db' } }));
    expect(
      at(errors(ds), 'storage.pools[0].filesystem_properties["com.example:Role"]'),
    ).toHaveLength(1);
  });

  it('bootfs must name a dataset of the pool that the config creates', () => {
    expect(check(pool({ bootfs: 'tank/ROOT' }, {}), {})).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'error', path: 'storage.pools[0].properties.bootfs' }),
      ]),
    );
    const created = {
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'], properties: { bootfs: 'tank/ROOT/be' } }],
        zfs_datasets: [{ name: 'tank/ROOT', children: [{ name: 'tank/ROOT/be' }] }],
      },
    };
    expect(check(created)).toEqual([]);
    const other = check(pool({ bootfs: 'rpool/ROOT' }));
    expect(at(errors(other), 'storage.pools[0].properties.bootfs')[0]?.message).toMatch(
      /not a dataset of pool "tank"/,
    );
  });
});

describe('dataset properties', () => {
  it('known names and values pass', () => {
    expect(
      check(
        dataset({
          properties: {
            compression: 'lz4',
            recordsize: '1M',
            mountpoint: '/a',
            'com.example:x': 'y',
          },
        }),
      ),
    ).toEqual([]);
  });

  it('unknown name: warning with did-you-mean', () => {
    const ds = check(dataset({ properties: { deduplication: 'on' } }));
    expect(errors(ds)).toEqual([]);
    expect(at(warnings(ds), 'storage.zfs_datasets[0].properties.deduplication')[0]?.hint).toMatch(
      /"dedup"/,
    );
  });

  it('bad values are errors', () => {
    const ds = check(
      dataset({ properties: { recordsize: '3K', atime: 'yes', mountpoint: 'relative' } }),
    );
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'storage.zfs_datasets[0].properties.atime',
      'storage.zfs_datasets[0].properties.mountpoint',
      'storage.zfs_datasets[0].properties.recordsize',
    ]);
  });

  it('a pool property on a dataset is an error that says where it belongs', () => {
    const e = at(
      errors(check(dataset({ properties: { ashift: '12' } }))),
      'storage.zfs_datasets[0].properties.ashift',
    );
    expect(e[0]?.hint).toMatch(/pool/);
  });

  it('read-only properties are errors', () => {
    expect(
      at(
        errors(check(dataset({ properties: { used: '1G' } }))),
        'storage.zfs_datasets[0].properties.used',
      ),
    ).toHaveLength(1);
  });

  it('volblocksize only on volumes; quota not on volumes', () => {
    const fs = check(dataset({ properties: { volblocksize: '16K' } }));
    expect(at(errors(fs), 'storage.zfs_datasets[0].properties.volblocksize')).toHaveLength(1);
    const vol = check(
      dataset({
        dataset_type: { volume: { size: '10G' } },
        properties: { volblocksize: '16K', quota: '1G', mountpoint: '/x' },
      }),
    );
    expect(
      errors(vol)
        .map((d) => d.path)
        .sort(),
    ).toEqual([
      'storage.zfs_datasets[0].properties.mountpoint',
      'storage.zfs_datasets[0].properties.quota',
    ]);
    const volQuota = check(dataset({ dataset_type: { volume: { size: '10G' } }, quota: '20G' }));
    expect(at(errors(volQuota), 'storage.zfs_datasets[0].quota')).toHaveLength(1);
  });

  it('volumes need a size', () => {
    const ds = check(dataset({ dataset_type: { volume: { size: 'big' } } }));
    expect(at(errors(ds), 'storage.zfs_datasets[0].dataset_type.volume.size')).toHaveLength(1);
  });

  it('quota and reservation are sizes or none', () => {
    expect(check(dataset({ quota: 'none', reservation: '1.5G' }))).toEqual([]);
    const ds = check(dataset({ quota: 'lots', reservation: '-1' }));
    expect(
      errors(ds)
        .map((d) => d.path)
        .sort(),
    ).toEqual(['storage.zfs_datasets[0].quota', 'storage.zfs_datasets[0].reservation']);
  });

  it('snapshot properties should be user properties', () => {
    const ds = check(dataset({}, {}));
    expect(ds).toEqual([]);
    const snap = check({
      storage: {
        pools: [{ name: 'tank', devices: ['/dev/sdb'] }],
        zfs_datasets: [{ name: 'tank/a' }],
        zfs_snapshots: [
          {
            dataset: 'tank/a',
            name: 's',
            properties: { 'com.example:ok': '1', retention: '30d', 'Bad:x': '1' },
          },
        ],
      },
    });
    expect(at(warnings(snap), 'storage.zfs_snapshots[0].properties.retention')[0]?.hint).toContain(
      'com.example:retention',
    );
    expect(at(errors(snap), 'storage.zfs_snapshots[0].properties["Bad:x"]')).toHaveLength(1);
    expect(at(snap, 'storage.zfs_snapshots[0].properties["com.example:ok"]')).toEqual([]);
  });

  it('encryption needs keyformat; keylocation=prompt is a warning for an unattended install', () => {
    const noFormat = check(dataset({ properties: { encryption: 'on' } }));
    expect(
      at(errors(noFormat), 'storage.zfs_datasets[0].properties.encryption')[0]?.message,
    ).toMatch(/keyformat/);
    const prompt = check(
      dataset({ properties: { encryption: 'aes-256-gcm', keyformat: 'passphrase' } }),
    );
    expect(errors(prompt)).toEqual([]);
    expect(
      at(warnings(prompt), 'storage.zfs_datasets[0].properties.encryption')[0]?.message,
    ).toMatch(/prompt/);
    const file = check(
      dataset({
        properties: { encryption: 'on', keyformat: 'raw', keylocation: 'file:///etc/zfs/key' },
      }),
    );
    expect(file).toEqual([]);
    const bad = check(
      dataset({ properties: { encryption: 'on', keyformat: 'raw', keylocation: '/etc/zfs/key' } }),
    );
    expect(at(errors(bad), 'storage.zfs_datasets[0].properties.keylocation')).toHaveLength(1);
  });
});

describe('property names that an object literal inherits', () => {
  it('"toString" and "constructor" are unknown properties, never looked up on Object.prototype', async () => {
    const { isDatasetProperty, isPoolProperty, propertyInfo, canonicalDatasetProperty } =
      await import('../../src/platform/zfs-properties.js');
    for (const name of ['toString', 'constructor', 'hasOwnProperty']) {
      expect(isDatasetProperty(name)).toBe(false);
      expect(isPoolProperty(name)).toBe(false);
      expect(propertyInfo('dataset', name)).toBeUndefined();
      expect(canonicalDatasetProperty(name)).toBe(name);
    }
    const ds = check(dataset({ properties: { toString: '1', constructor: '2' } }));
    expect(at(warnings(ds), 'storage.zfs_datasets[0].properties.toString')).toHaveLength(1);
    expect(at(warnings(ds), 'storage.zfs_datasets[0].properties.constructor')).toHaveLength(1);
  });
});
