/**
 * The single executable dist/slipway (issue 6), as built by `npm run build` /
 * `node build/bundle.mjs` (scripts/test.sh builds it before the tests). Every run
 * has an EMPTY environment (`env -i`): no PATH, no HOME, no node on the PATH.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, upstreamExampleNames, vendoredExamplesDir } from '../helpers/upstream.js';

const exe = join(repoRoot, 'dist/slipway');
const bundle = join(repoRoot, 'dist/slipway.js');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

function run(
  argv: string[],
  opts: { cwd?: string; input?: string; env?: Record<string, string>; bin?: string } = {},
): SpawnSyncReturns<string> {
  const r = spawnSync(opts.bin ?? exe, argv, {
    cwd: opts.cwd ?? repoRoot,
    env: opts.env ?? {},
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return r;
}

/** The same program run by this Node from the plain bundle. */
function runBundle(argv: string[]): SpawnSyncReturns<string> {
  const r = spawnSync(process.execPath, [bundle, ...argv], {
    cwd: repoRoot,
    env: {},
    input: '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return r;
}

let scratch: string;
beforeAll(() => {
  if (!existsSync(exe))
    throw new Error(`${exe} is missing: run "npm run build" (node build/bundle.mjs) first`);
  scratch = mkdtempSync(join(tmpdir(), 'slipway-sea-test-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('dist/slipway, the single executable', () => {
  it('is an executable file, not a script that needs node', () => {
    const st = statSync(exe);
    expect(st.mode & 0o111).not.toBe(0);
    const head = readFileSync(exe).subarray(0, 4);
    expect(head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))).toBe(true); // ELF
  });

  it('--version prints the package.json version with an empty environment', () => {
    for (const flag of ['--version', '-V']) {
      const r = run([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`slipway ${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('answers --version exactly as the program itself does (the launcher does not drift)', () => {
    const fromBundle = runBundle(['--version']);
    expect(fromBundle.status).toBe(0);
    expect(run(['--version']).stdout).toBe(fromBundle.stdout);
  });

  it('runs the program from its own assets, with the code cache made at build time', () => {
    const r = run(['--help'], { env: { SLIPWAY_SEA_DEBUG: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage:');
    expect(r.stdout).toBe(runBundle(['--help']).stdout);
    expect(r.stderr).toContain('code cache accepted');
  });

  it('validate and plan run from the core program (src/cli/core.ts), with its own code cache', () => {
    const file = join(vendoredExamplesDir, upstreamExampleNames[0]!);
    for (const argv of [
      ['validate', file],
      ['plan', file, '--platform', 'linux', '--json'],
    ]) {
      const r = run(argv, { env: { SLIPWAY_SEA_DEBUG: '1' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('code cache accepted (core.js.cache)');
      expect(r.stdout).toBe(runBundle(argv).stdout);
    }
    // everything else runs the program, with its cache for runs without a terminal
    const schema = run(['schema'], { env: { SLIPWAY_SEA_DEBUG: '1' } });
    expect(schema.status).toBe(0);
    expect(schema.stderr).toContain('code cache accepted (slipway.js.cache)');
  });

  it("the core's rare paths are a script of their own, compiled only for a run that needs one", () => {
    const file = join(vendoredExamplesDir, upstreamExampleNames[0]!);
    const bad = join(scratch, 'rare-bad.json');
    writeFileSync(bad, '{"storage":{"pols":[]}}\n');
    const machine = join(repoRoot, 'assets/demo-machine.json');
    const compiled = 'slipway: compiling core-lazy.js\n';
    // a valid document: the core alone
    for (const argv of [
      ['validate', file],
      ['plan', file, '--platform', 'linux', '--json'],
    ]) {
      const r = run(argv, { env: { SLIPWAY_SEA_DEBUG: '1' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).not.toContain(compiled);
    }
    // zod for a document with problems, the machine profile's reader: the same
    // report and plan as the bundle's
    for (const [argv, status] of [
      [['validate', bad], 2],
      [['validate', bad, '--json'], 2],
      [['plan', bad, '--platform', 'linux'], 2],
      [['plan', file, '--platform', 'linux', '--machine', machine, '--json'], 0],
    ] as const) {
      const r = run([...argv], { env: { SLIPWAY_SEA_DEBUG: '1' } });
      expect(r.status, r.stderr).toBe(status);
      expect(r.stderr).toContain(compiled);
      const b = runBundle([...argv]);
      expect(b.status).toBe(status);
      expect(r.stdout).toBe(b.stdout);
      expect(r.stderr.split(compiled).join('')).toBe(
        'slipway: code cache accepted (core.js.cache)\n' + b.stderr,
      );
    }
  });

  it.each(upstreamExampleNames)('validate %s (absolute path) exits 0', (name) => {
    const file = join(vendoredExamplesDir, name);
    const r = run(['validate', file]);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status).toBe(0);
    // The same program as the bundle: the same report.
    const b = runBundle(['validate', file]);
    expect(r.stdout).toBe(b.stdout);
    expect(r.stderr).toBe(b.stderr);
  });

  it.each(upstreamExampleNames)('plan %s --platform illumos prints a plan', (name) => {
    const r = run(['plan', join(vendoredExamplesDir, name), '--platform', 'illumos']);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Plan for illumos');
  });

  it('schema prints the JSON Schema in assets/slipway.schema.json', () => {
    const r = run(['schema']);
    expect(r.status).toBe(0);
    const committed: unknown = JSON.parse(
      readFileSync(join(repoRoot, 'assets/slipway.schema.json'), 'utf8'),
    );
    expect(JSON.parse(r.stdout)).toEqual(committed);
  });

  it('works from another directory, with a relative path and from standard input', () => {
    const dir = mkdtempSync(join(scratch, 'cwd-'));
    const name = upstreamExampleNames[0]!;
    copyFileSync(join(vendoredExamplesDir, name), join(dir, 'config.json'));
    const r = run(['validate', 'config.json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout + r.stderr).toContain('config.json');
    const s = run(['validate', '-'], {
      cwd: dir,
      input: readFileSync(join(dir, 'config.json'), 'utf8'),
    });
    expect(s.status).toBe(0);
  });

  it('needs nothing beside itself: a copy elsewhere runs every built-in command', () => {
    // Another path for the same file (a hard link, or a copy across file systems):
    // anything read relative to the executable or the repository would be missing.
    const dir = mkdtempSync(join(scratch, 'alone-'));
    const alone = join(dir, 'slipway');
    try {
      linkSync(exe, alone);
    } catch {
      copyFileSync(exe, alone);
    }
    const schema = run(['schema'], { bin: alone, cwd: dir });
    expect(schema.status).toBe(0);
    expect(JSON.parse(schema.stdout)).toHaveProperty('$schema');
    const file = join(dir, 'c.json');
    copyFileSync(join(vendoredExamplesDir, upstreamExampleNames[0]!), file);
    expect(run(['validate', file], { bin: alone, cwd: dir }).status).toBe(0);
    const plan = run(['plan', file, '--platform', 'freebsd'], { bin: alone, cwd: dir });
    expect(plan.status).toBe(0);
    expect(plan.stdout).toContain('Plan for freebsd');
  });

  it('a bad config exits 2 with the JSON path and no stack trace', () => {
    const file = join(scratch, 'bad.json');
    writeFileSync(file, '{"storage":{"pols":[]}}\n');
    const r = run(['validate', file]);
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain('storage.pols');
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
    const p = run(['plan', file, '--platform', 'linux']);
    expect(p.status).toBe(2);
  });

  it('a missing file and an unknown command are user errors (exit 2), not crashes', () => {
    const missing = run(['validate', join(scratch, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file');
    expect(missing.stderr).not.toMatch(/^\s+at /m);
    const unknown = run(['valdiate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('validate');
  });

  it('ignores NODE_OPTIONS from the environment (the installer behaves the same everywhere)', () => {
    const r = run(['--help'], { env: { NODE_OPTIONS: '--require /nonexistent/hook.js' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage:');
  });

  // util-linux `script` gives the executable a pseudo-terminal (the TUI needs one).
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)(
    'the interactive installer starts on the built-in demo machine in a terminal',
    async () => {
      const inner = `stty rows 30 cols 100; exec env -i TERM=xterm-256color '${exe}' --demo`;
      const child = spawn('script', ['-qfec', inner, '/dev/null'], {
        cwd: scratch,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let out = '';
      const esc = String.fromCharCode(27);
      const plain = () => out.replace(new RegExp(`${esc}\\[[0-9;?]*[a-zA-Z]`, 'g'), '');
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
      const deadline = Date.now() + 30_000;
      while (!/demo machine/i.test(plain()) && Date.now() < deadline && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      child.stdin.write('\x03'); // Ctrl-C in the terminal
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      const text = plain();
      expect(text).toMatch(/demo machine/i);
      expect(text).not.toContain('needs a terminal');
      expect(text).not.toMatch(/^\s+at /m);
    },
    60_000,
  );
});
