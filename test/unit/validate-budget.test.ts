import { describe, expect, it } from 'vitest';
import type { Disk } from '../../src/disks/types.js';
import { poolCapacity, vdevCapacity } from '../../src/validate/capacity.js';
import { at, cfg, check, errors, mirror, stripe, warnings } from '../helpers/validate.js';

const G = 2 ** 30;
const T = 2 ** 40;

function disk(name: string, size: number, serial: string | null = null): Disk {
  return {
    name,
    path: `/dev/${name}`,
    size_bytes: size,
    model: null,
    vendor: null,
    serial,
    wwn: null,
    by_id: [],
    transport: null,
    rotational: null,
    ssd: null,
    removable: false,
    in_use: [],
  };
}

const tree = (
  datasets: unknown[],
  pools: unknown[] = [{ name: 'tank', devices: ['/dev/sdb'] }],
) => ({
  storage: { pools, zfs_datasets: datasets },
});

describe('quota and reservation budget', () => {
  it("a child's reservation larger than its parent's quota is an error", () => {
    const ds = check(
      tree([
        { name: 'tank/a', quota: '10G', children: [{ name: 'tank/a/b', reservation: '20G' }] },
      ]),
    );
    const e = at(errors(ds), 'storage.zfs_datasets[0].children[0].reservation');
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toContain('tank/a');
  });

  it('an ancestor further up counts too, and declared-elsewhere parents count', () => {
    const ds = check(
      tree([
        { name: 'tank/a', quota: '10G' },
        { name: 'tank/a/b/c', reservation: '11G' },
      ]),
    );
    expect(at(errors(ds), 'storage.zfs_datasets[1].reservation')).toHaveLength(1);
  });

  it("a volume's size counts as its reservation", () => {
    const ds = check(
      tree([
        {
          name: 'tank/v',
          quota: '10G',
          children: [{ name: 'tank/v/disk', dataset_type: { volume: { size: '20G' } } }],
        },
      ]),
    );
    expect(
      at(errors(ds), 'storage.zfs_datasets[0].children[0].dataset_type.volume.size'),
    ).toHaveLength(1);
  });

  it("a child's quota larger than its parent's is a warning (never reached)", () => {
    const ds = check(
      tree([{ name: 'tank/a', quota: '10G', children: [{ name: 'tank/a/b', quota: '20G' }] }]),
    );
    expect(errors(ds)).toEqual([]);
    expect(at(warnings(ds), 'storage.zfs_datasets[0].children[0].quota')[0]?.message).toMatch(
      /never be reached/,
    );
  });

  it("the children's reservations together beyond the parent's quota is an error", () => {
    const ds = check(
      tree([
        {
          name: 'tank/a',
          quota: '10G',
          children: [
            { name: 'tank/a/b', reservation: '6G' },
            { name: 'tank/a/c', reservation: '6G' },
          ],
        },
      ]),
    );
    expect(at(errors(ds), 'storage.zfs_datasets[0].quota')[0]?.message).toMatch(/12G in total/);
  });

  it("a dataset's own reservation beyond its quota is an error", () => {
    const ds = check(tree([{ name: 'tank/a', quota: '1G', reservation: '2G' }]));
    expect(at(errors(ds), 'storage.zfs_datasets[0].reservation')).toHaveLength(1);
  });

  it('within budget: no diagnostics', () => {
    expect(
      check(
        tree([
          {
            name: 'tank/a',
            quota: '10G',
            reservation: '2G',
            children: [
              { name: 'tank/a/b', quota: '5G', reservation: '4G' },
              { name: 'tank/a/c', reservation: '4G' },
            ],
          },
        ]),
      ),
    ).toEqual([]);
  });
});

