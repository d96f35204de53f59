import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFileSync, chmodSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PlanBuilder } from '../../src/plan/builder.js';
import {
  compileSchedules,
  CRONTAB_BEGIN,
  CRONTAB_END,
  INSTALLED_CONFIG,
} from '../../src/plan/schedule.js';
import { UnifiedConfig } from '../../src/schema/config.js';
import type { Platform, Step } from '../../src/plan/types.js';
import { validateSnapshotPolicies } from '../../src/validate/snapshot-policy.js';
import { sha256 } from '../../src/platform/files.js';
import { tempDir } from '../helpers/temp.js';

const config = UnifiedConfig.parse({
  users: [],
  storage: {
    zfs_snapshots: [
      { dataset: 'tank/data', name: 'hourly', schedule: 'hourly', retention: { keep_last: 24 } },
      { dataset: 'tank/db', name: 'night ly', schedule: '30 2 * * mon-fri' },
      { dataset: 'tank/tmp', name: 'once' },
    ],
    zfs_replication: [
      { source_dataset: 'tank/data', target: 'nas:bk/data' },
      { source_dataset: 'tank/www', target: 'nas:bk/www', schedule: '0 */6 * * *' },
      { source_dataset: 'tank/old', target: 'nas:bk/old' },
    ],
  },
});

function plan(platform: Platform, c = config): Step[] {
  const b = new PlanBuilder(platform);
  b.add({
    id: 'dataset:tank/data',
    title: 'x',
    context: { kind: 'host' },
    argv: ['zfs', 'create', 'tank/data'],
    probe: { kind: 'dataset-exists', dataset: 'tank/data' },
  });
  compileSchedules(b, c, { datasetStep: new Map([['tank/data', 'dataset:tank/data']]) });
  expect(b.diagnostics).toEqual([]);
  return b.made.slice(1);
}

describe('schedule plan', () => {
  it('installs the config 0600 with its content as a secret', () => {
    for (const p of ['linux', 'freebsd', 'illumos'] as const) {
      const cfg = plan(p)[0]!;
      expect(cfg.id).toBe('schedule:config');
      expect(cfg.argv).toContain(INSTALLED_CONFIG);
      expect(cfg.argv).toContain('0600');
      expect(JSON.parse(cfg.stdin!)).toEqual(JSON.parse(JSON.stringify(config)));
      expect(cfg.secrets).toEqual([cfg.stdin]);
      expect(cfg.probe).toEqual({
        kind: 'file-content',
        path: INSTALLED_CONFIG,
        sha256: sha256(cfg.stdin!),
      });
    }
  });

  it('linux: a timer per policy and per scheduled replication, after the config and dataset', () => {
    const steps = plan('linux');
    expect(steps.map((s) => s.id)).toEqual([
      'schedule:config',
      'schedule:slipway-snapshot-hourly',
      'schedule:slipway-snapshot-night-ly',
      'schedule:slipway-replicate-tank-www',
    ]);
    const hourly = steps[1]!;
    expect(hourly.dependsOn).toEqual(['schedule:config', 'dataset:tank/data']);
    expect(hourly.argv.slice(0, 2)).toEqual(['sh', '-c']);
    const [unit, service, timer, cron] = hourly.argv.slice(4);
    expect(unit).toBe('slipway-snapshot-hourly');
    expect(service).toContain(
      'ExecStart=/usr/local/bin/slipway snapshot run --wait 3600 /etc/slipway/config.json',
    );
    expect(service).toContain('Type=oneshot');
    expect(timer).toContain('OnCalendar=*-*-* *:00:00');
    expect(timer).toContain('Persistent=true');
    expect(cron).toMatch(/^0 \* \* \* \*\troot\t\/usr\/local\/bin\/slipway snapshot run/m);
    expect(steps[2]!.argv[6]).toContain('OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 02:30:00');
    // data only as positional arguments: the script text is the same for every entry
    expect(steps[1]!.argv[2]).toBe(steps[2]!.argv[2]);
    expect(hourly.probe).toMatchObject({ kind: 'command' });
  });

  it('freebsd: one /etc/cron.d file with the user field', () => {
    const steps = plan('freebsd');
    expect(steps.map((s) => s.id)).toEqual(['schedule:config', 'schedule:cron.d']);
    const text = steps[1]!.stdin!;
    expect(steps[1]!.argv).toContain('/etc/cron.d/slipway-snapshots');
    expect(text).toContain('0 * * * *\troot\t/usr/local/bin/slipway snapshot run');
    expect(text).toContain('30 2 * * 1-5\troot\t');
    expect(text).toContain('0 0,6,12,18 * * *\troot\t');
    expect(steps[1]!.probe.kind).toBe('file-content');
  });

  it("illumos: a managed block in root's crontab", () => {
    const steps = plan('illumos');
    expect(steps.map((s) => s.id)).toEqual(['schedule:config', 'schedule:crontab']);
    const block = steps[1]!.argv[6]!;
    expect(steps[1]!.argv.slice(4, 6)).toEqual([CRONTAB_BEGIN, CRONTAB_END]);
    expect(block).toContain('0 * * * * /usr/local/bin/slipway snapshot run --wait 3600');
    expect(block).not.toContain('\troot\t');
  });

  it('plans nothing without a schedule', () => {
    const c = UnifiedConfig.parse({
      storage: { zfs_snapshots: [{ dataset: 'tank/a', name: 'x' }] },
    });
    expect(plan('linux', c)).toEqual([]);
  });

  it('gives the same step ids and content on every compile', () => {
    expect(plan('linux')).toEqual(plan('linux'));
  });
});

