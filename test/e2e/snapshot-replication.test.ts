/**
 * Snapshot policies and replication against real components: zfs-fuse pools
 * on sparse files (a source and two targets) and OpenSSH on a loopback port,
 * driven through the built CLI with --now moving forward.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createPools,
  missingComponents,
  removeDir,
  scratchDir,
  sh,
  snapshotsOf,
  startSshd,
  zfsGet,
  type Pools,
  waitFor,
  type SshServer,
} from './snapshot-env.js';
import type { RunReport } from '../../src/snapshot/run.js';

const CLI = resolve('dist/slipway.js');
const missing = await missingComponents();
if (missing.length && process.env.CI)
  throw new Error(
    `snapshot e2e: missing ${missing.join(', ')} — scripts/setup-e2e.sh installs zfs-fuse and OpenSSH and starts zfs-fuse`,
  );
if (!existsSync(CLI) && process.env.CI)
  throw new Error(`snapshot e2e: ${CLI} is missing — run "node build/bundle.mjs --no-sea" first`);

const tag = `${process.pid % 100000}`;
const SRC = `swsrc${tag}`;
const TA = `swta${tag}`;
const TB = `swtb${tag}`;

let dir = '';
let pools: Pools | undefined;
let sshd: SshServer | undefined;
/** Target B's own sshd: stopped and restarted to model a target that is down. */
let sshdB: SshServer | undefined;

interface Run {
  code: number;
  report: RunReport;
  stderr: string;
}

async function run(configFile: string, now: string, ...extra: string[]): Promise<Run> {
  const r = await execa(
    'node',
    [
      CLI,
      'snapshot',
      'run',
      configFile,
      '--now',
      now,
      '--json',
      '--lock',
      join(dir, 'run.lock'),
      '--ssh-config',
      sshd!.clientConfig,
      ...extra,
    ],
    { reject: false, env: { TZ: 'UTC', NO_COLOR: '1' }, timeout: 120_000 },
  );
  let report: RunReport;
  try {
    report = JSON.parse(String(r.stdout)) as RunReport;
  } catch {
    throw new Error(
      `no JSON report (exit ${r.exitCode}): ${String(r.stdout)}\n${String(r.stderr)}`,
    );
  }
  return { code: r.exitCode ?? -1, report, stderr: String(r.stderr) };
}

