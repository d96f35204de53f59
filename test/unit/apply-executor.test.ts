import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan, runApply } from '../../src/apply/executor.js';
import { FileJournal, MemoryJournal, parseJournal } from '../../src/apply/journal.js';
import type { CommandRunner, RunRequest, RunResult } from '../../src/apply/runner.js';
import type { ApplyEvent, StepEvent } from '../../src/apply/types.js';
import type { Plan, Probe, Step } from '../../src/plan/types.js';
import { zpoolStatus } from '../helpers/zpool.js';
import { tempDir } from '../helpers/temp.js';

/** A runner that records every command and answers with `respond` (after `delayMs`). */
class RecordingRunner implements CommandRunner {
  readonly calls: { argv: string[]; stdin?: string | undefined; start: number; end?: number }[] =
    [];
  active = 0;
  maxActive = 0;
  constructor(
    private readonly respond: (
      req: RunRequest,
    ) => Partial<RunResult> & { delayMs?: number } = () => ({}),
  ) {}
  async run(req: RunRequest): Promise<RunResult> {
    const call: (typeof this.calls)[number] = {
      argv: [...req.argv],
      stdin: req.stdin,
      start: Date.now(),
    };
    this.calls.push(call);
    const r = this.respond(req);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (r.stdout) req.onOutput?.(r.stdout, 'stdout');
      if (r.stderr) req.onOutput?.(r.stderr, 'stderr');
      const interrupted = await new Promise<boolean>((resolve) => {
        if (req.signal?.aborted) return resolve(true);
        const t = setTimeout(() => resolve(false), r.delayMs ?? 0);
        req.signal?.addEventListener('abort', () => {
          clearTimeout(t);
          resolve(true);
        });
      });
      call.end = Date.now();
      if (interrupted) return { exitCode: null, stdout: '', stderr: '', interrupted: true };
      return { exitCode: r.exitCode ?? 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    } finally {
      this.active--;
    }
  }
  commands(): string[] {
    return this.calls.map((c) => c.argv.join(' '));
  }
}

const always: Probe = { kind: 'always', description: 'test' };

function step(id: string, over: Partial<Step> = {}): Step {
  return {
    id,
    title: `step ${id}`,
    context: { kind: 'host' },
    argv: ['run', id],
    dependsOn: [],
    destroys: false,
    probe: always,
    ...over,
  };
}

function plan(...steps: Step[]): Plan {
  return { platform: 'linux', steps, diagnostics: [] };
}

function collect() {
  const events: ApplyEvent[] = [];
  return {
    events,
    onEvent: (e: ApplyEvent) => void events.push(e),
    steps: (status?: string) =>
      events.filter((e): e is StepEvent => e.event === 'step' && (!status || e.status === status)),
  };
}

