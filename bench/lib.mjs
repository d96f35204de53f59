// Small timing helpers shared by the benchmarks.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Median wall time (ms) of `runs` executions of argv. */
export function timeCommand(argv, { runs = 15, env = process.env, input } = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(argv[0], argv.slice(1), { env, input, stdio: ['pipe', 'ignore', 'pipe'] });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(times);
}

/**
 * Median wall times (ms) of several commands measured in turns: each round runs
 * every command once, in the order given. A command and its baseline then share
 * whatever the machine does meanwhile; measured one block after the other, a
 * shift of this 2-core VM's speed between the blocks (it has slow phases of
 * seconds) went into the ratio. `commands`: name -> argv (or { argv, env, input }).
 */
export function timeInterleaved(commands, { rounds = 9 } = {}) {
  const entries = Object.entries(commands).map(([name, c]) => [
    name,
    Array.isArray(c) ? { argv: c } : c,
  ]);
  const times = Object.fromEntries(entries.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++)
    for (const [name, c] of entries) times[name].push(timeCommand(c.argv, { ...c, runs: 1 }));
  return Object.fromEntries(entries.map(([name]) => [name, median(times[name])]));
}

/** Median time (ms) of an in-process function. */
export function timeFn(fn, { runs = 20, warmup = 3 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function report(name, value, unit, baselineName, baseline, target) {
  const ratio = value / baseline;
  const t =
    target === undefined ? '' : `  (target ≤ ${target}×: ${ratio <= target ? 'met' : 'NOT met'})`;
  process.stdout.write(
    `${name}: ${value.toFixed(2)} ${unit}; ${baselineName}: ${baseline.toFixed(2)} ${unit}; ratio ${ratio.toFixed(2)}×${t}\n`,
  );
}
