import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, type CommandContext } from '../../src/cli/main.js';
import type { Disk } from '../../src/disks/types.js';
import { repoRoot, upstreamExample, upstreamExampleNames } from '../helpers/upstream.js';
import { tempDir } from '../helpers/temp.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function fakeContext(disks: Disk[] = []) {
  const stdout = new Sink();
  const stderr = new Sink();
  const loaded: string[] = [];
  const ctx: CommandContext = {
    stdout,
    stderr,
    stdin: new PassThrough(),
    hostPlatform: () => 'linux',
    loadMachine: async (file) => {
      loaded.push(file);
      return disks;
    },
  };
  return { ctx, stdout, stderr, loaded };
}

const dir = tempDir('slipway-cli-validate-');
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function validate(args: string[], disks?: Disk[]) {
  const f = fakeContext(disks);
  const code = await main(['validate', ...args], f.ctx);
  return { code, out: f.stdout.text, err: f.stderr.text, loaded: f.loaded };
}

const badPool = JSON.stringify(
  {
    storage: {
      pools: [
        { name: 'tank', topology: { data: [{ vdev_type: 'mirror', devices: ['/dev/sdb'] }] } },
      ],
    },
  },
  null,
  2,
);

describe('slipway validate', () => {
  for (const name of upstreamExampleNames) {
    it(`${name}: exit 0, warnings on stderr with their paths`, async () => {
      const r = await validate([file(name, upstreamExample(name))]);
      expect(r.code).toBe(0);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/: warning: [a-z_]+(\[\d+\])?\.[^:]+: /);
      expect(r.err).not.toMatch(/: error: /);
      expect(r.err).toMatch(/valid: .* \(0 errors, \d+ warnings\)/);
    });
  }

  it('the illumos example names deduplication with its line and a did-you-mean', async () => {
    const f = file('illumos.json', upstreamExample('advanced-illumos-config.json'));
    const r = await validate([f]);
    expect(r.err).toMatch(
      new RegExp(
        `${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: warning: storage\\.pools\\[1\\]\\.properties\\.deduplication: unknown ZFS property "deduplication"\\n  hint: did you mean "dedup"\\?`,
      ),
    );
  });

  it('a bad config: exit 2 and the path in the output', async () => {
    const r = await validate([file('bad.json', badPool)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      'error: storage.pools[0].topology.data[0].devices: a mirror needs at least 2 devices',
    );
    expect(r.err).toMatch(/hint: /);
    expect(r.err).toMatch(/invalid: .*\(1 error/);
  });

  it('a schema error: exit 2 with the path', async () => {
    const r = await validate([
      file('typo.json', '{"storage": {"pools": [{"name": "tank", "topolgy": {}}]}}'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('storage.pools[0].topolgy');
  });

  it('a JSON syntax error: exit 2 with line and column', async () => {
    const r = await validate([
      file('syntax.json', '{\n  "system": {\n    "hostname": "x",\n  }\n}\n'),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/syntax\.json:\d+:\d+: error: not valid JSON/);
  });

  it('--json prints {valid, diagnostics} on stdout', async () => {
    const bad = await validate([file('bad2.json', badPool), '--json']);
    expect(bad.code).toBe(2);
    const parsed = JSON.parse(bad.out) as {
      valid: boolean;
      diagnostics: Record<string, unknown>[];
    };
    expect(parsed.valid).toBe(false);
    expect(parsed.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        path: 'storage.pools[0].topology.data[0].devices',
        message: expect.any(String),
        hint: expect.any(String),
      }),
    ]);
    const good = await validate([
      file('good.json', upstreamExample('advanced-linux-config.json')),
      '--json',
    ]);
    expect(good.code).toBe(0);
    const g = JSON.parse(good.out) as { valid: boolean; diagnostics: { severity: string }[] };
    expect(g.valid).toBe(true);
    expect(g.diagnostics.length).toBeGreaterThan(0);
    expect(g.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('--platform turns on platform checks', async () => {
    const f = file(
      'zstd.json',
      JSON.stringify({
        storage: {
          pools: [
            { name: 'tank', devices: ['/dev/sdb'], filesystem_properties: { compression: 'zstd' } },
          ],
        },
      }),
    );
    expect((await validate([f, '--platform', 'linux'])).code).toBe(0);
    const r = await validate([f, '--platform', 'illumos']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('storage.pools[0].filesystem_properties.compression');
  });

  it('--machine loads the disks and checks capacity', async () => {
    const disk = (name: string): Disk => ({
      name,
      path: `/dev/${name}`,
      size_bytes: 10 * 2 ** 30,
      model: null,
      vendor: null,
      serial: null,
      wwn: null,
      by_id: [],
      transport: null,
      rotational: null,
      ssd: null,
      removable: false,
      in_use: [],
    });
    const f = file(
      'cap.json',
      JSON.stringify({
        storage: {
          pools: [
            {
              name: 'tank',
              topology: { data: [{ vdev_type: 'mirror', devices: ['/dev/sdb', '/dev/sdc'] }] },
            },
          ],
          zfs_datasets: [{ name: 'tank/a', reservation: '50G' }],
        },
      }),
    );
    const r = await validate([f, '--machine', 'machine.json'], [disk('sdb'), disk('sdc')]);
    expect(r.loaded).toEqual(['machine.json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: storage\.pools\[0\]: the datasets of pool "tank" reserve 50G/);
  });

  it('a missing file is a user error, not a stack trace', async () => {
    const r = await validate([join(dir, 'nope.json')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no such file/);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it("- reads the command's standard input (in process)", async () => {
    const f = fakeContext();
    (f.ctx.stdin as PassThrough).end(badPool);
    const code = await main(['validate', '-'], f.ctx);
    expect(code).toBe(2);
    expect(f.stderr.text).toMatch(
      /<stdin>:\d+:\d+: error: storage\.pools\[0\]\.topology\.data\[0\]/,
    );
  });

  it('- reads standard input (the real process)', () => {
    const run = (input: string) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), 'validate', '-'],
        {
          input,
          encoding: 'utf8',
          cwd: repoRoot,
          env: { ...process.env, NO_COLOR: '1' },
        },
      );
    const good = run(upstreamExample('unified-provisioning.json'));
    expect(good.status).toBe(0);
    expect(good.stderr).toMatch(
      /<stdin>:\d+:\d+: warning: storage\.pools\[0\]\.properties\.compression/,
    );
    const bad = run(badPool);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('storage.pools[0].topology.data[0].devices');
  });
});