/**
 * The illumos crontab script, run for real against a stand-in `crontab` that
 * keeps the table in a file: root's other entries survive, re-applying is a no-op.
 */
describe('crontab block script', () => {
  it('replaces only its block and its probe sees the result', async () => {
    const dir = tempDir('slipway-crontab-');
    mkdirSync(join(dir, 'bin'));
    const table = join(dir, 'table');
    const fake = join(dir, 'bin', 'crontab');
    writeFileSync(
      fake,
      `#!/bin/sh\nif [ "$1" = -l ]; then [ -f "${table}" ] || exit 1; cat "${table}"; else cat "$1" > "${table}"; fi\n`,
    );
    chmodSync(fake, 0o755);
    writeFileSync(table, '15 3 * * * /usr/bin/backup-mine\n');
    const step = plan('illumos')[1]!;
    const env = { PATH: `${dir}/bin:${process.env.PATH}` };
    const probe = step.probe.kind === 'command' ? step.probe.argv : [];
    expect((await execa(probe[0]!, probe.slice(1), { env, reject: false })).exitCode).toBe(1);
    await execa(step.argv[0]!, step.argv.slice(1), { env });
    const once = readFileSync(table, 'utf8');
    expect(once.startsWith('15 3 * * * /usr/bin/backup-mine\n')).toBe(true);
    expect(once).toContain(CRONTAB_BEGIN);
    expect((await execa(probe[0]!, probe.slice(1), { env, reject: false })).exitCode).toBe(0);
    await execa(step.argv[0]!, step.argv.slice(1), { env });
    expect(readFileSync(table, 'utf8')).toBe(once);
    expect(existsSync(table)).toBe(true);
  });
});

describe('validateSnapshotPolicies', () => {
  const check = (storage: object) =>
    validateSnapshotPolicies(UnifiedConfig.parse({ storage }))
      .map((d) => `${d.severity} ${d.path}: ${d.message}`)
      .join('\n');

  it('accepts a sound policy', () => {
    expect(
      check({
        zfs_snapshots: [
          {
            dataset: 'tank/a',
            name: 'hourly',
            schedule: 'hourly',
            name_format: 'auto-%Y%m%d-%H%M',
            retention: { keep_last: 3, max_age: '2d' },
          },
        ],
        zfs_replication: [{ source_dataset: 'tank/a', target: 'h:bk/a', schedule: 'daily' }],
      }),
    ).toBe('');
  });

  it('reports cron fields out of range, unknown conversions and colliding names', () => {
    const out = check({
      zfs_snapshots: [
        { dataset: 'tank/a', name: 'a', schedule: '0 25 * * *' },
        { dataset: 'tank/b', name: 'b', schedule: 'hourly', name_format: 'x-%Q' },
        { dataset: 'tank/c', name: 'c', schedule: 'hourly', name_format: 'auto-%Y%m%d' },
        { dataset: 'tank/d', name: 'd', schedule: 'daily', name_format: 'auto-%Y%m%d!' },
        { dataset: 'tank/e', name: 'a', schedule: 'daily' },
        { dataset: 'tank/f', name: 'f', schedule: '0 0 31 2 *' },
      ],
    });
    expect(out).toContain('storage.zfs_snapshots[0].schedule: schedule "0 25 * * *": hour: 25');
    expect(out).toContain('storage.zfs_snapshots[1].name_format: "%Q" is not a supported');
    expect(out).toMatch(
      /storage.zfs_snapshots\[2\].name_format: two scheduled runs get the same name "auto-20300101"/,
    );
    expect(out).toContain('storage.zfs_snapshots[3].name_format: the names it makes are not valid');
    expect(out).toContain('storage.zfs_snapshots[4].name: policy name "a" is also used');
    expect(out).toContain('storage.zfs_snapshots[5].schedule: schedule "0 0 31 2 *" never fires');
  });

  it('checks the names made from the policy name when there is no name_format', () => {
    expect(
      check({ zfs_snapshots: [{ dataset: 't/a', name: 'my*snap', schedule: 'daily' }] }),
    ).toMatch(/zfs_snapshots\[0\].name: the names it makes are not valid snapshot names/);
  });

  it('reports a duplicated target', () => {
    const out = check({
      zfs_replication: [
        {
          source_dataset: 'tank/a',
          target: 'h1:bk/a',
          targets: [{ target: 'h3:bk/a' }, { target: 'h3:bk/a' }],
        },
      ],
    });
    expect(out).toBe(
      'error storage.zfs_replication[0].targets[1].target: target h3:bk/a is listed twice',
    );
  });
});
