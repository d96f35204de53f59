/**
 * Property-based: random storage sections (odd names, duplicates, shell
 * metacharacters, selectors, cross references) compile on every platform
 * without throwing, with unique ids, dependencies first, and a path and hint
 * on every diagnostic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLATFORMS } from '../../src/plan/types.js';
import { expectValidOrder, planStorage } from '../helpers/plan-storage.js';

const word = fc.constantFrom('tank', 'rpool', 'a', 'b b', 'x;y', '$(id)', 'db', "q'uote", 'c-1');
const dataset = fc.array(word, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
const device = fc.oneof(
  fc.constantFrom(
    '/dev/sda',
    '/dev/sdb',
    '/dev/dsk/c1t0d0',
    '/dev/mapper/vg-lv',
    '/dev/zvol/tank/a',
  ),
  fc.record({ serial: fc.constantFrom('S1', 'S2') }),
  fc.record({ path: fc.constantFrom('/dev/ada0', '/dev/ada1'), serial: fc.constant('S3') }),
);
const vdev = fc.record({
  vdev_type: fc.constantFrom('stripe', 'mirror', 'raidz', 'raidz1', 'raidz2', 'raidz3'),
  devices: fc.array(device, { maxLength: 4 }),
});
const props = fc.dictionary(
  fc.constantFrom(
    'compression',
    'atime',
    'mountpoint',
    'ashift',
    'bootfs',
    'deduplication',
    'com.example:x',
    'volblocksize',
    'quota',
    'size',
    'feature@async_destroy',
    'altroot',
    'canmount',
    'allocation_policy',
    'stripe_size',
  ),
  fc.constantFrom('on', 'off', 'lz4', '/srv', 'none', '12', '64K', 'tank/a', 'enabled'),
  { maxKeys: 5 },
);
const datasetTree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.record(
    {
      name: dataset,
      dataset_type: fc.oneof(
        fc.constant('filesystem'),
        fc.record({ volume: fc.record({ size: fc.constantFrom('1G', '10G') }) }),
      ),
      properties: props,
      quota: fc.constantFrom('1G', 'none'),
      reservation: fc.constantFrom('1G'),
      children: fc.array(tie('node'), { maxLength: 2 }),
    },
    { requiredKeys: ['name'] },
  ),
})).node;

const storage = fc.record(
  {
    pools: fc.array(
      fc.record(
        {
          name: word,
          pool_type: fc.constantFrom('zpool', 'lvm'),
          devices: fc.array(device, { maxLength: 3 }),
          properties: props,
          filesystem_properties: props,
          topology: fc.record(
            {
              data: fc.array(vdev, { maxLength: 3 }),
              log: fc.array(vdev, { maxLength: 2 }),
              cache: fc.array(vdev, { maxLength: 2 }),
              spare: fc.array(device, { maxLength: 2 }),
              special: fc.array(vdev, { maxLength: 1 }),
              dedup: fc.array(vdev, { maxLength: 1 }),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: ['name'] },
      ),
      { maxLength: 3 },
    ),
    zfs_datasets: fc.array(datasetTree, { maxLength: 4 }),
    filesystems: fc.array(
      fc.record({
        device: fc.oneof(
          dataset,
          fc.constantFrom('/dev/sdb1', '/dev/mapper/vg-lv', '/dev/zvol/tank/a'),
        ),
        fstype: fc.constantFrom('zfs', 'ufs', 'ext4', 'xfs', 'btrfs', 'ntfs', 'fat32'),
        options: props,
        format: fc.boolean(),
      }),
      { maxLength: 3 },
    ),
    mounts: fc.array(
      fc.record({
        source: fc.oneof(dataset, fc.constantFrom('tmpfs', '/dev/sdb1')),
        target: fc.constantFrom('/tmp', '/srv', '/srv/a b', 'relative', '/', '/srv/x'),
        fstype: fc.constantFrom('tmpfs', 'ext4', 'zfs', 'ufs'),
        options: fc.array(fc.constantFrom('ro', 'size=1G', 'a b'), { maxLength: 2 }),
        persistent: fc.boolean(),
      }),
      { maxLength: 4 },
    ),
    zfs_snapshots: fc.array(
      fc.record({
        dataset,
        name: word,
        recursive: fc.boolean(),
        properties: props,
      }),
      { maxLength: 3 },
    ),
    zfs_replication: fc.array(
      fc.record(
        {
          source_dataset: dataset,
          target: fc.oneof(
            dataset,
            dataset.map((d) => `host:${d}`),
            dataset.map((d) => `u@h:${d}`),
          ),
          replication_type: fc.constantFrom('send', 'incremental', 'full'),
          ssh_config: fc.record({ user: word, host: word }),
          exclude_properties: fc.array(word, { maxLength: 2 }),
          recursive: fc.boolean(),
        },
        { requiredKeys: ['source_dataset'] },
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
);

describe('storage plan on random configs', () => {
  it('never throws; ids unique, dependencies first; every diagnostic has a path and a hint', () => {
    fc.assert(
      fc.property(storage, fc.constantFrom(...PLATFORMS), (s, platform) => {
        const plan = planStorage(s, platform);
        expectValidOrder(plan);
        for (const d of [...plan.warnings, ...plan.errors]) {
          expect(d.path).toMatch(/^storage\./);
          expect(d.hint, `${d.path}: ${d.message}`).toBeTruthy();
        }
        for (const st of plan.steps) if (st.destroys) expect(st.devices?.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