function writeConfig(name: string, opts: { overwrite?: boolean } = {}): string {
  const ssh = (port: number) => ({ user: 'root', host: '127.0.0.1', port });
  const config = {
    storage: {
      zfs_snapshots: [
        {
          dataset: `${SRC}/data`,
          name: 'hourly',
          recursive: true,
          schedule: 'hourly',
          name_format: 'auto-%Y%m%d-%H%M',
          properties: { 'com.example:tier': 'gold' },
          retention: { keep_last: 2 },
        },
        {
          dataset: `${SRC}/logs`,
          name: 'daily',
          schedule: '0 6 * * *',
          retention: { max_age: '2d' },
        },
      ],
      zfs_replication: [
        {
          source_dataset: `${SRC}/data`,
          recursive: true,
          exclude_properties: ['com.example:secret'],
          overwrite_diverged: opts.overwrite ?? false,
          targets: [
            { target: `127.0.0.1:${TA}/backup/data`, ssh_config: ssh(sshd!.port) },
            { target: `${TB}/backup/data`, ssh_config: ssh(sshdB!.port) },
          ],
        },
      ],
    },
  };
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

async function addData(file: string, text: string) {
  writeFileSync(join(dir, 'mnt', SRC, 'data', file), text);
}

const target = (r: RunReport, pool: string) =>
  r.replications.find((t) => t.target.includes(`${pool}/backup/data`))!;

describe.skipIf(missing.length > 0 || !existsSync(CLI))(
  'snapshot run (zfs-fuse + OpenSSH)',
  { timeout: 240_000 },
  () => {
    let cfg = '';

    beforeAll(async () => {
      dir = scratchDir('slipway-snap-');
      pools = await createPools(dir, [SRC, TA, TB]);
      await sh(['zfs', 'create', `${SRC}/data`]);
      await sh(['zfs', 'create', `${SRC}/data/sub`]);
      await sh(['zfs', 'create', `${SRC}/logs`]);
      await sh(['zfs', 'set', 'com.example:secret=s3cret', `${SRC}/data`]);
      await sh(['zfs', 'create', `${TA}/backup`]);
      await sh(['zfs', 'create', `${TB}/backup`]);
      sshd = await startSshd(dir, 'a');
      sshdB = await startSshd(dir, 'b');
      cfg = writeConfig('config.json');
    }, 60_000);

    afterAll(async () => {
      await sshd?.stop();
      await sshdB?.stop();
      await pools?.destroy();
      if (dir) removeDir(dir);
    }, 60_000);

    it('first run: takes named snapshots with their properties and sends them in full', async () => {
      await addData('a.txt', 'one');
      const { code, report } = await run(cfg, '2026-11-25T10:00:30Z');
      expect(report.replications.map((t) => t.error ?? t.status)).toEqual(['ok', 'ok']);
      expect(code).toBe(0);
      expect(report.snapshots.map((s) => [s.policy, s.status, s.snapshot])).toEqual([
        ['hourly', 'created', `${SRC}/data@auto-20261125-1000`],
        ['daily', 'created', `${SRC}/logs@daily-20261125-0600`],
      ]);
      const snap = `${SRC}/data@auto-20261125-1000`;
      expect(await zfsGet(snap, 'com.example:tier')).toBe('gold');
      expect(await zfsGet(snap, 'io.slipway:policy')).toBe('hourly');
      expect(await zfsGet(snap, 'io.slipway:time')).toBe('2026-11-25T10:00:00.000Z');
      // recursive: the child has it too
      expect(await snapshotsOf(`${SRC}/data/sub`)).toEqual(['auto-20261125-1000']);
      for (const pool of [TA, TB]) {
        expect(await snapshotsOf(`${pool}/backup/data`)).toEqual(['auto-20261125-1000']);
        expect(await snapshotsOf(`${pool}/backup/data/sub`)).toEqual(['auto-20261125-1000']);
        // the excluded property never reaches the target
        expect(await zfsGet(`${pool}/backup/data`, 'com.example:secret')).toBe('-');
        expect(target(report, pool).datasets.map((d) => d.action)).toEqual(['full', 'full']);
      }
      // zfs-fuse's receive has neither -x nor -u: the chosen form says so
      expect(target(report, TA).notes.join('\n')).toMatch(/no -x: properties are not sent/);
      expect(target(report, TA).notes.join('\n')).toMatch(
        /no -u: received file systems are unmounted afterwards/,
      );
    });

    it('a re-run at the same time does nothing new', async () => {
      const before = await Promise.all(
        [`${SRC}/data`, `${SRC}/logs`, `${TA}/backup/data`, `${TB}/backup/data`].map(snapshotsOf),
      );
      const { code, report } = await run(cfg, '2026-11-25T10:00:30Z');
      expect(code).toBe(0);
      expect(report.snapshots.map((s) => s.status)).toEqual(['not-due', 'not-due']);
      expect(report.replications.map((t) => t.status)).toEqual(['not-due', 'not-due']);
      const after = await Promise.all(
        [`${SRC}/data`, `${SRC}/logs`, `${TA}/backup/data`, `${TB}/backup/data`].map(snapshotsOf),
      );
      expect(after).toEqual(before);
    });

    it('--dry-run reports what it would do and changes nothing', async () => {
      const before = await snapshotsOf(`${SRC}/data`);
      const { code, report } = await run(cfg, '2026-11-25T11:00:10Z', '--dry-run');
      expect(code).toBe(0);
      expect(report.snapshots[0]).toMatchObject({
        status: 'would-create',
        snapshot: `${SRC}/data@auto-20261125-1100`,
      });
      expect(await snapshotsOf(`${SRC}/data`)).toEqual(before);
    });

    it('later runs send incrementally and prune by count, keeping the targets', async () => {
      for (const [i, hour] of ['11', '12'].entries()) {
        await addData(`h${hour}.txt`, `data ${i}`);
        const { code, report } = await run(cfg, `2026-11-25T${hour}:00:10Z`);
        expect(code).toBe(0);
        for (const pool of [TA, TB]) {
          const t = target(report, pool);
          expect(t.status).toBe('ok');
          expect(t.datasets.map((d) => [d.action, d.to])).toEqual([
            ['incremental', `auto-20261125-${hour}00`],
            ['incremental', `auto-20261125-${hour}00`],
          ]);
        }
      }
      // keep_last 2: 10:00 was pruned on the source (and in the child: recursive)…
      const kept = ['auto-20261125-1100', 'auto-20261125-1200'];
      expect(await snapshotsOf(`${SRC}/data`)).toEqual(kept);
      expect(await snapshotsOf(`${SRC}/data/sub`)).toEqual(kept);
      // …and the targets hold every snapshot they received
      for (const pool of [TA, TB])
        expect(await snapshotsOf(`${pool}/backup/data`)).toEqual(['auto-20261125-1000', ...kept]);
      // zfs-fuse's receive has no -u: what it mounted was unmounted again
      expect(await zfsGet(`${TB}/backup/data`, 'mounted')).toBe('no');
      // the data travelled: read it from a clone of the received snapshot
      await sh(['zfs', 'clone', `${TB}/backup/data@auto-20261125-1200`, `${TB}/verify`]);
      try {
        expect(readFileSync(join(dir, 'mnt', TB, 'verify', 'h12.txt'), 'utf8')).toBe('data 1');
      } finally {
        // zfs-fuse reports a just-read clone busy for a moment
        await waitFor('the clone to be destroyed', async () =>
          sh(['zfs', 'destroy', `${TB}/verify`]).then(
            () => true,
            () => false,
          ),
        );
      }
    });

    it('a stopped target does not stop the other, and its newest base is kept', async () => {
      await sshdB!.stop();
      for (const hour of ['13', '14']) {
        await addData(`h${hour}.txt`, hour);
        const { code, report } = await run(cfg, `2026-11-25T${hour}:00:10Z`);
        expect(code).toBe(1);
        expect(target(report, TA).status).toBe('ok');
        expect(target(report, TB).status).toBe('unreachable');
        expect(target(report, TB).error).toMatch(/cannot connect to 127.0.0.1 port/);
      }
      expect(await snapshotsOf(`${TA}/backup/data`)).toContain('auto-20261125-1400');
      expect(await snapshotsOf(`${TB}/backup/data`)).not.toContain('auto-20261125-1300');
      // 12:00 is beyond keep_last 2 now, but it is what B last received: kept
      expect(await snapshotsOf(`${SRC}/data`)).toEqual([
        'auto-20261125-1200',
        'auto-20261125-1300',
        'auto-20261125-1400',
      ]);
      sshdB = await startSshd(dir, 'b', sshdB!.port);
    });

    it('a diverged target is reported, not overwritten; the other goes on', async () => {
      await sh(['zfs', 'snapshot', `${TA}/backup/data@rogue`]);
      await addData('h15.txt', 'fifteen');
      const { code, report } = await run(cfg, '2026-11-25T15:00:10Z');
      expect(code).toBe(1);
      const a = target(report, TA);
      expect(a.status).toBe('diverged');
      expect(a.datasets[0]).toMatchObject({ action: 'diverged', from: 'auto-20261125-1400' });
      expect(await snapshotsOf(`${TA}/backup/data`)).toContain('rogue');
      expect(await snapshotsOf(`${TA}/backup/data`)).not.toContain('auto-20261125-1500');
      // B is back and catches up: 12:00 → 15:00 with 13:00 and 14:00 in between (-I)
      const b = target(report, TB);
      expect(b.status).toBe('ok');
      expect(b.datasets[0]).toMatchObject({
        action: 'incremental',
        from: 'auto-20261125-1200',
        to: 'auto-20261125-1500',
      });
      expect(await snapshotsOf(`${TB}/backup/data`)).toEqual(
        expect.arrayContaining(['auto-20261125-1300', 'auto-20261125-1400', 'auto-20261125-1500']),
      );
      // 12:00 and 13:00 go; 14:00, the newest common base with the diverged A, stays
      expect(await snapshotsOf(`${SRC}/data`)).toEqual([
        'auto-20261125-1400',
        'auto-20261125-1500',
      ]);
    });

    it('overwrite_diverged rolls the target back and sends', async () => {
      const over = writeConfig('config-overwrite.json', { overwrite: true });
      const { code, report } = await run(over, '2026-11-25T16:00:10Z');
      expect(code).toBe(0);
      expect(target(report, TA).status).toBe('ok');
      const snaps = await snapshotsOf(`${TA}/backup/data`);
      expect(snaps).not.toContain('rogue');
      expect(snaps).toEqual(expect.arrayContaining(['auto-20261125-1500', 'auto-20261125-1600']));
    });

    it('prunes by age (max_age relative to --now) only what the policy made', async () => {
      await sh(['zfs', 'snapshot', `${SRC}/logs@manual`]);
      await sh(['zfs', 'snapshot', '-o', 'io.slipway:policy=other', `${SRC}/logs@foreign`]);
      const { report } = await run(cfg, '2026-11-26T06:30:00Z');
      expect(report.snapshots.find((s) => s.policy === 'daily')!.status).toBe('created');
      const { code } = await run(cfg, '2026-11-27T07:00:10Z');
      expect(code).toBe(0);
      // 2026-11-25 06:00 is 2 days and 1 hour old: pruned; unmarked and foreign ones stay
      expect(await snapshotsOf(`${SRC}/logs`)).toEqual([
        'manual',
        'foreign',
        'daily-20261126-0600',
        'daily-20261127-0600',
      ]);
    });

    it('two runs never overlap: a live lock holder is refused, a stale one taken over', async () => {
      const lock = join(dir, 'run.lock');
      writeFileSync(lock, `${process.pid}\n`);
      const busy = await execa(
        'node',
        [CLI, 'snapshot', 'run', cfg, '--lock', lock, '--now', '2026-11-27T07:00:10Z'],
        { reject: false, env: { TZ: 'UTC' } },
      );
      expect(busy.exitCode).toBe(1);
      expect(String(busy.stderr)).toMatch(`another snapshot run (pid ${process.pid})`);
      const gone = spawn('true');
      await new Promise((r) => gone.once('exit', r));
      writeFileSync(lock, `${gone.pid}\n`);
      const { code } = await run(cfg, '2026-11-27T07:00:10Z');
      expect(code).toBe(0);
      expect(existsSync(lock)).toBe(false);
    });
  },
);