describe('scheduling', () => {
  it('never runs more than --jobs steps at once, and does use that many', async () => {
    const runner = new RecordingRunner(() => ({ delayMs: 30 }));
    const steps = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => step(id));
    const r = await runApply({ plan: plan(...steps), runner, jobs: 2 });
    expect(runner.maxActive).toBe(2);
    expect(r.summary).toMatchObject({ changed: 6, skipped: 0, failed: 0 });
    const r3 = new RecordingRunner(() => ({ delayMs: 30 }));
    await runApply({ plan: plan(...steps), runner: r3, jobs: 3 });
    expect(r3.maxActive).toBe(3);
  });

  it('starts a step only after every step it depends on has finished', async () => {
    const runner = new RecordingRunner((req) => ({ delayMs: req.argv[1] === 'a' ? 40 : 5 }));
    const p = plan(
      step('a'),
      step('b'),
      step('c', { dependsOn: ['a', 'b'] }),
      step('d', { dependsOn: ['c'] }),
    );
    await runApply({ plan: p, runner, jobs: 4 });
    const at = (id: string) => runner.calls.find((c) => c.argv[1] === id)!;
    expect(at('c').start).toBeGreaterThanOrEqual(at('a').end!);
    expect(at('c').start).toBeGreaterThanOrEqual(at('b').end!);
    expect(at('d').start).toBeGreaterThanOrEqual(at('c').end!);
    // a and b are independent: they overlapped
    expect(at('b').start).toBeLessThan(at('a').end!);
  });

  it('skips a step whose probe says it is done, without running its command', async () => {
    const runner = new RecordingRunner((req) =>
      req.argv[0] === 'zpool' ? { stdout: zpoolStatus('tank', 'other') } : {},
    );
    const c = collect();
    const p = plan(
      step('pool', {
        argv: ['zpool', 'create', 'tank', '/f1'],
        probe: { kind: 'pool-exists', pool: 'tank' },
      }),
      step('pool2', {
        argv: ['zpool', 'create', 'new', '/f2'],
        probe: { kind: 'pool-exists', pool: 'new' },
      }),
    );
    const r = await runApply({ plan: p, runner, onEvent: c.onEvent, jobs: 1 });
    expect(r.summary).toMatchObject({ changed: 1, skipped: 1 });
    expect(runner.commands()).not.toContain('zpool create tank /f1');
    expect(runner.commands()).toContain('zpool create new /f2');
    expect(c.steps('skipped').map((e) => e.id)).toEqual(['pool']);
    expect(c.steps('ok').map((e) => e.id)).toEqual(['pool2']);
  });

  it('answers many dataset probes of one pool with one zpool status and one zfs get', async () => {
    const zfsGet = [
      'tank\ttype\tfilesystem',
      'tank\tquota\t0',
      ...Array.from({ length: 20 }, (_, i) => [
        `tank/d${i}\ttype\tfilesystem`,
        `tank/d${i}\tquota\t${i % 2 ? 1073741824 : 0}`,
      ]).flat(),
    ].join('\n');
    const runner = new RecordingRunner((req) =>
      req.argv[0] === 'zpool'
        ? { stdout: zpoolStatus('tank') }
        : req.argv[1] === 'get'
          ? { stdout: zfsGet + '\n' }
          : {},
    );
    const steps = Array.from({ length: 20 }, (_, i) =>
      step(`q${i}`, {
        argv: ['zfs', 'set', 'quota=1G', `tank/d${i}`],
        probe: { kind: 'dataset-properties', dataset: `tank/d${i}`, properties: { quota: '1G' } },
      }),
    );
    const r = await runApply({ plan: plan(...steps), runner, jobs: 1 });
    // odd ones have quota 1G already; even ones run
    expect(r.summary).toMatchObject({ changed: 10, skipped: 10 });
    const probes = runner.commands().filter((c) => !c.startsWith('zfs set'));
    // After each zfs set the zfs answers are stale: a fresh query per changed step,
    // but never one query per probed dataset when nothing changed.
    expect(probes.filter((c) => c.startsWith('zfs get')).length).toBeLessThanOrEqual(11);
    // zfs set changes no pool: the pool listing is asked once
    expect(probes.filter((c) => c.startsWith('zpool status'))).toEqual(['zpool status -P']);
    const noop = new RecordingRunner((req) =>
      req.argv[0] === 'zpool'
        ? { stdout: zpoolStatus('tank') }
        : { stdout: zfsGet.replace(/quota\t0/g, 'quota\t1073741824') },
    );
    const r2 = await runApply({ plan: plan(...steps), runner: noop, jobs: 4 });
    expect(r2.summary).toMatchObject({ changed: 0, skipped: 20 });
    expect(noop.commands()).toEqual([
      'zpool status -P',
      'zfs get -H -p -r -o name,property,value,source type,quota tank',
    ]);
  });
});

