import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ProbeOracle,
  containerInState,
  parseContainerList,
  parseSha256sum,
  parseZfsGet,
  sameZfsValue,
} from '../../src/apply/probes.js';
import {
  execaRunner,
  type CommandRunner,
  type RunRequest,
  type RunResult,
} from '../../src/apply/runner.js';
import type { Step } from '../../src/plan/types.js';

const temps: string[] = [];
/** A temporary directory removed after the tests of this file. */
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('probe parsers', () => {
  it('compares zfs -p values with wanted values', () => {
    expect(sameZfsValue('10G', '10737418240')).toBe(true);
    expect(sameZfsValue('10G', '10737418241')).toBe(false);
    expect(sameZfsValue('none', '0')).toBe(true);
    expect(sameZfsValue('none', '1024')).toBe(false);
    expect(sameZfsValue('128K', '131072')).toBe(true);
    expect(sameZfsValue('ON', 'on')).toBe(true);
    expect(sameZfsValue('/srv/data/', '/srv/data')).toBe(true);
    expect(sameZfsValue('hello', '-')).toBe(false);
    expect(sameZfsValue('x', undefined)).toBe(false);
  });

  it('reads zfs get output with tabs in values', () => {
    const m = parseZfsGet('tank\ttype\tfilesystem\ntank/a\tcom.x:note\ta\tb\n');
    expect(m.get('tank')?.get('type')).toBe('filesystem');
    expect(m.get('tank/a')?.get('com.x:note')).toBe('a\tb');
  });

  it('reads podman and docker container listings', () => {
    const podman = JSON.stringify([
      { Names: ['web'], State: 'running' },
      { Names: ['db'], State: 'exited' },
    ]);
    const p = parseContainerList(podman);
    expect([...p]).toEqual([
      ['web', 'running'],
      ['db', 'exited'],
    ]);
    const docker = '{"Names":"cache","State":"running"}\n{"Names":"old","State":"created"}\n';
    expect(parseContainerList(docker).get('old')).toBe('created');
    expect(containerInState('running', 'running')).toBe(true);
    expect(containerInState('exited', 'running')).toBe(false);
    expect(containerInState('exited', 'stopped')).toBe(true);
    expect(containerInState(undefined, 'exists')).toBe(false);
  });

  it('reads sha256sum output, including escaped names', () => {
    const h = 'a'.repeat(64);
    const m = parseSha256sum(`${h}  /etc/motd\n\\${h}  /tmp/odd\\nname\n`);
    expect(m.get('/etc/motd')).toBe(h);
    expect(m.get('/tmp/odd\nname')).toBe(h);
  });
});

class Fake implements CommandRunner {
  readonly calls: string[] = [];
  readonly argvs: (readonly string[])[] = [];
  constructor(private readonly answer: (argv: readonly string[]) => Partial<RunResult>) {}
  async run(req: RunRequest): Promise<RunResult> {
    this.calls.push(req.argv.join(' '));
    this.argvs.push(req.argv);
    return { exitCode: 0, stdout: '', stderr: '', ...this.answer(req.argv) };
  }
}

const ctr = { kind: 'container', name: 'web', runtime: 'podman' } as const;
const mk = (id: string, probe: Step['probe']): Step => ({
  id,
  title: id,
  context: ctr,
  argv: ['true'],
  dependsOn: [],
  destroys: false,
  probe,
});

