import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDevicesBeforeWrite, isFileVdev, poolDevices } from '../../src/disks/guard.js';
import { loadMachineProfile, parseMachineProfile } from '../../src/disks/machine.js';
import { parseConfigValue } from '../../src/schema/parse.js';
import type { Disk } from '../../src/disks/types.js';
import { tempDir } from '../helpers/temp.js';

const disk = (name: string, over: Partial<Disk> = {}): Disk => ({
  name,
  path: `/dev/${name}`,
  size_bytes: 1_000_204_886_016,
  model: 'M',
  vendor: null,
  serial: `S-${name}`,
  wwn: `0x5000c500000000${name.length}`,
  by_id: [`/dev/disk/by-id/ata-M_S-${name}`],
  transport: 'sata',
  rotational: false,
  ssd: true,
  removable: false,
  in_use: [],
  ...over,
});
const detected = [
  disk('sdb'),
  disk('sdc', { in_use: [{ reason: 'mounted', detail: '/data' }] }),
  disk('sdd', { wwn: null }),
];

describe('checkDevicesBeforeWrite', () => {
  it('a free disk whose recorded identity matches: no problem', () => {
    expect(
      checkDevicesBeforeWrite(
        ['/dev/sdb', '/dev/disk/by-id/ata-M_S-sdd'],
        {
          '/dev/sdb': { serial: 'S-sdb', wwn: '0x5000C5000000003', size_bytes: 1_000_204_886_016 },
        },
        detected,
      ),
    ).toEqual([]);
  });
  it('refuses an in-use disk, naming the reason', () => {
    const p = checkDevicesBeforeWrite(['/dev/sdc'], {}, detected);
    expect(p).toHaveLength(1);
    expect(p[0]).toMatchObject({ device: '/dev/sdc', kind: 'in-use' });
    expect(p[0]!.message).toBe('/dev/sdc (sdc) is in use: mounted /data');
  });
  it('refuses a disk that is not the one reviewed (serial, wwn or size differ)', () => {
    const rec = new Map([
      ['/dev/sdb', { serial: 'S-other' }],
      ['/dev/sdd', { size_bytes: 5 }],
    ]);
    const p = checkDevicesBeforeWrite(['/dev/sdb', '/dev/sdd'], rec, detected);
    expect(p.map((x) => [x.device, x.kind])).toEqual([
      ['/dev/sdb', 'identity-mismatch'],
      ['/dev/sdd', 'identity-mismatch'],
    ]);
    expect(p[0]!.message).toMatch(/serial is S-sdb, recorded S-other/);
    expect(p[1]!.message).toMatch(/size is 1000204886016 bytes, recorded 5/);
    const w = checkDevicesBeforeWrite(['/dev/sdd'], { '/dev/sdd': { wwn: '0x1' } }, detected);
    expect(w[0]!.message).toMatch(/wwn is unknown, recorded 0x1/);
  });
  it('refuses a path that is not a detected disk (gone, a partition), and the same disk twice', () => {
    const p = checkDevicesBeforeWrite(['/dev/sdz', '/dev/sdb1', 'sdb', '/dev/sdb'], {}, detected);
    expect(p.map((x) => [x.device, x.kind])).toEqual([
      ['/dev/sdz', 'not-a-disk'],
      ['/dev/sdb1', 'not-a-disk'],
      ['/dev/sdb', 'duplicate'],
    ]);
  });
  it('files outside /dev are file vdevs: accepted, not checked', () => {
    expect(isFileVdev('/var/tmp/pool.img')).toBe(true);
    expect(isFileVdev('/dev/sdb')).toBe(false);
    expect(isFileVdev('sdb')).toBe(false);
    expect(checkDevicesBeforeWrite(['/var/tmp/pool.img'], {}, [])).toEqual([]);
  });
  it('poolDevices collects paths and recorded identities from every vdev class', () => {
    const r = parseConfigValue({
      storage: {
        pools: [
          {
            name: 't',
            devices: ['/dev/sdx'],
            topology: {
              data: [
                {
                  vdev_type: 'mirror',
                  devices: [{ path: '/dev/sdb', serial: 'S-sdb', size_bytes: 1 }, '/dev/sdd'],
                },
              ],
              cache: [{ vdev_type: 'stripe', devices: ['/dev/sde'] }],
              spare: [{ path: '/dev/sdf', wwn: '0x1' }, { model: 'unresolved*' }],
            },
          },
        ],
      },
    });
    if (!r.ok) throw new Error('bad config');
    const { devicePaths, recorded } = poolDevices(r.config);
    expect(devicePaths).toEqual(['/dev/sdx', '/dev/sdb', '/dev/sdd', '/dev/sde', '/dev/sdf']);
    expect([...recorded.entries()]).toEqual([
      ['/dev/sdb', { serial: 'S-sdb', wwn: undefined, size_bytes: 1 }],
      ['/dev/sdf', { serial: undefined, wwn: '0x1', size_bytes: undefined }],
    ]);
  });
});

describe('machine profiles', () => {
  it('accepts an array or {disks: [...]} of Disk objects', () => {
    expect(parseMachineProfile([disk('sdb')])).toHaveLength(1);
    expect(parseMachineProfile({ disks: [disk('sdb'), disk('sdc')] })).toHaveLength(2);
  });
  it('wrong shapes are errors with JSON paths', () => {
    const bad = [
      disk('sdb'),
      { ...disk('sdc'), size_bytes: '1T', in_use: [{ reason: 'borrowed', detail: 'x' }] },
    ];
    try {
      parseMachineProfile(bad, 'm.json');
      expect.unreachable();
    } catch (err) {
      const e = err as Error & { problems: string[]; hint?: string };
      expect(e.message).toMatch(/^m\.json: not a machine profile: /);
      expect(e.problems.map((p) => p.split(':')[0])).toEqual([
        '[1].size_bytes',
        '[1].in_use[0].reason',
      ]);
      expect(e.hint).toMatch(/slipway disks --json/);
    }
    expect(() => parseMachineProfile({ disks: [{ name: 'x' }] })).toThrow(/disks\[0\]\.path/);
    expect(() => parseMachineProfile('text')).toThrow(/expected a list of disks, found string/);
  });
  it('loadMachineProfile reads a file; missing file and bad JSON are clear', () => {
    const dir = tempDir('slipway-machine-');
    writeFileSync(join(dir, 'ok.json'), JSON.stringify([disk('sdb')]));
    writeFileSync(join(dir, 'bad.json'), '[{');
    expect(loadMachineProfile(join(dir, 'ok.json'))[0]!.name).toBe('sdb');
    expect(() => loadMachineProfile(join(dir, 'nope.json'))).toThrow(/no such file/);
    expect(() => loadMachineProfile(join(dir, 'bad.json'))).toThrow(/not JSON/);
  });
});