describe('things that exist but differ', () => {
  const zfsGet = [
    'tank\ttype\tfilesystem\t-',
    'tank/a\ttype\tfilesystem\t-',
    'tank/a\tquota\t209715200\tlocal',
    'tank/a\tcom.x:owner\tweb\tlocal',
    'tank/b\ttype\tfilesystem\t-',
    'tank/b\tquota\t0\tdefault',
  ].join('\n');
  const zfs = (req: RunRequest) =>
    req.argv[0] === 'zpool'
      ? { stdout: zpoolStatus('tank') }
      : req.argv[1] === 'get'
        ? { stdout: `${zfsGet}\n` }
        : {};
  const dataset = (name: string, properties: Record<string, string>) =>
    step(`dataset:${name}`, {
      argv: [
        'zfs',
        'create',
        ...Object.entries(properties).flatMap(([k, v]) => ['-o', `${k}=${v}`]),
        name,
      ],
      probe: { kind: 'dataset-exists', dataset: name, properties },
    });

  it('runs zfs set of exactly what differs instead of the create command', async () => {
    const runner = new RecordingRunner(zfs);
    const c = collect();
    const p = plan(
      dataset('tank/a', { quota: '100M', 'com.x:owner': 'web' }),
      dataset('tank/b', {}),
      dataset('tank/c', { quota: '1G' }),
    );
    const r = await runApply({ plan: p, runner, onEvent: c.onEvent, jobs: 1 });
    expect(r.summary).toMatchObject({ changed: 2, skipped: 1, failed: 0 });
    const ran = runner.commands().filter((x) => !/^(zpool status|zfs get)/.test(x));
    expect(ran).toEqual(['zfs set quota=100M tank/a', 'zfs create -o quota=1G tank/c']);
    expect(c.steps('ok').map((e) => [e.id, e.title])).toEqual([
      ['dataset:tank/a', 'Set quota=100M on tank/a (exists; quota is 200M)'],
      ['dataset:tank/c', 'step dataset:tank/c'],
    ]);
  });

  it('fails a step that apply will not change on its own, running nothing, and starts nothing new', async () => {
    const runner = new RecordingRunner((req) =>
      req.argv[1] === 'container'
        ? {
            stdout: JSON.stringify([
              {
                Name: 'web',
                ImageName: 'localhost/app:1',
                State: { Status: 'running', Running: true },
                Config: { Env: [] },
                HostConfig: { PortBindings: {} },
                Mounts: [],
              },
            ]),
          }
        : {},
    );
    const c = collect();
    const journal = new MemoryJournal();
    const p = plan(
      step('container:web:create', {
        argv: ['podman', 'create', '--name', 'web', 'localhost/app:2'],
        probe: {
          kind: 'container-state',
          runtime: 'podman',
          name: 'web',
          state: 'exists',
          spec: { image: 'localhost/app:2', env: {}, ports: [], volumes: [] },
        },
      }),
      step('after', { dependsOn: ['container:web:create'] }),
    );
    const r = await runApply({ plan: p, runner, journal, onEvent: c.onEvent, jobs: 1 });
    expect(r.summary).toMatchObject({ changed: 0, failed: 1 });
    expect(runner.commands()).toEqual(['podman container inspect web']);
    expect(r.failures[0]).toMatchObject({
      id: 'container:web:create',
      exitCode: null,
      command: 'not run: podman create --name web localhost/app:2',
    });
    expect(r.failures[0]!.reason).toMatch(
      /image \(has localhost\/app:1; the config wants localhost\/app:2\)/,
    );
    expect(c.steps('failed')[0]!.output_tail).toBe(r.failures[0]!.reason);
    expect(r.notRun).toEqual(['after']);
  });
});