describe('pool capacity', () => {
  const idx = (ds: Disk[]) => ds;

  it('stripe sums, mirror is the smallest member, raidzN is (n − N) × smallest', () => {
    const disks = idx([
      disk('sdb', 1 * T),
      disk('sdc', 1 * T),
      disk('sdd', 1 * T),
      disk('sde', 1 * T),
      disk('sdf', 2 * T),
    ]);
    const s = poolCapacity(
      cfg({ storage: { pools: [{ name: 't', devices: ['/dev/sdb', '/dev/sdf'] }] } }).storage
        .pools[0]!,
      disks,
    );
    expect(s).toMatchObject({
      rawBytes: 3 * T,
      usableBytes: 3 * T,
      failuresSurvived: 0,
      complete: true,
    });
    const m = poolCapacity(
      cfg({
        storage: { pools: [{ name: 't', topology: { data: [mirror('/dev/sdb', '/dev/sdc')] } }] },
      }).storage.pools[0]!,
      disks,
    );
    expect(m).toMatchObject({ rawBytes: 2 * T, usableBytes: 1 * T, failuresSurvived: 1 });
    const z = poolCapacity(
      cfg({
        storage: {
          pools: [
            {
              name: 't',
              topology: {
                data: [
                  {
                    vdev_type: 'raidz2',
                    devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'],
                  },
                ],
              },
            },
          ],
        },
      }).storage.pools[0]!,
      disks,
    );
    expect(z).toMatchObject({ rawBytes: 4 * T, usableBytes: 2 * T, failuresSurvived: 2 });
  });

  it('failures survived is the minimum over data vdevs; log, cache and spare do not count', () => {
    const disks = ['sdb', 'sdc', 'sdd', 'sde', 'sdf', 'sdg', 'sdh'].map((n) => disk(n, T));
    const p = cfg({
      storage: {
        pools: [
          {
            name: 't',
            topology: {
              data: [mirror('/dev/sdb', '/dev/sdc', '/dev/sdd'), mirror('/dev/sde', '/dev/sdf')],
              log: [stripe('/dev/sdg')],
              spare: ['/dev/sdh'],
            },
          },
        ],
      },
    }).storage.pools[0]!;
    const c = poolCapacity(p, disks);
    expect(c.failuresSurvived).toBe(1);
    expect(c.usableBytes).toBe(2 * T);
    expect(c.vdevs.map((v) => v.role)).toEqual(['data', 'data']);
  });

  it('sizes come from selectors with size_bytes; unknown sizes leave the total undefined', () => {
    const p = cfg({
      storage: {
        pools: [
          {
            name: 't',
            topology: {
              data: [
                mirror({ serial: 'A', size_bytes: 100 * G }, { serial: 'B', size_bytes: 100 * G }),
              ],
            },
          },
        ],
      },
    }).storage.pools[0]!;
    expect(poolCapacity(p)).toMatchObject({ usableBytes: 100 * G, complete: true });
    const q = cfg({
      storage: { pools: [{ name: 't', topology: { data: [mirror('/dev/sdb', '/dev/sdc')] } }] },
    }).storage.pools[0]!;
    expect(poolCapacity(q, [disk('sdb', T)])).toMatchObject({
      usableBytes: undefined,
      complete: false,
      failuresSurvived: 1,
    });
  });

  it('mixed disk sizes inside a vdev are a capacity warning, and a validation warning at the vdev', () => {
    const disks = [disk('sdb', 1 * T), disk('sdc', 2 * T)];
    const value = {
      storage: { pools: [{ name: 'tank', topology: { data: [mirror('/dev/sdb', '/dev/sdc')] } }] },
    };
    const c = poolCapacity(cfg(value).storage.pools[0]!, disks);
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings[0]!.path).toEqual(['topology', 'data', 0]);
    expect(
      at(warnings(check(value, { disks })), 'storage.pools[0].topology.data[0]')[0]?.message,
    ).toMatch(/mixes disk sizes/);
    expect(check(value)).toEqual([]);
  });

  it('reservations and volume sizes beyond the usable capacity are a warning when disks are known', () => {
    const disks = [disk('sdb', 100 * G), disk('sdc', 100 * G)];
    const value = {
      storage: {
        pools: [{ name: 'tank', topology: { data: [mirror('/dev/sdb', '/dev/sdc')] } }],
        zfs_datasets: [
          { name: 'tank/a', reservation: '60G' },
          { name: 'tank/v', dataset_type: { volume: { size: '50G' } } },
        ],
      },
    };
    expect(check(value)).toEqual([]);
    const w = at(warnings(check(value, { disks })), 'storage.pools[0]');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toMatch(/reserve 110G/);
    const fits = {
      ...value,
      storage: { ...value.storage, zfs_datasets: [{ name: 'tank/a', reservation: '60G' }] },
    };
    expect(check(fits, { disks })).toEqual([]);
  });

  it('vdevCapacity measures one vdev on its own (for the vdev builder)', () => {
    const disks = [disk('sdb', 1 * T), disk('sdc', 1 * T), disk('sdd', 1 * T), disk('sde', 2 * T)];
    expect(
      vdevCapacity({ vdev_type: 'raidz1', devices: ['/dev/sdb', '/dev/sdc', '/dev/sdd'] }, disks),
    ).toMatchObject({
      width: 3,
      usableBytes: 2 * T,
      rawBytes: 3 * T,
      failuresSurvived: 1,
      warnings: [],
    });
    const mixed = vdevCapacity({ vdev_type: 'mirror', devices: ['/dev/sdb', '/dev/sde'] }, disks);
    expect(mixed).toMatchObject({ usableBytes: 1 * T, failuresSurvived: 1 });
    expect(mixed.warnings[0]).toMatch(/1T to 2T.*1T stay unused/);
    expect(
      vdevCapacity({ vdev_type: 'stripe', devices: ['/dev/sdb', '/dev/sdx'] }, disks),
    ).toMatchObject({
      width: 2,
      usableBytes: undefined,
      failuresSurvived: 0,
    });
  });
});
