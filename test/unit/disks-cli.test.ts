import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, loadMachine, type CommandContext } from '../../src/cli/main.js';
import '../../src/cli/register.js';
import type { Disk } from '../../src/disks/types.js';
import { tempDir } from '../helpers/temp.js';

const fixtures = join(__dirname, '../fixtures/disks');
const tmp = tempDir('slipway-disks-cli-');

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const ctx: CommandContext = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    hostPlatform: () => 'linux',
    loadMachine,
  };
  const code = await main(argv, ctx);
  return { code, out, err };
}

const FIELDS = [
  'name',
  'path',
  'size_bytes',
  'model',
  'vendor',
  'serial',
  'wwn',
  'by_id',
  'transport',
  'rotational',
  'ssd',
  'removable',
  'in_use',
];

describe('slipway disks', () => {
  it('--json from a recorded lsblk output: an array of Disk objects with exactly the contract fields', async () => {
    const r = await cli([
      'disks',
      '--json',
      '--platform',
      'linux',
      '--from',
      join(fixtures, 'linux-lsblk-server.json'),
    ]);
    expect(r.code).toBe(0);
    const disks = JSON.parse(r.out) as Disk[];
    expect(Array.isArray(disks)).toBe(true);
    expect(disks.length).toBe(9);
    for (const d of disks) expect(Object.keys(d)).toEqual(FIELDS);
  });

  it('human table: size, type, transport, model, serial and reasons', async () => {
    const r = await cli([
      'disks',
      '--platform',
      'illumos',
      '--from',
      join(fixtures, 'illumos-diskinfo-cHp.txt'),
    ]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+SIZE\s+TYPE\s+TRAN\s+MODEL\s+SERIAL\s+IN USE$/);
    expect(lines.find((l) => l.startsWith('c2t0025385B71B40ADEd0'))).toMatch(
      /466G\s+ssd\s+nvme\s+Samsung SSD 970 EVO Plus 500GB\s+S4EVNF0M123456X$/,
    );
    expect(lines.at(-1)).toBe('10 disks, 10 free');
  });

  it('human table shows in-use reasons', async () => {
    const r = await cli(['disks', '--from', join(fixtures, 'linux-lsblk.json')]);
    expect(r.out).toMatch(/^loop2 .*mounted: \/tmp\/dcap\/mnt$/m);
    expect(r.out).toMatch(/^vda .*root: \/ is on vda$/m);
  });

  it('a machine profile round-trips through --from', async () => {
    const first = await cli([
      'disks',
      '--json',
      '--from',
      join(fixtures, 'linux-lsblk-server.json'),
    ]);
    const file = join(tmp, 'machine.json');
    writeFileSync(file, first.out);
    const again = await cli(['disks', '--json', '--from', file]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toEqual(JSON.parse(first.out));
  });

  it('a probe that cannot run: clear error, exit 1 (diskinfo does not exist on Linux)', async () => {
    const r = await cli(['disks', '--platform', 'illumos']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^slipway: cannot detect disks: disk probe "diskinfo -cHp" could not be run .*\(exit 127\)/,
    );
    expect(r.out).toBe('');
  });

  it('unparseable --from output: exit 1 naming the problem', async () => {
    const f = join(tmp, 'geom.txt');
    writeFileSync(f, 'Geom name: ada0\nProviders:\n1. Name: ada0\n');
    const r = await cli(['disks', '--platform', 'freebsd', '--from', f]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/geom disk list: ada0: no "Mediasize: BYTES" line/);
  });
});

describe('slipway disks --match', () => {
  const machine = join(fixtures, 'linux-lsblk-server.json');

  it('a list of selectors: each pick, in order', async () => {
    const f = join(tmp, 'sel.json');
    writeFileSync(
      f,
      JSON.stringify([{ transport: 'nvme' }, { model: 'WDC*' }, { type: 'hdd', count: 2 }]),
    );
    const r = await cli(['disks', '--from', machine, '--match', f]);
    // nvme0n1 is in pool "fast"; sdc is in exported pool "archive"
    expect(r.out).toContain('[0]: transport nvme\n  → nvme1n1  /dev/nvme1n1');
    expect(r.out).toContain('[1]: model "WDC*"\n  → sdd  /dev/sdd');
    expect(r.out).toMatch(
      /\[2\]: hdd, count 2\n {2}no pick: hdd, count 2: only 1 free disk matches \(sdh\)\n {4}hint: matching but not free: sdc is in use .*; sdd is already used at \[1\]/,
    );
    expect(r.code).toBe(2);
  });

  it('--json preview of a config', async () => {
    const f = join(tmp, 'cfg.json');
    writeFileSync(
      f,
      JSON.stringify({
        storage: {
          pools: [
            {
              name: 'tank',
              topology: {
                data: [{ vdev_type: 'mirror', devices: [{ model: 'Samsung SSD 980*', count: 2 }] }],
              },
            },
          ],
        },
      }),
    );
    const r = await cli(['disks', '--from', machine, '--match', f, '--json']);
    const j = JSON.parse(r.out) as {
      picks: { path: string; disks: { name: string }[]; error?: string }[];
    };
    expect(j.picks).toHaveLength(1);
    expect(j.picks[0]!.path).toBe('storage.pools[0].topology.data[0].devices[0]');
    expect(j.picks[0]!.error).toMatch(/only 1 free disk matches \(nvme1n1\)/);
    expect(r.code).toBe(2);
  });

  it('a single selector that resolves: exit 0', async () => {
    const f = join(tmp, 'one.json');
    writeFileSync(f, JSON.stringify({ serial: 'X7T0A0ABFRD6' }));
    const r = await cli(['disks', '--from', machine, '--match', f]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('(selector): serial "X7T0A0ABFRD6"\n  → sdh  /dev/sdh');
  });

  it('a selector with an unknown key is a schema error with its path', async () => {
    const f = join(tmp, 'typo.json');
    writeFileSync(f, JSON.stringify([{ serail: 'X' }]));
    const r = await cli(['disks', '--from', machine, '--match', f]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\[0\]/);
    expect(r.err).toMatch(/serail/);
  });
});
