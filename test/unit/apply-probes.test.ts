import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
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
  constructor(private readonly answer: (argv: readonly string[]) => Partial<RunResult>) {}
  async run(req: RunRequest): Promise<RunResult> {
    this.calls.push(req.argv.join(' '));
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
  it('lists users once and hashes all files of the context with one sha256sum', async () => {
    const content = 'ssh-ed25519 AAAA test\n';
    const sha = createHash('sha256').update(content).digest('hex');
    const steps = [
      mk('u1', { kind: 'user-exists', user: 'alice' }),
      mk('u2', { kind: 'user-exists', user: 'bob' }),
      mk('f1', { kind: 'file-content', path: '/home/alice/.ssh/authorized_keys', sha256: sha }),
      mk('f2', { kind: 'file-content', path: '/home/bob/.ssh/authorized_keys', sha256: sha }),
    ];
    const runner = new Fake((argv) =>
      argv.includes('getent')
        ? { stdout: 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n' }
        : argv.includes('sha256sum')
          ? {
              exitCode: 1,
              stdout: `${sha}  /home/alice/.ssh/authorized_keys\n`,
              stderr: 'sha256sum: /home/bob/.ssh/authorized_keys: No such file or directory\n',
            }
          : {},
    );
    const o = new ProbeOracle(runner, { steps });
    const done = await Promise.all(steps.map((s) => o.isDone(s)));
    expect(done).toEqual([true, false, true, false]);
    expect(runner.calls).toEqual([
      'podman exec web getent passwd',
      'podman exec web sha256sum -- /home/alice/.ssh/authorized_keys /home/bob/.ssh/authorized_keys',
    ]);
    // after a step ran in this context, the answers are asked again
    o.invalidate(steps[1]!);
    await o.isDone(steps[1]!);
    expect(runner.calls.filter((c) => c.includes('getent'))).toHaveLength(2);
  });

  it('falls back to /etc/passwd where getent is missing (busybox)', async () => {
    const runner = new Fake((argv) =>
      argv.includes('getent')
        ? { exitCode: 127, stderr: 'getent: not found' }
        : { stdout: 'root:x:0:0:root:/root:/bin/ash\ncarol:x:1000:1000::/home/carol:/bin/ash\n' },
    );
    const o = new ProbeOracle(runner, { steps: [] });
    expect(await o.isDone(mk('u', { kind: 'user-exists', user: 'carol' }))).toBe(true);
    expect(runner.calls).toEqual([
      'podman exec web getent passwd',
      'podman exec web cat /etc/passwd',
    ]);
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
