/**
 * `slipway apply` failing and being interrupted for real (zfs-fuse): a step that
 * the real zfs rejects, and SIGTERM in the middle of a run. Needs root and
 * scripts/setup-e2e.sh, and the built CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as env from '../fixtures/apply/e2e-env.mjs';

interface Workload {
  work: string;
  pool: string;
  cleanup(): string[];
}

const unavailable: string | null = env.e2eAvailable();
const CLI = join(env.REPO, 'dist', 'slipway.js');

interface Ev {
  event: string;
  id?: string;
  status?: string;
  changed?: number;
  failed?: number;
}

function storageConfig(w: Workload, extra: Record<string, string> = {}, datasets = 6) {
  return {
    storage: {
      pools: [
        {
          name: w.pool,
          filesystem_properties: { mountpoint: join(w.work, 'mnt') },
          topology: {
            data: [
              { vdev_type: 'mirror', devices: [join(w.work, 'disk0'), join(w.work, 'disk1')] },
            ],
          },
        },
      ],
      zfs_datasets: Array.from({ length: datasets }, (_, i) => ({
        name: `${w.pool}/ds${i}`,
        properties: { 'com.slipway:n': String(i), ...(i === 2 ? extra : {}) },
      })),
    },
  };
}

function run(config: string, onLine?: (e: Ev, kill: (s: NodeJS.Signals) => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; events: Ev[] }>(
    (resolve) => {
      const child = spawn(
        process.execPath,
        [CLI, 'apply', config, '--yes', '--progress', 'ndjson', '--jobs', '1'],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      let seen = 0;
      child.stdout.setEncoding('utf8').on('data', (c: string) => {
        stdout += c;
        const lines = stdout.split('\n').slice(0, -1);
        for (; seen < lines.length; seen++)
          onLine?.(JSON.parse(lines[seen]!) as Ev, (s) => child.kill(s));
      });
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      child.on('close', (code) => {
        const events = stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Ev);
        resolve({ code, stdout, stderr, events });
      });
    },
  );
}

const datasets = (pool: string) =>
  spawnSync('zfs', ['list', '-H', '-o', 'name', '-r', pool], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);

describe.sequential('slipway apply: real failures and interruption', () => {
  const made: Workload[] = [];
  beforeAll(() => {
    if (unavailable) throw new Error(`e2e environment missing: ${unavailable}`);
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first`);
  });
  afterAll(() => {
    expect(made.flatMap((w) => w.cleanup())).toEqual([]);
  }, 60_000);

  it('a step the real zfs rejects: exit 1, its command, exit code and stderr, how to resume', async () => {
    const w = (await env.makeWorkload('fail')) as Workload;
    made.push(w);
    const path = join(w.work, 'fail.json');
    // zfs-fuse has no lz4: the create of ds2 fails; ds3.. are not scheduled after it
    writeFileSync(path, JSON.stringify(storageConfig(w, { compression: 'lz4' })));
    const r = await run(path);
    expect(r.code).toBe(1);
    const failed = r.events.filter((e) => e.status === 'failed').map((e) => e.id);
    expect(failed).toEqual([`dataset:${w.pool}/ds2`]);
    expect(r.events.at(-1)).toMatchObject({ event: 'summary', failed: 1 });
    expect(r.stderr).toContain(`zfs create`);
    expect(r.stderr).toContain(`${w.pool}/ds2`);
    expect(r.stderr).toMatch(/exit code [1-9]/);
    expect(r.stderr).toMatch(/compression|lz4/);
    expect(r.stderr).toMatch(/to resume: fix the cause above, then run the same command again/);
    expect(datasets(w.pool)).not.toContain(`${w.pool}/ds2`);
    // with --jobs 1, nothing after the failure was started
    expect(r.events.filter((e) => e.status === 'running').map((e) => e.id)).not.toContain(
      `dataset:${w.pool}/ds3`,
    );

    // fixed config: the re-run resumes and finishes
    writeFileSync(path, JSON.stringify(storageConfig(w, { compression: 'on' })));
    const again = await run(path);
    expect(again.code).toBe(0);
    expect(again.events.at(-1)).toMatchObject({ event: 'summary', failed: 0 });
    expect(datasets(w.pool)).toEqual([
      w.pool,
      ...Array.from({ length: 6 }, (_, i) => `${w.pool}/ds${i}`),
    ]);
  }, 180_000);

  it('on a terminal apply asks first: anything but "yes" applies nothing (exit 3), "yes" applies', async () => {
    const w = (await env.makeWorkload('ask')) as Workload;
    made.push(w);
    const path = join(w.work, 'ask.json');
    writeFileSync(path, JSON.stringify(storageConfig(w, {}, 2)));
    const pty = createRequire(import.meta.url)('node-pty') as typeof import('node-pty');
    const answer = (text: string) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        const p = pty.spawn(process.execPath, [CLI, 'apply', path, '--progress', 'ndjson'], {
          cols: 120,
          rows: 30,
        });
        let out = '';
        let asked = false;
        p.onData((d) => {
          out += d;
          if (!asked && out.includes('Type "yes" to go on: ')) {
            asked = true;
            p.write(`${text}\r`);
          }
        });
        p.onExit(({ exitCode }) => resolve({ code: exitCode, out }));
      });
    const no = await answer('y');
    expect(no.out).toMatch(/Apply \d+ steps, 1 of which destroy data\? Type "yes" to go on: /);
    expect(no.out).toContain('not confirmed: nothing applied');
    expect(no.code).toBe(3);
    expect(spawnSync('zpool', ['list', w.pool]).status).not.toBe(0);
    const yes = await answer('yes');
    expect(yes.code).toBe(0);
    expect(datasets(w.pool)).toEqual([w.pool, `${w.pool}/ds0`, `${w.pool}/ds1`]);
  }, 180_000);

  it('SIGTERM stops cleanly: exit 130, a consistent journal, and a re-run finishes the rest', async () => {
    const w = (await env.makeWorkload('term')) as Workload;
    made.push(w);
    const path = join(w.work, 'term.json');
    writeFileSync(path, JSON.stringify(storageConfig(w, {}, 12)));
    let signalled = false;
    const r = await run(path, (e, kill) => {
      if (!signalled && e.status === 'ok' && e.id?.startsWith('dataset:')) {
        signalled = true;
        kill('SIGTERM');
      }
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted/);
    expect(r.events.at(-1)).toMatchObject({ event: 'summary' });
    const journal = readFileSync(`${path}.journal`, 'utf8');
    expect(journal.endsWith('\n')).toBe(true);
    const records = journal
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id?: string; status?: string });
    const okIds = r.events.filter((e) => e.status === 'ok').map((e) => e.id);
    expect(records.filter((x) => x.status === 'ok').map((x) => x.id)).toEqual(okIds);
    expect(datasets(w.pool).length).toBeLessThan(13);

    const again = await run(path);
    expect(again.code).toBe(0);
    const redone = again.events.filter((e) => e.status === 'ok' && okIds.includes(e.id));
    expect(redone).toEqual([]);
    expect(datasets(w.pool)).toHaveLength(13);
  }, 180_000);
});
