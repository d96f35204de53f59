import { describe, expect, it } from 'vitest';
import { parseConfigValue } from '../../src/schema/parse.js';
import type { UnifiedConfig } from '../../src/schema/config.js';
import {
  findDiskByPath,
  recordDiskIdentity,
  resolveDiskSelectors,
} from '../../src/disks/select.js';
import type { Disk, InUse } from '../../src/disks/types.js';

const G = 2 ** 30;
function disk(name: string, over: Partial<Disk> = {}, inUse: InUse[] = []): Disk {
  return {
    name,
    path: `/dev/${name}`,
    size_bytes: 1000 * G,
    model: 'WDC WD10EFRX',
    vendor: 'ATA',
    serial: `SER-${name}`,
    wwn: null,
    by_id: [],
    transport: 'sata',
    rotational: true,
    ssd: false,
    removable: false,
    in_use: inUse,
    ...over,
  };
}

const machine: Disk[] = [
  disk('sda', { model: 'Samsung SSD 870', ssd: true, rotational: false, size_bytes: 500 * G }, [
    { reason: 'root', detail: '/ is on sda2' },
  ]),
  disk('sdb', { model: 'Samsung SSD 870', ssd: true, rotational: false, size_bytes: 500 * G }),
  disk('sdc', { wwn: '0x50014ee2b5a1c3d4', by_id: ['/dev/disk/by-id/wwn-0x50014ee2b5a1c3d4'] }),
  disk('sdd'),
  disk('sde'),
  disk('sdf', {}, [{ reason: 'zpool', detail: 'tank' }]),
  disk('nvme0n1', {
    model: 'Samsung SSD 980 PRO 1TB',
    ssd: true,
    rotational: false,
    transport: 'nvme',
    size_bytes: 1000 * G,
  }),
  disk('nvme1n1', {
    model: 'Samsung SSD 980 PRO 1TB',
    ssd: true,
    rotational: false,
    transport: 'nvme',
    size_bytes: 1000 * G,
  }),
  disk('sdaa', { size_bytes: 3000 * G, model: 'ST3000' }),
];

function config(pools: unknown[]): UnifiedConfig {
  const r = parseConfigValue({ storage: { pools } });
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.config;
}

const dataVdev = (devices: unknown[], vdev_type = 'mirror') => ({
  name: 'tank',
  topology: { data: [{ vdev_type, devices }] },
});