describe('failure and abort', () => {
  it('schedules nothing new after a failure but lets running steps finish', async () => {
    const runner = new RecordingRunner((req) =>
      req.argv[1] === 'bad'
        ? { exitCode: 4, stderr: 'line 1\nline 2\nzpool: no such device\n', delayMs: 5 }
        : { delayMs: req.argv[1] === 'slow' ? 60 : 5 },
    );
    const c = collect();
    const p = plan(
      step('slow'),
      step('bad'),
      step('later'),
      step('after-bad', { dependsOn: ['bad'] }),
    );
    const r = await runApply({ plan: p, runner, jobs: 2, onEvent: c.onEvent });
    expect(runner.commands()).toEqual(['run slow', 'run bad']);
    expect(c.steps('ok').map((e) => e.id)).toEqual(['slow']);
    expect(r.summary).toMatchObject({ changed: 1, failed: 1, skipped: 0 });
    expect(r.notRun.sort()).toEqual(['after-bad', 'later']);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ id: 'bad', exitCode: 4, command: 'run bad' });
    expect(r.failures[0]!.stderrTail).toContain('zpool: no such device');
    expect(c.events.at(-1)).toMatchObject({ event: 'summary', changed: 1, failed: 1 });
  });

  it('counts exit codes listed in okExitCodes as success', async () => {
    const runner = new RecordingRunner(() => ({ exitCode: 4 }));
    const r = await runApply({ plan: plan(step('pkg', { okExitCodes: [4] })), runner });
    expect(r.summary).toMatchObject({ changed: 1, failed: 0 });
  });

  it('on abort kills the running step, starts nothing new and journals nothing for it', async () => {
    const runner = new RecordingRunner((req) => ({ delayMs: req.argv[1] === 'long' ? 10_000 : 1 }));
    const journal = new MemoryJournal();
    const controller = new AbortController();
    const c = collect();
    const p = plan(
      step('quick'),
      step('long', { dependsOn: ['quick'] }),
      step('next', { dependsOn: ['long'] }),
    );
    const done = runApply({
      plan: p,
      runner,
      journal,
      jobs: 1,
      signal: controller.signal,
      onEvent: (e) => {
        c.onEvent(e);
        if (e.event === 'step' && e.id === 'long' && e.status === 'running') controller.abort();
      },
    });
    const r = await done;
    expect(r.interrupted).toBe(true);
    expect(runner.commands()).toEqual(['run quick', 'run long']);
    expect(journal.records.map((x) => [x.id, x.status])).toEqual([['quick', 'ok']]);
    expect(r.notRun).toContain('next');
    expect(c.steps('failed').map((e) => e.id)).toEqual(['long']);
  });
});