describe('bulk probes in a container', () => {
  it('lists users and hashes all files of a context with one command there', async () => {
    const content = 'ssh-ed25519 AAAA test\n';
    const sha = createHash('sha256').update(content).digest('hex');
    const steps = [
      mk('u1', { kind: 'user-exists', user: 'alice' }),
      mk('u2', { kind: 'user-exists', user: 'bob' }),
      mk('f1', { kind: 'file-content', path: '/home/alice/.ssh/authorized_keys', sha256: sha }),
      mk('f2', { kind: 'file-content', path: '/home/bob/.ssh/authorized_keys', sha256: sha }),
    ];
    const runner = new Fake(() => ({
      stdout:
        'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n@@slipway-files@@\n' +
        `${sha}  /home/alice/.ssh/authorized_keys\n`,
    }));
    const o = new ProbeOracle(runner, { steps });
    const done = await Promise.all(steps.map((s) => o.isDone(s)));
    expect(done).toEqual([true, false, true, false]);
    expect(runner.calls).toHaveLength(1);
    const argv = runner.argvs[0]!;
    expect(argv.slice(0, 7)).toEqual(['podman', 'exec', '-u', '0', 'web', 'sh', '-c']);
    // the paths are positional arguments, never part of the script text
    expect(argv.slice(8)).toEqual([
      'sh',
      '/home/alice/.ssh/authorized_keys',
      '/home/bob/.ssh/authorized_keys',
    ]);
    expect(argv[5]).not.toContain('/home/');
    // after a step ran in this context, the answers are asked again
    o.invalidate(steps[1]!);
    await o.isDone(steps[1]!);
    expect(runner.calls).toHaveLength(2);
  });

  it('reads users from /etc/passwd and hashes by reading files where tools are missing (busybox)', async () => {
    const content = 'key\n';
    const sha = createHash('sha256').update(content).digest('hex');
    const runner = new Fake((argv) =>
      argv.includes('cat')
        ? { stdout: content }
        : {
            stdout:
              'root:x:0:0:root:/root:/bin/ash\ncarol:x:1000:1000::/home/carol:/bin/ash\n@@slipway-files@@\n@@slipway-no-sha256sum@@\n',
          },
    );
    const f = mk('f', { kind: 'file-content', path: '/k', sha256: sha });
    const o = new ProbeOracle(runner, { steps: [f] });
    expect(await o.isDone(mk('u', { kind: 'user-exists', user: 'carol' }))).toBe(true);
    expect(await o.isDone(f)).toBe(true);
    expect(runner.calls.at(-1)).toBe('podman exec -u 0 web cat -- /k');
  });

  it('runs the listing script for real: getent, marker, sha256sum', async () => {
    const dir = tempDir('slipway-facts-');
    const file = join(dir, "it's here");
    writeFileSync(file, 'hello\n');
    const sha = createHash('sha256').update('hello\n').digest('hex');
    const host = { kind: 'host' } as const;
    const steps: Step[] = [
      { ...mk('f', { kind: 'file-content', path: file, sha256: sha }), context: host },
      {
        ...mk('g', { kind: 'file-content', path: join(dir, 'missing'), sha256: sha }),
        context: host,
      },
      { ...mk('u', { kind: 'user-exists', user: 'root' }), context: host },
      { ...mk('n', { kind: 'user-exists', user: 'no-such-user-slipway' }), context: host },
    ];
    const o = new ProbeOracle(execaRunner(), { steps });
    expect(await Promise.all(steps.map((s) => o.isDone(s)))).toEqual([true, false, true, false]);
  });

  it('retries zfs get without a property this zfs does not know', async () => {
    const runner = new Fake((argv) =>
      argv[0] === 'zpool'
        ? { stdout: 'tank\n' }
        : argv.join(' ').includes('special_small_blocks')
          ? { exitCode: 2, stderr: "bad property list: invalid property 'special_small_blocks'\n" }
          : { stdout: 'tank/a\ttype\tfilesystem\ntank/a\tquota\t1024\n' },
    );
    const host = { kind: 'host' } as const;
    const steps: Step[] = [
      {
        ...mk('a', { kind: 'dataset-properties', dataset: 'tank/a', properties: { quota: '1K' } }),
        context: host,
      },
      {
        ...mk('b', {
          kind: 'dataset-properties',
          dataset: 'tank/a',
          properties: { special_small_blocks: '0' },
        }),
        context: host,
      },
    ];
    const o = new ProbeOracle(runner, { steps });
    expect(await o.isDone(steps[0]!)).toBe(true);
    expect(await o.isDone(steps[1]!)).toBe(false);
    expect(runner.calls.filter((c) => c.startsWith('zfs get'))).toHaveLength(2);
  });
});

describe('execaRunner (real processes)', () => {
  it('feeds stdin, pipes into a second command, and reports exit codes', async () => {
    const r = execaRunner();
    const a = await r.run({ argv: ['cat'], stdin: 'hello\n' });
    expect(a).toMatchObject({ exitCode: 0, stdout: 'hello\n' });
    const b = await r.run({ argv: ['printf', 'abc'], pipeTo: ['tr', 'a-z', 'A-Z'] });
    expect(b).toMatchObject({ exitCode: 0, stdout: 'ABC' });
    const c = await r.run({ argv: ['sh', '-c', 'echo oops >&2; exit 3'] });
    expect(c.exitCode).toBe(3);
    expect(c.stderr).toBe('oops\n');
    const d = await r.run({ argv: ['slipway-no-such-program'] });
    expect(d).toMatchObject({ exitCode: 127, notFound: true });
  });

  it('stops a command when the signal aborts', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(), 100);
    const r = await execaRunner().run({ argv: ['sleep', '30'], signal: ac.signal });
    expect(r.interrupted).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