describe('resolveDiskSelectors', () => {
  it('count expands into that many entries, free disks only, in name order, identity recorded', () => {
    const cfg = config([dataVdev([{ model: 'WDC*', count: 3 }], 'raidz1')]);
    const r = resolveDiskSelectors(cfg, machine);
    expect(r.diagnostics).toEqual([]);
    expect(r.config.storage.pools[0]!.topology!.data[0]!.devices).toEqual([
      { path: '/dev/sdc', serial: 'SER-sdc', wwn: '0x50014ee2b5a1c3d4', size_bytes: 1000 * G },
      { path: '/dev/sdd', serial: 'SER-sdd', size_bytes: 1000 * G },
      { path: '/dev/sde', serial: 'SER-sde', size_bytes: 1000 * G },
    ]);
    // the input config is not changed
    expect(cfg.storage.pools[0]!.topology!.data[0]!.devices).toEqual([{ model: 'WDC*', count: 3 }]);
    expect(r.picks.map((p) => [p.path, p.disks.map((d) => d.name)])).toEqual([
      ['storage.pools[0].topology.data[0].devices[0]', ['sdc', 'sdd', 'sde']],
    ]);
  });

  it('never picks an in-use disk: a selector matching only in-use disks fails with the reason', () => {
    const cfg = config([{ name: 'p', devices: [{ serial: 'SER-sdf' }] }]);
    const r = resolveDiskSelectors(cfg, machine);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'error',
      path: 'storage.pools[0].devices[0]',
    });
    expect(r.diagnostics[0]!.message).toMatch(/no free disk matches serial "SER-sdf"/);
    expect(r.diagnostics[0]!.hint).toMatch(/sdf is in use \(zpool tank\)/);
    // unresolved selector stays as it was
    expect(r.config.storage.pools[0]!.devices).toEqual([{ serial: 'SER-sdf' }]);
  });

  it('glob + type + transport + size range; size units are binary', () => {
    const cfg = config([
      dataVdev([
        {
          model: 'samsung ssd 9?0 *',
          type: 'ssd',
          transport: 'NVMe',
          size_min: '900G',
          size_max: '1T',
          count: 2,
        },
      ]),
    ]);
    const r = resolveDiskSelectors(cfg, machine);
    expect(r.diagnostics).toEqual([]);
    expect(r.picks[0]!.disks.map((d) => d.name)).toEqual(['nvme0n1', 'nvme1n1']);
    const tooSmall = resolveDiskSelectors(
      config([dataVdev([{ size_min: '1001G', size_max: '2T' }])]),
      machine,
    );
    expect(tooSmall.diagnostics[0]!.message).toMatch(
      /no free disk matches size ≥ 1001G, size ≤ 2T/,
    );
  });

  it('type hdd needs rotational; natural name order (sdaa after sde)', () => {
    const r = resolveDiskSelectors(
      config([dataVdev([{ type: 'hdd', count: 4 }], 'raidz1')]),
      machine,
    );
    expect(r.picks[0]!.disks.map((d) => d.name)).toEqual(['sdc', 'sdd', 'sde', 'sdaa']);
  });

  it('ambiguous: several matches and no count is an error at the path, listing them', () => {
    const cfg = config([dataVdev(['/dev/sdb', { model: 'WDC*' }])]);
    const r = resolveDiskSelectors(cfg, machine);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d.path).toBe('storage.pools[0].topology.data[0].devices[1]');
    expect(d.message).toBe('model "WDC*" is ambiguous: it matches 3 free disks (sdc, sdd, sde)');
    expect(d.hint).toMatch(/"count"/);
    expect(d.hint).toMatch(/"serial" or "wwn"/);
  });

  it('fewer matches than count is an error saying how many', () => {
    const r = resolveDiskSelectors(
      config([dataVdev([{ transport: 'nvme', count: 3 }], 'raidz1')]),
      machine,
    );
    expect(r.diagnostics[0]!.message).toBe(
      'transport nvme, count 3: only 2 free disks match (nvme0n1, nvme1n1)',
    );
  });

  it('disks named by path (any form) are not picked; selectors do not share disks', () => {
    const cfg = config([
      {
        name: 'a',
        topology: {
          data: [
            {
              vdev_type: 'mirror',
              devices: ['/dev/disk/by-id/wwn-0x50014ee2b5a1c3d4', { model: 'WDC*', count: 1 }],
            },
          ],
          log: [{ vdev_type: 'stripe', devices: [{ model: 'WDC*', count: 1 }] }],
          spare: [{ type: 'hdd', count: 1 }],
        },
      },
    ]);
    const r = resolveDiskSelectors(cfg, machine);
    const t = r.config.storage.pools[0]!.topology!;
    expect(t.data[0]!.devices[1]).toMatchObject({ path: '/dev/sdd' });
    expect(t.log[0]!.devices[0]).toMatchObject({ path: '/dev/sde' });
    expect(t.spare[0]).toMatchObject({ path: '/dev/sdaa' });
    expect(r.diagnostics).toEqual([]);
  });

  it('exact selectors (serial/wwn) are resolved before vaguer ones earlier in the document', () => {
    const cfg = config([
      { name: 'a', devices: [{ model: 'WDC*', count: 2 }] },
      { name: 'b', devices: [{ serial: 'SER-sdc' }, { wwn: '50014EE2B5A1C3D4' }] },
    ]);
    const r = resolveDiskSelectors(cfg, machine);
    // serial takes sdc; the wwn selector names the same disk → nothing free for it
    expect(r.config.storage.pools[1]!.devices[0]).toMatchObject({ path: '/dev/sdc' });
    expect(r.config.storage.pools[0]!.devices.map((d) => (d as { path: string }).path)).toEqual([
      '/dev/sdd',
      '/dev/sde',
    ]);
    expect(r.diagnostics.map((d) => d.path)).toEqual(['storage.pools[1].devices[1]']);
    expect(r.diagnostics[0]!.hint).toMatch(
      /sdc is already used at storage.pools\[1\].devices\[0\]/,
    );
  });

  it('is deterministic: the disk list order does not matter', () => {
    const cfg = config([
      dataVdev([
        { type: 'hdd', count: 2 },
        { model: 'Samsung*', transport: 'nvme', count: 1 },
      ]),
    ]);
    const a = resolveDiskSelectors(cfg, machine);
    const b = resolveDiskSelectors(cfg, [...machine].reverse());
    expect(b.config).toEqual(a.config);
    expect(a.config.storage.pools[0]!.topology!.data[0]!.devices).toHaveLength(3);
  });

  it('bad selector fields are errors at the field path', () => {
    const r = resolveDiskSelectors(
      config([
        {
          name: 'p',
          devices: [
            { size_min: 'lots' },
            { serial: 'X', count: 2 },
            { size_min: '2T', size_max: '1T' },
          ],
        },
      ]),
      machine,
    );
    expect(r.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['storage.pools[0].devices[0].size_min', '"lots" is not a size'],
      ['storage.pools[0].devices[1].count', 'count 2 with serial: a serial or WWN names one disk'],
      ['storage.pools[0].devices[2].size_min', 'size_min 2T is larger than size_max 1T'],
    ]);
  });

  it('checks named devices: in use, recorded identity mismatch (a disk named twice is left to validation)', () => {
    const cfg = config([
      {
        name: 'p',
        devices: [
          '/dev/sdf',
          { path: '/dev/sdd', serial: 'OTHER', size_bytes: 1000 * G },
          'sde',
          '/dev/sde',
          '/var/tmp/file.img',
        ],
      },
    ]);
    const r = resolveDiskSelectors(cfg, machine);
    expect(r.diagnostics.map((d) => [d.path, d.message])).toEqual([
      ['storage.pools[0].devices[0]', '/dev/sdf (sdf) is in use: zpool tank'],
      [
        'storage.pools[0].devices[1]',
        'the disk at /dev/sdd is not the one recorded: serial is SER-sdd, recorded OTHER',
      ],
    ]);
    expect(resolveDiskSelectors(cfg, machine, { checkNamed: false }).diagnostics).toEqual([]);
  });

  it('a config without pools or selectors is returned equal', () => {
    const cfg = config([]);
    expect(resolveDiskSelectors(cfg, machine)).toEqual({ config: cfg, diagnostics: [], picks: [] });
  });
});

