/**
 * The interactive installer end to end, in a real terminal: the BUILT CLI
 * (`node dist/slipway.js --apply`) runs in a tmux pseudo-terminal on this
 * machine's loop devices with zfs-fuse and podman. Keys go in with
 * `tmux send-keys`, the screen comes out with `tmux capture-pane` (what a
 * person would see). Pick five loop devices, build a raidz pool with a mirrored
 * log, add datasets and a container, review, type the confirmation, wait for
 * the progress view to finish — then check with zpool, zfs and podman.
 * Needs root and scripts/setup-e2e.sh (zfs-fuse, podman, the local image).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { repoRoot } from '../helpers/upstream.js';
import { destroyPool } from '../fixtures/apply/e2e-env.mjs';

const CLI = join(repoRoot, 'dist', 'slipway.js');
const IMAGE = 'localhost/slipway-test/debian:bookworm';
const MiB = 1024 * 1024;

function sh(argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
function ok(argv: string[]): string {
  const r = sh(argv);
  if (r.code !== 0) throw new Error(`${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

function missing(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  if (sh(['tmux', '-V']).code !== 0) return 'tmux is not installed';
  if (sh(['zpool', 'list', '-H', '-o', 'name']).code !== 0)
    return 'zfs-fuse is not answering (scripts/setup-e2e.sh)';
  if (sh(['podman', 'image', 'exists', IMAGE]).code !== 0)
    return `podman image ${IMAGE} missing (scripts/setup-e2e.sh)`;
  if (!existsSync(CLI)) return 'dist/slipway.js is not built (npm run build)';
  return null;
}

const why = missing();
const id = `${process.pid.toString(36)}${Math.floor(Math.random() * 1e5).toString(36)}`;
const pool = `swtui${id}`;
const container = `sw-tui-${id}`;
const socket = `slipway-tui-${id}`;
const session = 'tui';

const tmux = (...args: string[]) => sh(['tmux', '-L', socket, ...args]);
const screen = () => tmux('capture-pane', '-p', '-t', session).stdout;
const keys = (...k: string[]) => ok(['tmux', '-L', socket, 'send-keys', '-t', session, ...k]);
const text = (t: string) => ok(['tmux', '-L', socket, 'send-keys', '-t', session, '-l', t]);

/** Poll the screen until the predicate holds (no fixed sleeps). */
async function waitFor(
  pred: (s: string) => boolean,
  what: string,
  timeoutMs = 15000,
): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const s = screen();
    if (pred(s)) return s;
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Press a key and wait until the screen changes (each key is taken before the next). */
async function press(k: string, literal = false): Promise<void> {
  const before = screen();
  if (literal) text(k);
  else keys(k);
  const t0 = Date.now();
  while (screen() === before && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 20));
}

/** Move the cursor down until the cursor line matches, within `limit` presses. */
async function moveTo(re: RegExp, what: string, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const cur = screen()
      .split('\n')
      .find((l) => re.test(l));
    if (cur) return;
    await press('Down');
  }
  throw new Error(`cursor never reached ${what}; screen:\n${screen()}`);
}

