// The single executable dist/slipway (issue 6): start-up against `node -e 0` of the
// SAME Node binary (the one the executable is made of), measured in the same run,
// interleaved (baseline and candidate alternate, so load on the machine hits both
// alike), with an empty environment; and the file size against that node binary.
// `npm run bench` builds dist/slipway first (node build/bundle.mjs).
//
//   node bench/run.mjs sea          SLIPWAY_BENCH_RUNS=41 for steadier medians
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { median, report } from './lib.mjs';
import { findSeaNode } from '../build/sea.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const exe = join(root, 'dist/slipway');
const bundle = join(root, 'dist/slipway.js');
const example = join(root, 'test/fixtures/upstream/unified-provisioning.json');

/** CPU time (ms) of this process's reaped children, from /proc (Linux), or undefined. */
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, 100 Hz ticks
  } catch {
    return undefined;
  }
}

/**
 * Runs every argv of `cmds` once per round, `runs` rounds; returns per command the
 * median wall time and the mean CPU time (user + system, when /proc has it).
 */
function interleaved(cmds, runs) {
  const wall = cmds.map(() => []);
  const cpu = cmds.map(() => 0);
  for (let i = 0; i < runs; i++) {
    cmds.forEach((argv, j) => {
      const c0 = childrenCpuMs();
      const t0 = performance.now();
      const r = spawnSync(argv[0], argv.slice(1), { env: {}, stdio: ['ignore', 'ignore', 'pipe'] });
      wall[j].push(performance.now() - t0);
      const c1 = childrenCpuMs();
      if (c0 !== undefined && c1 !== undefined) cpu[j] += c1 - c0;
      if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
    });
  }
  return cmds.map((_, j) => ({
    wall: median(wall[j]),
    cpu: childrenCpuMs() === undefined ? undefined : cpu[j] / runs,
  }));
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

export default async function seaBench() {
  if (!existsSync(exe)) {
    process.stdout.write(`dist/slipway is missing: run "npm run build" first\n`);
    return;
  }
  const found = findSeaNode();
  if (found.missing) {
    process.stdout.write(`no baseline node: ${found.missing}\n`);
    return;
  }
  const node = found.node;
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const runs = Number(process.env.SLIPWAY_BENCH_RUNS) || 21;
  process.stdout.write(`baseline: ${node} (${version}), ${runs} interleaved runs each, env -i\n`);

  const cmds = [
    [node, '-e', '0'],
    [exe, '--version'],
    [exe, '--help'],
    [exe, 'validate', example],
    [node, bundle, 'validate', example],
  ];
  const [base, version_, help, validate, validateBundle] = interleaved(cmds, runs);
  report('slipway --version', version_.wall, 'ms', 'node -e 0', base.wall, 1.2);
  if (version_.cpu !== undefined)
    report('slipway --version (CPU)', version_.cpu, 'ms', 'node -e 0 (CPU)', base.cpu);
  // Everything but --version compiles the program (with its code cache) and runs it.
  report('slipway --help', help.wall, 'ms', 'node -e 0', base.wall);
  report('slipway validate example', validate.wall, 'ms', 'node -e 0', base.wall);
  report(
    'slipway validate example',
    validate.wall,
    'ms',
    'node dist/slipway.js validate example',
    validateBundle.wall,
  );

  // Size: the executable against the node binary it is made of.
  const exeSize = statSync(exe).size;
  const nodeSize = statSync(node).size;
  process.stdout.write(
    `dist/slipway: ${mb(exeSize)}; node binary (${found.from}): ${mb(nodeSize)}; ` +
      `ratio ${(exeSize / nodeSize).toFixed(2)}× (the executable is made of a stripped copy; ` +
      `the bundle, dist/slipway.js and its chunks, is ${mb(bundleBytes(bundle))})\n`,
  );

  // The TUI's first frame on the executable is measured with the other TUI figures
  // in bench/tui.bench.mjs ("tui first frame (dist/slipway --demo)"): it needs node-pty.
  process.stdout.write('TUI first frame on dist/slipway: see the tui section\n');
}

/** dist/slipway.js and the chunks it imports (dist/chunks/, this build's only), in bytes. */
function bundleBytes(entry) {
  const seen = new Set();
  const walk = (file) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // imports of chunks (.mjs), and the core the launcher compiles (.cjs)
    for (const m of text.matchAll(/(?:from |import\(|__dirname, )"(\.\/[^"]+\.[mc]?js)"/g))
      walk(join(dirname(file), m[1]));
  };
  walk(entry);
  let n = 0;
  for (const f of seen) n += statSync(f).size;
  return n;
}