describe('recordDiskIdentity and findDiskByPath', () => {
  it('adds serial/wwn/size to plain paths of detected disks; leaves files and unknown paths', () => {
    const cfg = config([
      {
        name: 'p',
        devices: ['/dev/disk/by-id/wwn-0x50014ee2b5a1c3d4', 'sdd', '/tmp/f.img', '/dev/sdz'],
      },
    ]);
    const out = recordDiskIdentity(cfg, machine);
    expect(out.storage.pools[0]!.devices).toEqual([
      {
        path: '/dev/disk/by-id/wwn-0x50014ee2b5a1c3d4',
        serial: 'SER-sdc',
        wwn: '0x50014ee2b5a1c3d4',
        size_bytes: 1000 * G,
      },
      { path: 'sdd', serial: 'SER-sdd', size_bytes: 1000 * G },
      '/tmp/f.img',
      '/dev/sdz',
    ]);
    expect(cfg.storage.pools[0]!.devices[1]).toBe('sdd');
  });
  it('finds illumos /dev/dsk and /dev/rdsk forms', () => {
    const il = [disk('c1t0d0', { path: '/dev/dsk/c1t0d0' })];
    expect(findDiskByPath('/dev/rdsk/c1t0d0', il)?.name).toBe('c1t0d0');
    expect(findDiskByPath('c1t0d0', il)?.name).toBe('c1t0d0');
    expect(findDiskByPath('/dev/dsk/c1t0d0s0', il)).toBeUndefined();
  });
});

describe('re-running a preseed after its pool exists', () => {
  it("a selector picks the disks already in its own pool, never another pool's", async () => {
    const { resolveDiskSelectors } = await import('../../src/disks/select.js');
    const { parseConfigText } = await import('../../src/schema/parse.js');
    const mk = (name: string, inUse: Disk['in_use'] = []): Disk => ({
      name,
      path: `/dev/${name}`,
      size_bytes: 1e12,
      model: 'M',
      vendor: null,
      serial: `S-${name}`,
      wwn: null,
      by_id: [],
      transport: 'sata',
      rotational: true,
      ssd: false,
      removable: false,
      in_use: inUse,
    });
    const disks = [
      mk('sda'),
      mk('sdb', [{ reason: 'zpool', detail: 'other' }]),
      mk('sdc', [{ reason: 'zpool', detail: 'tank' }]),
      mk('sdd', [{ reason: 'zpool', detail: 'tank' }]),
    ];
    const config = parseConfigText(
      JSON.stringify({
        storage: {
          pools: [
            {
              name: 'tank',
              topology: { data: [{ vdev_type: 'mirror', devices: [{ model: 'M', count: 2 }] }] },
            },
          ],
        },
      }),
    ).config!;
    const r = resolveDiskSelectors(config, disks, { ownPoolDisksFree: true });
    expect(r.diagnostics).toEqual([]);
    const devices = r.config.storage.pools[0]!.topology!.data[0]!.devices;
    expect(devices.map((d) => (typeof d === 'string' ? d : d.path))).toEqual([
      '/dev/sdc',
      '/dev/sdd',
    ]);
    // without the option (a review, not a re-run), disks in a pool are never picked
    const review = resolveDiskSelectors(config, disks);
    expect(review.diagnostics).toHaveLength(1);
    expect(review.diagnostics[0]!.message).toContain('only 1 free disk');
  });
});
