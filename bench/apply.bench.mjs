// The apply engine on the e2e workload (zfs-fuse raidz pool with log, cache and
// spare, three datasets, a recursive snapshot, two podman containers with
// nested users, keys and a script), with the built CLI:
//   - a fresh apply with --jobs 1 against the default (twice the CPU count);
//   - the fresh apply's wall time against the critical path of its step graph
//     (the longest dependency chain of the step times measured in its NDJSON);
//   - the same with --jobs 4 (steps mostly wait on zfs-fuse and podman, not the CPU);
//   - a second, no-op apply against the fresh one.
// Targets (issue 4): wall ≤ 1.1× critical path; no-op ≤ 0.1× fresh. Ratios are
// printed, never asserted. Needs root and scripts/setup-e2e.sh; else it says so.
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import * as env from '../test/fixtures/apply/e2e-env.mjs';
import { report } from './lib.mjs';

function applyRun(configPath, extra = []) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(
      process.execPath,
      [...env.slipwayArgv('apply', configPath, '--yes', '--progress', 'ndjson', ...extra).slice(1)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new Error(`apply exited ${code}:\n${err}`));
      const events = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      resolve({ wall, events, summary: events.find((e) => e.event === 'summary') });
    });
  });
}

/** Longest dependency chain, weighting each step by its measured time. */
function criticalPath(planSteps, events) {
  const time = new Map();
  for (const e of events)
    if (e.event === 'step' && (e.status === 'ok' || e.status === 'skipped'))
      time.set(e.id, e.elapsed_ms);
  const finish = new Map();
  for (const s of planSteps) {
    const start = Math.max(0, ...s.depends_on.map((d) => finish.get(d) ?? 0));
    finish.set(s.id, start + (time.get(s.id) ?? 0));
  }
  return Math.max(0, ...finish.values());
}

export default async function bench() {
  const missing = env.e2eAvailable();
  if (missing) {
    process.stdout.write(`apply: skipped (${missing})\n`);
    return;
  }
  const made = [];
  try {
    const serial = await env.makeWorkload('bench1');
    made.push(serial);
    const parallel = await env.makeWorkload('benchn');
    made.push(parallel);
    const wide = await env.makeWorkload('bench4');
    made.push(wide);

    const one = await applyRun(serial.configPath, ['--jobs', '1']);
    const many = await applyRun(parallel.configPath);
    const noop = await applyRun(parallel.configPath);
    const four = await applyRun(wide.configPath, ['--jobs', '4']);
    const planOf = (w) =>
      JSON.parse(
        spawnSync(process.execPath, env.slipwayArgv('plan', w.configPath, '--json').slice(1), {
          encoding: 'utf8',
        }).stdout,
      ).steps;
    const steps = planOf(parallel);
    const cp = criticalPath(steps, many.events);
    // as defaultJobs() in src/apply/executor.ts: twice the CPU count
    const jobs = String(Math.max(2, 2 * (await import('node:os')).availableParallelism()));

    process.stdout.write(
      `fresh apply: ${many.summary.changed} steps changed; no-op re-run: ${noop.summary.changed} changed, ${noop.summary.skipped} skipped\n`,
    );
    report(
      `fresh apply --jobs ${jobs} (default)`,
      many.wall / 1000,
      's',
      'fresh apply --jobs 1',
      one.wall / 1000,
    );
    report(
      'fresh apply, engine time (summary elapsed)',
      many.summary.elapsed_ms / 1000,
      's',
      'critical path of measured steps',
      cp / 1000,
      1.1,
    );
    report(
      'fresh apply, process wall time',
      many.wall / 1000,
      's',
      'critical path of measured steps',
      cp / 1000,
      1.1,
    );
    report(
      'fresh apply --jobs 4, engine time',
      four.summary.elapsed_ms / 1000,
      's',
      'its critical path',
      criticalPath(planOf(wide), four.events) / 1000,
      1.1,
    );
    report(
      'no-op re-run, process wall time',
      noop.wall / 1000,
      's',
      'fresh apply',
      many.wall / 1000,
      0.1,
    );
  } finally {
    for (const w of made) {
      const errors = w.cleanup();
      if (errors.length) process.stdout.write(`apply bench cleanup: ${errors.join('; ')}\n`);
    }
  }
}
