/** `slipway` without a command, before any UI: flags, the terminal check, prefill errors. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/upstream.js';

const CLI = join(repoRoot, 'dist', 'slipway.js');

function slipway(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!existsSync(CLI))('slipway (interactive) without a terminal', () => {
  it('says to use slipway apply and exits 1, drawing nothing', () => {
    const r = slipway([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs a terminal');
    expect(r.stderr).toContain('slipway apply FILE');
    expect(r.stdout).toBe('');
  });

  it('--demo too (the terminal is checked once, before mounting)', () => {
    const r = slipway(['--demo']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs a terminal');
  });

  it('checks flags first: unknown flags get a suggestion, --demo --apply is refused', () => {
    let r = slipway(['--dmeo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('did you mean --demo?');
    r = slipway(['--demo', '--apply']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--demo is always a dry run');
  });

  it('an invalid --config is reported with its JSON path before any UI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-tui-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ storage: { pools: [{ name: 'tank', topolgy: {} }] } }));
    // A terminal is needed before the config is read, so run it through `script` for a PTY.
    const r = spawnSync(
      'script',
      ['-qec', `${process.execPath} ${CLI} --config ${file}`, '/dev/null'],
      {
        encoding: 'utf8',
        input: '',
      },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(r.stdout).toContain('storage.pools[0]');
    expect(r.stdout).toContain('topology');
    expect(r.status).toBe(2);
  });

  it('--help describes the flags', () => {
    const r = slipway(['--apply', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--config FILE');
  });
});