describe.skipIf(why !== null)(
  `slipway TUI in a pseudo-terminal${why ? ` — SKIPPED: ${why}` : ''}`,
  () => {
    let work = '';
    const loops: string[] = [];
    let out = '';
    let exitFile = '';

    beforeAll(() => {
      work = mkdtempSync('/tmp/slipway-tui-');
      out = join(work, 'tui.json');
      exitFile = join(work, 'exit');
      for (const [f, size] of [
        ['d0', 256],
        ['d1', 256],
        ['d2', 256],
        ['log0', 128],
        ['log1', 128],
      ] as const) {
        const path = join(work, f);
        const fd = openSync(path, 'w');
        ftruncateSync(fd, size * MiB);
        closeSync(fd);
        loops.push(ok(['losetup', '-f', '--show', path]).trim());
      }
      const cmd = `cd ${work} && node ${CLI} --apply --out ${out}; echo $? > ${exitFile}; sleep 600`;
      ok(['tmux', '-L', socket, 'new-session', '-d', '-s', session, '-x', '100', '-y', '32', cmd]);
    });

    afterAll(() => {
      tmux('kill-server');
      sh(['podman', 'rm', '-f', container]);
      // retried while zfs-fuse says the pool is busy: else it and its loop devices stay behind
      const failed = destroyPool(pool);
      if (failed) process.stderr.write(`tui e2e cleanup: ${failed}\n`);
      for (const l of loops) sh(['losetup', '-d', l]);
      if (work) rmSync(work, { recursive: true, force: true });
    }, 120000);

    it('installs a raidz pool with a mirrored log, datasets and a container', async () => {
      const names = loops.map((l) => basename(l));
      const [d0, d1, d2, l0, l1] = names as [string, string, string, string, string];
      await waitFor((s) => s.includes('Welcome'), 'the welcome screen');
      expect(screen()).toContain('REAL apply');
      await press('Enter');
      await waitFor(
        (s) => names.every((n) => s.includes(n)),
        'the loop devices on the Disks screen',
      );

      // Disks: pick the five loop devices wherever they are in the list.
      for (const n of names) {
        keys('Home');
        await moveTo(new RegExp(`^›\\[[ x]\\] ${n}\\s`), n);
        await press('Space');
        await waitFor((s) => new RegExp(`\\[x\\] ${n}\\s`).test(s), `${n} picked`);
      }
      await press('Enter');
      await waitFor((s) => s.includes('Pool topology'), 'the topology screen');

      // Pool name.
      await press('Enter');
      keys('C-u');
      await press(pool, true);
      await press('Enter');
      await waitFor((s) => s.includes(`[${pool}]`), 'the renamed pool');

      // Data vdev: take the two log disks out.
      await press('Down');
      await press('Enter');
      await waitFor((s) => s.includes('assigning'), 'assign mode');
      for (const n of [l0, l1]) {
        await moveTo(new RegExp(`›\\[x\\] ${n}\\s`), `${n} in the assign list`);
        await press('Space');
      }
      await press('Enter');
      let s = await waitFor(
        (s) => new RegExp(`data 1\\s+raidz\\s+${d0} ${d1} ${d2}\\s+\\(512M, survives 1\\)`).test(s),
        'raidz of three',
      );

      // + add log → a mirror of the two log disks.
      await moveTo(/^› \+ add log/, '+ add log');
      await press('Enter');
      await waitFor((s) => s.includes('assigning'), 'assign mode for the log');
      keys('Home');
      for (const n of [l0, l1]) {
        await moveTo(new RegExp(`›\\[ \\] ${n}\\s`), `${n} in the log assign list`);
        await press('Space');
      }
      await press('Enter');
      s = await waitFor(
        (s) => new RegExp(`log 1\\s+mirror\\s+${l0} ${l1}`).test(s),
        'mirrored log',
      );
      expect(s).toContain('survives 1 disk failure');
      await press('c');

      // Datasets: POOL/data and POOL/data/logs.
      await waitFor((s) => s.includes('4/9 Datasets'), 'the datasets screen');
      await press('a');
      await press('data', true);
      await press('Enter');
      await waitFor((s) => s.includes(`${pool}/data`), 'the data dataset');
      await press('a');
      await press('logs', true);
      await press('Enter');
      await waitFor((s) => /^›\s+logs/m.test(s), 'the logs dataset');
      await press('c');

      // Containers: one, from the local image.
      await waitFor((s) => s.includes('5/9 Containers'), 'the containers screen');
      await press('a');
      await press(container, true);
      await press('Enter');
      await waitFor((s) => s.includes(`[${container}]`), 'the container');
      await press('Down');
      await press('Enter');
      keys('C-u');
      await press(IMAGE, true);
      await press('Enter');
      await waitFor((s) => s.includes(`image                ${IMAGE}`), 'the image');
      await press('c');

      // System: nothing to change; Review must be valid.
      await waitFor((s) => s.includes('6/9 System'), 'the system screen');
      await press('c');
      s = await waitFor(
        (s) => s.includes('7/9 Review') && (s.includes('✓ valid') || s.includes('error')),
        'the checked review screen',
      );
      expect(s).toContain('✓ valid');
      await press('Enter');

      // Confirm: the five disks, then the typed pool name.
      s = await waitFor((s) => s.includes('8/9 Confirm'), 'the confirm screen');
      for (const l of loops) expect(s).toContain(l);
      await press(pool, true);
      await press('Enter');

      // Apply: wait for the summary.
      s = await waitFor(
        (s) => s.includes('applied:') || s.includes('failed'),
        'the end of apply',
        240000,
      );
      expect(s).toContain('applied:');
      expect(s).toContain(`config: ${out}`);
      expect(s).toContain(`journal: ${out}.journal`);
      await press('Enter');
      await waitFor(
        () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '',
        'the exit code',
      );
      expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');

      // The machine: pool layout, datasets, container; the config file written.
      const status = ok(['zpool', 'status', pool]);
      expect(status).toMatch(/raidz1/);
      expect(status).toMatch(/logs[\s\S]*mirror/);
      for (const l of loops) expect(status).toContain(basename(l));
      const datasets = ok(['zfs', 'list', '-H', '-o', 'name', '-r', pool]).split('\n');
      expect(datasets).toContain(`${pool}/data`);
      expect(datasets).toContain(`${pool}/data/logs`);
      expect(ok(['podman', 'inspect', '-f', '{{.State.Running}}', container]).trim()).toBe('true');
      const written = JSON.parse(readFileSync(out, 'utf8'));
      expect(written.storage.pools[0].name).toBe(pool);
      expect(statSync(out).mode & 0o777).toBe(0o644);
    }, 300000);
  },
);
