// The apply engine on the e2e workload (zfs-fuse raidz pool with log, cache and
// spare, three datasets, a recursive snapshot, two podman containers with
// nested users, keys and a script), with the built CLI:
//   - a fresh apply with --jobs 1 against the default (twice the CPU count);
//   - the fresh apply's wall time against the critical path of its step graph
//     (the longest dependency chain of the step times measured in its NDJSON);
//   - the same with --jobs 4 (steps mostly wait on zfs-fuse and podman, not the CPU);
//   - a second, no-op apply against the fresh one.
// Targets (issue 4): wall ≤ 1.1× critical path; no-op ≤ 0.1× fresh. Ratios are
// printed, never asserted; CPU times beside them (the machine may be shared).
// Needs root and scripts/setup-e2e.sh; else it says so. Alone:
//   node build/bundle.mjs && node bench/apply.bench.mjs
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as env from '../test/fixtures/apply/e2e-env.mjs';
import { report } from './lib.mjs';

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * One `slipway apply` process: wall time, its events, and (with /usr/bin/time)
 * the CPU time of the process and of the commands it waited for.
 */
function applyRun(configPath, extra = []) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const argv = env.slipwayArgv('apply', configPath, '--yes', '--progress', 'ndjson', ...extra);
    const cpuFile = `${configPath}.cpu`;
    const child = TIME
      ? spawn(TIME, ['-o', cpuFile, '-f', '%U %S', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
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
      let cpu;
      if (TIME) {
        const [u, sys] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
        cpu = (u + sys) * 1000;
      }
      resolve({ wall, cpu, events, summary: events.find((e) => e.event === 'summary') });
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
    // Wall time on a shared machine moves with the load; CPU time much less.
    if (many.cpu !== undefined && noop.cpu !== undefined)
      report(
        'no-op re-run, CPU time (apply and the commands it ran)',
        noop.cpu / 1000,
        's',
        'fresh apply',
        many.cpu / 1000,
      );
    const first = many.events.find((e) => e.event === 'step');
    const firstAt = first ? many.wall - many.summary.elapsed_ms : undefined;
    if (firstAt !== undefined)
      process.stdout.write(
        `fresh apply: ${(firstAt / 1000).toFixed(2)} s of the process outside the engine (start-up, validation, disk detection, exit); no-op: ${((noop.wall - noop.summary.elapsed_ms) / 1000).toFixed(2)} s\n`,
      );
  } finally {
    for (const w of made) {
      const errors = w.cleanup();
      if (errors.length) process.stdout.write(`apply bench cleanup: ${errors.join('; ')}\n`);
    }
  }
}

// `node bench/apply.bench.mjs` runs this one alone (after `node build/bundle.mjs`).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bench();