describe('journal', () => {
  const dir = () => tempDir('slipway-journal-');

  it('runs a journal-probed step once; a changed command runs again', async () => {
    const path = join(dir(), 'c.json.journal');
    const once: Probe = { kind: 'journal', description: 'run-once script' };
    const s = step('script', { probe: once, stdin: 'echo hi\n', argv: ['sh', '-s'] });
    for (const expected of [1, 0]) {
      const runner = new RecordingRunner();
      const j = new FileJournal(path);
      const r = await runApply({ plan: plan(s), runner, journal: j });
      j.close();
      expect(r.summary.changed).toBe(expected);
    }
    const changed = { ...s, stdin: 'echo bye\n' };
    const runner = new RecordingRunner();
    const j = new FileJournal(path);
    await runApply({ plan: plan(changed), runner, journal: j });
    j.close();
    expect(runner.commands()).toEqual(['sh -s']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('runs a journal-probed step again when a step that renews it ran (a user created again)', async () => {
    const path = join(dir(), 'renew.journal');
    const user = step('user:alice', {
      argv: ['useradd', 'alice'],
      probe: { kind: 'user-exists', user: 'alice' },
    });
    const password = step('user:alice:password', {
      argv: ['chpasswd', '-e'],
      dependsOn: ['user:alice'],
      probe: { kind: 'journal', description: 'password set', renewedBy: ['user:alice'] },
    });
    const passwd = (users: string) => () => ({ stdout: `${users}@@slipway-files@@\n` });
    const run = async (respond: () => Partial<RunResult>) => {
      const runner = new RecordingRunner(respond);
      const j = new FileJournal(path);
      await runApply({ plan: plan(user, password), runner, journal: j });
      j.close();
      return runner.commands().filter((c) => !c.startsWith('sh -c'));
    };
    // first apply: both run; then the user exists: nothing runs
    expect(await run(passwd(''))).toEqual(['useradd alice', 'chpasswd -e']);
    expect(await run(passwd('alice:x:1000:1000::/home/alice:/bin/sh\n'))).toEqual([]);
    // the user was removed since: created again, and its password set again
    expect(await run(passwd(''))).toEqual(['useradd alice', 'chpasswd -e']);
  });

  it('ignores a torn last line and appends after it on a fresh line', async () => {
    const path = join(dir(), 'torn.journal');
    const once: Probe = { kind: 'journal', description: 'once' };
    const a = step('a', { probe: once });
    const b = step('b', { probe: once });
    const j1 = new FileJournal(path);
    await runApply({ plan: plan(a), runner: new RecordingRunner(), journal: j1 });
    j1.close();
    // kill -9 in the middle of writing b's record
    writeFileSync(path, readFileSync(path, 'utf8') + '{"id":"b","hash":"ab12', { flag: 'w' });
    const parsed = parseJournal(readFileSync(path, 'utf8'));
    expect(parsed.torn).toBe(true);
    expect(parsed.ignored).toBe(1);
    expect(parsed.records.map((r) => r.id)).toEqual(['a']);

    const runner = new RecordingRunner();
    const j2 = new FileJournal(path);
    const r = await runApply({ plan: plan(a, b), runner, journal: j2 });
    j2.close();
    expect(runner.commands()).toEqual(['run b']);
    expect(r.summary).toMatchObject({ changed: 1, skipped: 1 });
    const after = parseJournal(readFileSync(path, 'utf8'));
    expect(after.torn).toBe(false);
    expect(after.ignored).toBe(1);
    expect(after.records.filter((x) => x.status === 'ok').map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('a failed record does not count as done', async () => {
    const path = join(dir(), 'f.journal');
    const s = step('x', { probe: { kind: 'journal', description: 'once' } });
    const j = new FileJournal(path);
    await runApply({
      plan: plan(s),
      runner: new RecordingRunner(() => ({ exitCode: 1 })),
      journal: j,
    });
    j.close();
    const runner = new RecordingRunner();
    const j2 = new FileJournal(path);
    const r = await runApply({ plan: plan(s), runner, journal: j2 });
    j2.close();
    expect(r.summary.changed).toBe(1);
  });
});

describe('secrets', () => {
  it('never show a secret in events, failures or the journal', async () => {
    const secret = '$6$s4lt$VeryS3cretHashValue';
    const path = join(tempDir('slipway-sec-'), 'j');
    const s = step('pw', {
      title: `set password ${secret}`,
      argv: ['chpasswd', '-e'],
      stdin: `admin:${secret}\n`,
      secrets: [secret],
      probe: { kind: 'journal', description: 'once' },
    });
    const s2 = step('pw2', {
      argv: ['usermod', '-p', secret, 'bob'],
      secrets: [secret],
    });
    const runner = new RecordingRunner((req) => ({
      exitCode: req.argv[0] === 'usermod' ? 1 : 0,
      stdout: `echoing ${secret}\n`,
      stderr: `bad hash ${secret}\n`,
    }));
    const c = collect();
    const j = new FileJournal(path);
    const r = await runApply({
      plan: plan(s, s2),
      runner,
      journal: j,
      onEvent: c.onEvent,
      jobs: 1,
    });
    j.close();
    // the command itself did get the secret
    expect(runner.calls[0]!.stdin).toContain(secret);
    expect(runner.calls[1]!.argv).toContain(secret);
    const shown =
      JSON.stringify(c.events) + JSON.stringify(r.failures) + readFileSync(path, 'utf8');
    expect(shown).not.toContain(secret);
    expect(shown).toContain('<redacted>');
    expect(r.failures[0]!.command).toBe("usermod -p '<redacted>' bob");
  });
});

describe('applyPlan', () => {
  it('yields the same events as onEvent, ending with the summary', async () => {
    const runner = new RecordingRunner(() => ({ stdout: 'done\n', delayMs: 2 }));
    const it = applyPlan({ plan: plan(step('a'), step('b', { dependsOn: ['a'] })), runner });
    const seen: ApplyEvent[] = [];
    for await (const e of it) seen.push(e);
    const r = await it.result;
    expect(seen.at(-1)).toEqual(r.summary);
    expect(
      seen.filter((e) => e.event === 'step' && e.status === 'ok').map((e) => (e as StepEvent).id),
    ).toEqual(['a', 'b']);
    const ok = seen.find((e) => e.event === 'step' && e.status === 'ok') as StepEvent;
    expect(ok.output_tail).toBe('done');
    expect(Object.keys(ok).sort()).toEqual([
      'context',
      'elapsed_ms',
      'event',
      'id',
      'output_tail',
      'status',
      'title',
    ]);
  });
});
