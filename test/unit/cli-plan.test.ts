import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, type CommandContext } from '../../src/cli/main.js';
import type { Disk } from '../../src/disks/types.js';
import { parseConfigText } from '../../src/schema/parse.js';
import { upstreamExample } from '../helpers/upstream.js';
import { tempDir } from '../helpers/temp.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function run(argv: string[], disks: Disk[] = []) {
  const stdout = new Sink();
  const stderr = new Sink();
  const ctx: CommandContext = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    hostPlatform: () => 'linux',
    loadMachine: async () => disks,
  };
  return main(argv, ctx).then((code) => ({ code, out: stdout.text, err: stderr.text }));
}

const dir = tempDir('slipway-cli-plan-');
const file = (name: string, value: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
  return p;
};

const disk = (name: string, serial: string, size: number, extra: Partial<Disk> = {}): Disk => ({
  name,
  path: `/dev/${name}`,
  size_bytes: size,
  model: 'TestDisk 4T',
  vendor: 'ATA',
  serial,
  wwn: null,
  by_id: [],
  transport: 'sata',
  rotational: true,
  ssd: false,
  removable: false,
  in_use: [],
  ...extra,
});

const machine = [
  disk('sda', 'ROOT1', 4e12, { in_use: [{ reason: 'root', detail: '/ is on sda' }] }),
  disk('sdb', 'S-B', 4e12),
  disk('sdc', 'S-C', 4e12),
];

const selectorConfig = {
  storage: {
    pools: [
      {
        name: 'tank',
        topology: { data: [{ vdev_type: 'mirror', devices: [{ model: 'TestDisk*', count: 2 }] }] },
      },
    ],
  },
};

describe('slipway plan', () => {
  it('prints the upstream illumos plan with zpool, zonecfg and zlogin steps, exit 0', async () => {
    const r = await run([
      'plan',
      file('ill.json', upstreamExample('advanced-illumos-config.json')),
      '--platform',
      'illumos',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Plan for illumos: \d+ steps, 2 destroy data/);
    expect(r.out).toContain('$ zpool create');
    expect(r.out).toContain('zonecfg -z web-zone');
    expect(r.out).toContain('zlogin');
  });

  it('--json lists steps with argv, context, dependencies and probes', async () => {
    const r = await run([
      'plan',
      file('lin.json', upstreamExample('advanced-linux-config.json')),
      '--platform',
      'linux',
      '--json',
    ]);
    expect(r.code).toBe(0);
    // one line of JSON, newline-terminated
    expect(r.out.indexOf('\n')).toBe(r.out.length - 1);
    const plan = JSON.parse(r.out);
    expect(plan.platform).toBe('linux');
    const ids = new Set<string>();
    for (const s of plan.steps) {
      expect(Array.isArray(s.argv)).toBe(true);
      expect(typeof s.done_when).toBe('string');
      for (const d of s.depends_on) expect(ids.has(d)).toBe(true);
      ids.add(s.id);
    }
    expect(
      plan.steps.some((s: { context: { kind: string } }) => s.context.kind === 'container'),
    ).toBe(true);
    expect(r.out).not.toContain('$6$rounds=4096$salt$hash');
  });

  it('refuses an invalid config with exit 2 and the path', async () => {
    const r = await run([
      'plan',
      file('bad.json', {
        storage: {
          pools: [
            { name: 'mirror', topology: { data: [{ vdev_type: 'mirror', devices: ['/dev/a'] }] } },
          ],
        },
      }),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('storage.pools[0]');
    expect(r.out).toBe('');
  });

  it('an unresolved selector without --machine is an error naming its path', async () => {
    const r = await run(['plan', file('sel.json', selectorConfig), '--platform', 'linux']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('storage.pools[0].topology.data[0].devices[0]');
  });

  it('--machine resolves selectors to free disks (never the root disk)', async () => {
    const r = await run(
      [
        'plan',
        file('sel2.json', selectorConfig),
        '--platform',
        'linux',
        '--machine',
        'm.json',
        '--json',
      ],
      machine,
    );
    expect(r.code).toBe(0);
    const create = JSON.parse(r.out).steps.find((s: { id: string }) => s.id === 'pool:tank');
    expect(create.argv).toEqual(expect.arrayContaining(['mirror', '/dev/sdb', '/dev/sdc']));
    expect(create.argv).not.toContain('/dev/sda');
  });

  it('--resolve writes the config with the chosen disks and their identities', async () => {
    const out = join(dir, 'resolved.json');
    const r = await run(
      ['plan', file('sel3.json', selectorConfig), '--resolve', '--machine', 'm.json', '--out', out],
      machine,
    );
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const resolved = parseConfigText(text);
    expect(resolved.ok).toBe(true);
    const devices = resolved.config!.storage.pools[0]!.topology!.data[0]!.devices;
    expect(devices).toEqual([
      expect.objectContaining({ path: '/dev/sdb', serial: 'S-B', size_bytes: 4e12 }),
      expect.objectContaining({ path: '/dev/sdc', serial: 'S-C', size_bytes: 4e12 }),
    ]);
    expect(statSync(out).mode & 0o777).toBe(0o644);
  });

  it('--resolve of a config with a password hash writes mode 0600', async () => {
    const out = join(dir, 'secret.json');
    const cfg = {
      ...selectorConfig,
      users: [{ name: 'a', authentication: { password: { hash: '$6$abc$def' } } }],
    };
    const r = await run(
      ['plan', file('sec.json', cfg), '--resolve', '--machine', 'm.json', '-o', out],
      machine,
    );
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('rejects an unknown platform with a suggestion', async () => {
    const r = await run(['plan', 'x.json', '--platform', 'illumo']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('did you mean --platform illumos?');
  });
});
