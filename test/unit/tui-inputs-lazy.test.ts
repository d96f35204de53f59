/**
 * The interactive installer's inputs — the prefill config (`--config`) and the
 * recorded machine (`--machine`) — are read without zod when they are valid:
 * the modules that build zod's schemas (schema/parse.ts, disks/machine.ts) are
 * imported only to report problems.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../helpers/upstream.js';

const imported = vi.hoisted(() => new Set<string>());
vi.mock('../../src/schema/parse.js', async (original) => {
  imported.add('schema/parse');
  return original();
});
vi.mock('../../src/disks/machine.js', async (original) => {
  imported.add('disks/machine');
  return original();
});

const { loadMachine } = await import('../../src/cli/main.js');
const { prefill } = await import('../../src/cli/tui.js');

const dir = mkdtempSync(join(tmpdir(), 'slipway-tui-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => imported.clear());

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('TUI inputs without zod', () => {
  it('a valid --machine profile is read without machine.ts', async () => {
    const demo = readFileSync(join(repoRoot, 'assets/demo-machine.json'), 'utf8');
    const disks = await loadMachine(file('machine.json', demo));
    expect(disks.map((d) => d.name)).toEqual(
      (JSON.parse(demo) as { name: string }[]).map((d) => d.name),
    );
    expect([...imported]).toEqual([]);
  });

  it('an invalid one is reported by machine.ts, with its path', async () => {
    const bad = file('bad-machine.json', JSON.stringify([{ name: 'sdb' }]));
    await expect(loadMachine(bad)).rejects.toThrow(/\[0\]\.path/);
    expect([...imported]).toEqual(['disks/machine']);
  });

  it('a valid --config is read without parse.ts', async () => {
    const config = { storage: { pools: [{ name: 'tank', topology: { data: [] } }] } };
    const read = await prefill(file('config.json', JSON.stringify(config)));
    expect(read.storage.pools[0]?.name).toBe('tank');
    expect([...imported]).toEqual([]);
  });

  it('an invalid one is reported by parse.ts, with its path', async () => {
    const bad = file('bad-config.json', JSON.stringify({ storage: { pools: [{ nme: 'x' }] } }));
    await expect(prefill(bad)).rejects.toThrow(/storage\.pools\[0\]/);
    expect([...imported]).toEqual(['schema/parse']);
  });
});
